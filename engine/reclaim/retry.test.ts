/**
 * mm/page_alloc.c:should_compact_retry and should_reclaim_retry arithmetic.
 */
import { describe, expect, it } from 'vitest'
import {
  type CompactResult,
  DEF_COMPACT_PRIORITY,
  INIT_COMPACT_PRIORITY,
} from '../compaction/types'
import { allocPagesFlags } from '../mm/alloc'
import { ALLOC_NO_WATERMARKS, ALLOC_WMARK_MIN } from '../mm/allocFlags'
import { GFP_KERNEL } from '../mm/gfp'
import { reserveHighatomicPageblock } from '../mm/highatomic'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { MIGRATE_UNMOVABLE } from '../mm/migratetype'
import { ZONE_NORMAL } from '../mm/zoneType'
import { reclaimTraceSubscribe } from './counters'
import { type AllocContext, type RetryState, shouldCompactRetry, shouldReclaimRetry } from './retry'
import { anonFolio, fileFolio, fillUntilFree, reclaimTestMachine } from './testFixtures'

function ctx(m: Machine): AllocContext {
  return { zonelist: m.zonelists[0], highestZoneidx: ZONE_NORMAL, migratetype: MIGRATE_UNMOVABLE }
}

function state(prio = DEF_COMPACT_PRIORITY): RetryState {
  return { noProgressLoops: 0, compactionRetries: 0, compactPriority: prio as 0 | 1 | 2 }
}

describe('should_compact_retry', () => {
  it('never retries order 0', () => {
    const m = reclaimTestMachine()
    expect(shouldCompactRetry(m, 0, ctx(m), 'complete', state())).toBe(false)
  })

  it('SUCCESS retries up to MAX_COMPACT_RETRIES, then escalates the priority once', () => {
    const m = reclaimTestMachine()
    const st = state()
    for (let i = 1; i <= 16; i++) {
      expect(shouldCompactRetry(m, 2, ctx(m), 'success', st)).toBe(true)
      expect(st.compactionRetries).toBe(i)
    }
    // 17 > 16: priority check; SYNC_LIGHT → SYNC_FULL for a non-costly order, retries reset.
    expect(shouldCompactRetry(m, 2, ctx(m), 'success', st)).toBe(true)
    expect(st).toMatchObject({ compactPriority: 0, compactionRetries: 0 })
    for (let i = 1; i <= 16; i++) shouldCompactRetry(m, 2, ctx(m), 'success', st)
    expect(shouldCompactRetry(m, 2, ctx(m), 'success', st)).toBe(false)
  })

  it('costly orders get a quarter of the retries and stop at SYNC_LIGHT', () => {
    const m = reclaimTestMachine()
    const st = state()
    for (let i = 1; i <= 4; i++) expect(shouldCompactRetry(m, 4, ctx(m), 'success', st)).toBe(true)
    expect(shouldCompactRetry(m, 4, ctx(m), 'success', st)).toBe(false)
    expect(st.compactPriority).toBe(DEF_COMPACT_PRIORITY)
  })

  it('[≤6.4] a result that is neither progress, failure, skip nor withdrawal retries; [6.5+] it escalates', () => {
    // 6.1's should_compact_retry falls through to `retries <= max_retries` for e.g.
    // NO_SUITABLE_PAGE; 6.5's simplification sends everything but SKIPPED/SUCCESS to the
    // priority check (and a costly order at SYNC_LIGHT then gives up).
    const old = reclaimTestMachine('6.1')
    const st61 = state()
    expect(shouldCompactRetry(old, 9, ctx(old), 'no_suitable_page', st61)).toBe(true)
    expect(st61).toMatchObject({ compactPriority: DEF_COMPACT_PRIORITY, compactionRetries: 0 })
    const m = reclaimTestMachine('6.12')
    const st = state()
    expect(shouldCompactRetry(m, 9, ctx(m), 'no_suitable_page', st)).toBe(false)
    const async = state(2)
    expect(shouldCompactRetry(m, 9, ctx(m), 'no_suitable_page', async)).toBe(true)
    expect(async.compactPriority).toBe(DEF_COMPACT_PRIORITY)
  })

  it('COMPLETE and withdrawn results only escalate the priority', () => {
    const m = reclaimTestMachine()
    const st = state()
    expect(shouldCompactRetry(m, 2, ctx(m), 'complete', st)).toBe(true)
    expect(st.compactPriority).toBe(0)
    expect(shouldCompactRetry(m, 2, ctx(m), 'complete', st)).toBe(false)
    const costly = state(INIT_COMPACT_PRIORITY)
    const seq: [CompactResult, boolean][] = [
      ['deferred', true],
      ['partial_skipped', false],
    ]
    for (const [r, want] of seq) expect(shouldCompactRetry(m, 9, ctx(m), r, costly)).toBe(want)
    expect(costly.compactPriority).toBe(1)
  })

  it('SKIPPED retries iff reclaim could make compaction suitable; traces compact_retry', () => {
    const m = reclaimTestMachine()
    const events: unknown[] = []
    reclaimTraceSubscribe(m, 'compact_retry', (e) => events.push(e))
    expect(shouldCompactRetry(m, 9, ctx(m), 'skipped', state())).toBe(true)
    fillUntilFree(m, 100, () => anonFolio(m))
    expect(shouldCompactRetry(m, 9, ctx(m), 'skipped', state())).toBe(false)
    expect(events[1]).toEqual({
      name: 'compact_retry',
      order: 9,
      priority: 1,
      result: 'skipped',
      retries: 0,
      max_retries: 16,
      ret: false,
    })
    expect(checkInvariants(m)).toBeNull()
  })
})

describe('should_reclaim_retry', () => {
  it('progress resets the loops for order ≤ 3; costly orders count every loop', () => {
    const m = reclaimTestMachine()
    fillUntilFree(m, 200, () => fileFolio(m))
    const st = state()
    st.noProgressLoops = 5
    expect(shouldReclaimRetry(m, 3, ctx(m), ALLOC_WMARK_MIN, true, st)).toBe(true)
    expect(st.noProgressLoops).toBe(0)
    expect(shouldReclaimRetry(m, 4, ctx(m), ALLOC_WMARK_MIN, true, st)).toBe(true)
    expect(st.noProgressLoops).toBe(1)
  })

  it('gives up after MAX_RECLAIM_RETRIES no-progress loops', () => {
    const m = reclaimTestMachine()
    fillUntilFree(m, 200, () => fileFolio(m))
    const st = state()
    for (let i = 1; i <= 16; i++)
      expect(shouldReclaimRetry(m, 0, ctx(m), ALLOC_WMARK_MIN, false, st)).toBe(true)
    expect(shouldReclaimRetry(m, 0, ctx(m), ALLOC_WMARK_MIN, false, st)).toBe(false)
  })

  it('gives up at once when free + reclaimable cannot meet MIN, unless a highatomic block is left', () => {
    // 256 MiB: on 6.8+ a zone whose 1% is under a pageblock (64 MiB) reserves no highatomic block.
    const m = reclaimTestMachine('6.12', { zones: [{ type: 'Normal', sizeMiB: 256 }] })
    // A highatomic reserve first, then memory full of unreclaimable anon (no swap).
    const pfn = allocPagesFlags(m, GFP_KERNEL, 1, ALLOC_NO_WATERMARKS)
    reserveHighatomicPageblock(m, m.zones[0], pfn, 1)
    fillUntilFree(m, 600, () => anonFolio(m))
    const st = state()
    expect(shouldReclaimRetry(m, 0, ctx(m), ALLOC_WMARK_MIN, false, st)).toBe(true)
    expect(m.zones[0].nrReservedHighatomic).toBe(0)
    expect(shouldReclaimRetry(m, 0, ctx(m), ALLOC_WMARK_MIN, false, st)).toBe(false)
    expect(checkInvariants(m)).toBeNull()
  })
})
