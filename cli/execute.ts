/**
 * Runs one workload file in a fresh engine-host child process and reports failures the way
 * a terminal user wants them: one line saying what and where, the script's own stack frames,
 * and the exit status for the error's kind. Shared by `mmwb run` and `mmwb proc`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { relative } from 'node:path'
import type { WireError } from '../protocol/messages'
import type { RunResult } from '../protocol/result'
import type { TraceRecord } from '../protocol/results/ftrace'
import { UsageError } from './args'
import { exitCodeFor, type ExitCode } from './exitCodes'
import { HostClient, HostRequestError } from './hostClient'
import { ProgressLine } from './progress'

export interface ExecuteOptions {
  seed: number
  variant?: string
  budgetMs: number
  /** Where the script's console output goes. */
  logTo: NodeJS.WritableStream
  /** Receive every tracepoint hit (`--trace`). */
  onTrace?: (records: TraceRecord[], written: number) => void
}

export type ExecuteOutcome =
  | { ok: true; result: RunResult }
  /** `result`: a run that ended in an InvariantViolation, with the violation recorded. */
  | { ok: false; code: ExitCode; result?: RunResult }

/** Display path: relative to the working directory when the file is below it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file)
  return rel && !rel.startsWith('..') ? rel : file
}

export function readScript(file: string): string {
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`)
  if (!statSync(file).isFile()) throw new UsageError(`not a file: ${file}`)
  return readFileSync(file, 'utf8')
}

/** `mmwb: ScriptError: TypeError: boom (hello.ts:12)` plus the script's frames. */
export function formatError(err: WireError): string {
  let out = `mmwb: ${err.name}: ${err.message}\n`
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l))
  if (frames.length > 0) out += frames.join('\n') + '\n'
  return out
}

export async function executeScript(file: string, opts: ExecuteOptions): Promise<ExecuteOutcome> {
  const source = readScript(file)
  const path = displayPath(file)
  const progress = new ProgressLine(path)
  let client: HostClient | null = null
  try {
    client = await HostClient.start()
    const { result } = client.run(
      { path, source },
      {
        seed: opts.seed,
        variant: opts.variant,
        timeBudgetMs: opts.budgetMs,
        ...(opts.onTrace ? { trace: true } : {}),
      },
      {
        onTrace: opts.onTrace,
        onLog: (_level, text) => {
          progress.clear()
          opts.logTo.write(text + '\n')
        },
        onProgress: (p) => progress.update(p.fraction, p.simTimeNs),
      },
    )
    const r = await result
    progress.clear()
    return { ok: true, result: r }
  } catch (e) {
    progress.clear()
    const wire: WireError =
      e instanceof HostRequestError
        ? e.wire
        : { name: 'InternalError', message: (e as Error).message }
    process.stderr.write(formatError(wire))
    const result = e instanceof HostRequestError ? e.result : undefined
    return { ok: false, code: exitCodeFor(wire.name), ...(result ? { result } : {}) }
  } finally {
    progress.clear()
    client?.close()
  }
}
