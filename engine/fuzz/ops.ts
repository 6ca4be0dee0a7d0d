/** Every fuzz operation by name, and the static check of a whole op list. */
import type { OpDef } from './opTypes'
import { FOLIO_OPS } from './opsFolio'
import { MM_OPS } from './opsMm'
import { layoutOf, type Program } from './program'
import { newState } from './state'

export const OPS: Record<string, OpDef> = { ...FOLIO_OPS, ...MM_OPS }

/** True when every op is valid in the static model after the ones before it (shrink candidates). */
export function validProgram(p: Program): boolean {
  const st = newState(layoutOf(p.machine))
  st.noWalker = p.machine.design?.['compaction.freeRefcount'] === 'set-count-zero'
  for (const op of p.ops) {
    const def = OPS[op.op]
    if (!def || !def.valid(st, op)) return false
    def.apply(st, op)
  }
  return true
}
