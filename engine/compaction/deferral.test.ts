import { afterEach, describe, expect, test } from 'vitest'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import {
  compactionDeferred,
  compactionDeferReset,
  compactionRestarting,
  deferCompaction,
} from './deferral'
import { compactionState, compactionTraceSubscribe } from './state'
import { layoutMachine } from './testFixtures'
import { COMPACT_MAX_DEFER_SHIFT } from './types'

let m: Machine
afterEach(() => expect(checkInvariants(m)).toBeNull())

describe('compaction deferral (mm/compaction.c)', () => {
  test('defer_compaction grows compact_defer_shift by one per failure, capped at COMPACT_MAX_DEFER_SHIFT', () => {
    m = layoutMachine()
    const s = compactionState(m)
    for (let i = 1; i <= 8; i++) {
      deferCompaction(m, 0, 9)
      expect(s.deferShift[0]).toBe(Math.min(i, COMPACT_MAX_DEFER_SHIFT))
      expect(s.considered[0]).toBe(0)
    }
    expect(s.deferShift[0]).toBe(6)
  })

  test('defer_compaction lowers compact_order_failed to the failing order only', () => {
    m = layoutMachine()
    const s = compactionState(m)
    s.orderFailed[0] = 11
    deferCompaction(m, 0, 9)
    expect(s.orderFailed[0]).toBe(9)
    deferCompaction(m, 0, 10)
    expect(s.orderFailed[0]).toBe(9)
    deferCompaction(m, 0, 4)
    expect(s.orderFailed[0]).toBe(4)
  })

  test('compaction_deferred skips 2^shift - 1 attempts, then allows one and clamps considered', () => {
    m = layoutMachine()
    const s = compactionState(m)
    deferCompaction(m, 0, 9)
    deferCompaction(m, 0, 9)
    deferCompaction(m, 0, 9) // shift 3: limit 8
    const verdicts: boolean[] = []
    for (let i = 0; i < 10; i++) verdicts.push(compactionDeferred(m, 0, 9))
    // considered 1..7 < 8 → deferred; the 8th reaches the limit → not deferred, and stays there.
    expect(verdicts).toEqual([true, true, true, true, true, true, true, false, false, false])
    expect(s.considered[0]).toBe(8)
  })

  test('orders below compact_order_failed are never deferred and do not count', () => {
    m = layoutMachine()
    const s = compactionState(m)
    s.orderFailed[0] = 11 // as after earlier successes (compaction_defer_reset)
    deferCompaction(m, 0, 9)
    deferCompaction(m, 0, 9)
    expect(compactionDeferred(m, 0, 8)).toBe(false)
    expect(s.considered[0]).toBe(0)
    expect(compactionDeferred(m, 0, 9)).toBe(true)
    expect(s.considered[0]).toBe(1)
  })

  test('compaction_defer_reset: success clears the backoff; order_failed moves above the order', () => {
    m = layoutMachine()
    const s = compactionState(m)
    for (let i = 0; i < 4; i++) deferCompaction(m, 0, 5)
    compactionDeferred(m, 0, 5)
    compactionDeferReset(m, 0, 5, false)
    expect(s.deferShift[0]).toBe(4) // expected-success does not reset the backoff
    expect(s.orderFailed[0]).toBe(6)
    compactionDeferReset(m, 0, 3, true)
    expect(s.deferShift[0]).toBe(0)
    expect(s.considered[0]).toBe(0)
    expect(s.orderFailed[0]).toBe(6) // 3 < 6: unchanged
  })

  test('compaction_restarting once the backoff is at the maximum and used up', () => {
    m = layoutMachine()
    compactionState(m).orderFailed[0] = 11
    for (let i = 0; i < 6; i++) deferCompaction(m, 0, 9)
    expect(compactionRestarting(m, 0, 9)).toBe(false)
    for (let i = 0; i < 64; i++) compactionDeferred(m, 0, 9)
    expect(compactionRestarting(m, 0, 9)).toBe(true)
    expect(compactionRestarting(m, 0, 8)).toBe(false) // below order_failed
  })

  test('tracepoints carry considered, defer_shift and order_failed', () => {
    m = layoutMachine()
    const evs: string[] = []
    compactionTraceSubscribe(m, 'mm_compaction_defer_compaction', (e) =>
      evs.push(`${e.name} ${e.order} ${e.considered} ${e.defer_shift} ${e.order_failed}`),
    )
    compactionTraceSubscribe(m, 'mm_compaction_deferred', (e) =>
      evs.push(`${e.name} ${e.considered}`),
    )
    deferCompaction(m, 0, 9)
    compactionDeferred(m, 0, 9)
    compactionDeferred(m, 0, 9)
    // shift 1: the first attempt is deferred (considered 1 < 2), the second is allowed.
    expect(evs).toEqual(['mm_compaction_defer_compaction 9 0 1 0', 'mm_compaction_deferred 1'])
  })
})
