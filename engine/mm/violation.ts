/** Invariant violations (CONFIG_DEBUG_VM's VM_BUG_ON / bad_page, as data). */
import { type Machine } from './machine'

/** A broken rule: which, where (pfn, -1 if none), during which operation, and why. */
export type InvariantViolation = { rule: string; pfn: number; event: string; message: string }

/** Thrown by the hot-path checks when `debugVm` is on. */
export class InvariantError extends Error {
  violation: InvariantViolation
  constructor(v: InvariantViolation) {
    super(`${v.rule} at pfn ${v.pfn} during ${v.event}: ${v.message}`)
    this.name = 'InvariantError'
    this.violation = v
  }
}

/** Raise a violation for the operation in progress (`m.op`). */
export function reportViolation(m: Machine, rule: string, pfn: number, message: string): never {
  throw new InvariantError({ rule, pfn, event: m.op, message })
}
