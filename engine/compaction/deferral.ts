/**
 * Compaction deferral (mm/compaction.c): after a failure a zone skips `1 << compact_defer_shift`
 * attempts at orders ≥ `compact_order_failed`; the shift grows to COMPACT_MAX_DEFER_SHIFT.
 */
import { type Machine } from '../mm/machine'
import { compactionState, emitCompactionTrace, type CompactionState } from './state'
import { TP_DEFER_COMPACTION, TP_DEFER_RESET, TP_DEFERRED } from './traceTypes'
import { COMPACT_MAX_DEFER_SHIFT } from './types'

function traceDefer(
  m: Machine,
  s: CompactionState,
  tp: number,
  zoneId: number,
  order: number,
): void {
  if (m.traceOn[tp] === 0) return
  const z = m.zones[zoneId]
  const name =
    tp === TP_DEFERRED
      ? 'mm_compaction_deferred'
      : tp === TP_DEFER_COMPACTION
        ? 'mm_compaction_defer_compaction'
        : 'mm_compaction_defer_reset'
  emitCompactionTrace(m, tp, {
    name,
    nid: z.nid,
    idx: z.type,
    order,
    considered: s.considered[zoneId],
    defer_shift: s.deferShift[zoneId],
    order_failed: s.orderFailed[zoneId],
  })
}

/** compaction.c:defer_compaction: `considered = 0`, `shift = min(shift + 1, 6)`, lower `order_failed`. */
export function deferCompaction(m: Machine, zoneId: number, order: number): void {
  const s = compactionState(m)
  s.considered[zoneId] = 0
  s.deferShift[zoneId]++
  if (order < s.orderFailed[zoneId]) s.orderFailed[zoneId] = order
  if (s.deferShift[zoneId] > COMPACT_MAX_DEFER_SHIFT) s.deferShift[zoneId] = COMPACT_MAX_DEFER_SHIFT
  traceDefer(m, s, TP_DEFER_COMPACTION, zoneId, order)
}

/**
 * compaction.c:compaction_deferred: true if this attempt should be skipped. Orders below
 * `order_failed` are never deferred; otherwise the attempt counts in `considered`, and once it
 * reaches `1 << shift` (clamped there) compaction is tried again.
 */
export function compactionDeferred(m: Machine, zoneId: number, order: number): boolean {
  const s = compactionState(m)
  const deferLimit = 2 ** s.deferShift[zoneId]
  if (order < s.orderFailed[zoneId]) return false
  if (++s.considered[zoneId] >= deferLimit) {
    s.considered[zoneId] = deferLimit
    return false
  }
  traceDefer(m, s, TP_DEFERRED, zoneId, order)
  return true
}

/**
 * compaction.c:compaction_defer_reset: after a success at `order` (an allocation succeeded
 * when `allocSuccess`, else is expected to), clear the backoff and raise `order_failed` above it.
 */
export function compactionDeferReset(
  m: Machine,
  zoneId: number,
  order: number,
  allocSuccess: boolean,
): void {
  const s = compactionState(m)
  if (allocSuccess) {
    s.considered[zoneId] = 0
    s.deferShift[zoneId] = 0
  }
  if (order >= s.orderFailed[zoneId]) s.orderFailed[zoneId] = order + 1
  traceDefer(m, s, TP_DEFER_RESET, zoneId, order)
}

/** compaction.c:compaction_restarting: the backoff is at its maximum and used up. */
export function compactionRestarting(m: Machine, zoneId: number, order: number): boolean {
  const s = compactionState(m)
  if (order < s.orderFailed[zoneId]) return false
  return (
    s.deferShift[zoneId] === COMPACT_MAX_DEFER_SHIFT &&
    s.considered[zoneId] >= 2 ** s.deferShift[zoneId]
  )
}
