/** A fuzz program as a standalone workload script (`npx mmwb run repro.ts` reproduces it). */
import { constantsIn, OK_SOURCE } from './opTypes'
import { OPS } from './ops'
import type { Program } from './program'

/** The script's variables (the interpreter's Ctx), declared when the body uses them. */
const DECLS: [string, string][] = [
  ['h', 'const h: (Folio | null)[] = []'],
  ['p', 'const p: Process[] = []'],
  ['c', 'const c: (number | null)[] = []'],
  ['r', 'const r: number[] = []'],
  ['t', 'const t: (() => void)[] = []'],
  ['traced', 'const traced = { n: 0 }'],
  ['ok', OK_SOURCE],
]

export function printProgram(p: Program, header: string[] = []): string {
  const body = p.ops.map((op) => `  ${OPS[op.op].print(op)}`)
  const text = body.join('\n')
  const names = constantsIn(text).sort()
  const imports = [...names, 'type Folio', 'type Kernel', 'type MachineSpec', 'type Process'].join(
    ', ',
  )
  return [
    ...header.map((l) => `// ${l}`),
    `import { ${imports} } from 'mmwb'`,
    '',
    `export const machine: MachineSpec = ${JSON.stringify(p.machine)}`,
    '',
    'export default async function (k: Kernel) {',
    ...DECLS.filter(([name]) => new RegExp(`\\b${name}\\b`).test(text)).map(([, d]) => `  ${d}`),
    ...body,
    '}',
    '',
  ].join('\n')
}
