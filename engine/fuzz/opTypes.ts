/** What every fuzz operation defines: its static check and effect (state.ts), how it runs, how it prints. */
import type { Folio, Kernel, Process } from '../api/mmwb'
import type { Op } from './program'
import type { State } from './state'

/** The interpreter's variables: the same names the printed script declares. */
export interface Ctx {
  k: Kernel
  /** The 'mmwb' constants of the machine. */
  C: Record<string, number>
  h: (Folio | null | undefined)[]
  p: (Process | undefined)[]
  c: (number | null | undefined)[]
  r: (number | undefined)[]
  t: ((() => void) | undefined)[]
  traced: { n: number }
}

export interface OpDef {
  /** May the program do this now (static model)? */
  valid(st: State, op: Op): boolean
  /** Its effect on the static model. */
  apply(st: State, op: Op): void
  /** Runs it against the API object a script receives. */
  exec(x: Ctx, op: Op): unknown
  /** The statement a script runs for it (uses `k`, `h`, `p`, `c`, `r`, `t`, `traced`, `ok`). */
  print(op: Op): string
}

/** `ok(f)` of the printed scripts: the allocation succeeded and the folio is resident. */
export function ok(f: Folio | null | undefined): f is Folio {
  return f !== null && f !== undefined && !f.swapped
}

export const OK_SOURCE =
  'const ok = (f: Folio | null | undefined): f is Folio => f !== null && f !== undefined && !f.swapped'

/** Value of a printed gfp expression such as `GFP_KERNEL | __GFP_COMP`. */
export function gfpValue(C: Record<string, number>, expr: string): number {
  let v = 0
  for (const name of expr.split('|')) {
    const c = C[name.trim()]
    if (c === undefined) throw new Error(`fuzz: unknown gfp name ${name}`)
    v |= c
  }
  return v
}

/** The names a printed statement uses from 'mmwb' (for the script's import line). */
export function constantsIn(text: string): string[] {
  return [
    ...new Set(
      text.match(/\b(__GFP_[A-Z0-9_]+|GFP_[A-Z0-9_]+|MIGRATE_[A-Z]+|COMPACT_PRIO_[A-Z_]+)\b/g) ??
        [],
    ),
  ]
}
