/**
 * TypeScript workload → CommonJS JavaScript with sucrase (pure JS, so the same code runs in
 * Node and in the Web Worker). sucrase only strips types and rewrites imports/exports; it
 * keeps every statement on its original line, so runtime line numbers are the user's.
 * `disableESTransforms` leaves modern syntax (`?.`, `??`, class fields) alone: both Node 20
 * and Chromium run it natively, and columns stay closer to the source.
 */
import { transform } from 'sucrase'
import { HostError } from './errors'

export function transpileWorkload(source: string, file: string): string {
  try {
    return transform(source, {
      transforms: ['typescript', 'imports'],
      filePath: file,
      disableESTransforms: true,
      production: true,
    }).code
  } catch (e) {
    const err = e as { message?: unknown; loc?: { line?: unknown; column?: unknown } }
    const line = typeof err.loc?.line === 'number' ? err.loc.line : undefined
    const column = typeof err.loc?.column === 'number' ? err.loc.column : undefined
    // sucrase's message is "Error transforming <file>: <problem> (<line>:<col>)".
    const problem = String(err.message ?? e)
      .replace(/^Error transforming [^:]*: /, '')
      .replace(/ \(\d+:\d+\)$/, '')
    const where =
      line === undefined ? file : `${file}:${line}${column === undefined ? '' : `:${column}`}`
    throw new HostError(
      'ScriptSyntaxError',
      `${where}: syntax error: ${problem}`,
      line === undefined ? undefined : { file, line, ...(column === undefined ? {} : { column }) },
    )
  }
}
