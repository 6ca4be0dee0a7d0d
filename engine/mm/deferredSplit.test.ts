// The deferred split queue (mm/huge_memory.c:deferred_split_folio, __folio_unqueue_deferred_split,
// free_pages_prepare's mTHP accounting; 6.12) and its invariant.
import { describe, expect, it } from 'vitest'
import { allocPages } from './alloc'
import {
  deferredSplitCount,
  deferredSplitFolio,
  deferredSplitTakeHead,
  folioOnDeferredList,
  mthpStat,
} from './deferredSplit'
import { folioPut } from './folio'
import { __GFP_COMP, GFP_HIGHUSER_MOVABLE } from './gfp'
import { checkInvariants } from './invariants'
import { type Machine } from './machine'
import { PG_anon, PG_partially_mapped, pageFlags, setPageFlags } from './memmap'
import { testMachine } from './testing'

function anon(m: Machine, order: number): number {
  const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, order)
  setPageFlags(m, pfn, pageFlags(m, pfn) | PG_anon)
  return pfn
}

describe('deferred_split_folio (6.12)', () => {
  it('queues at the tail once; order ≤ 1 folios have no _deferred_list', () => {
    const m = testMachine({ kernelEra: '6.12' })
    const a = anon(m, 4)
    const b = anon(m, 2)
    const c = anon(m, 1)
    deferredSplitFolio(m, a, true)
    deferredSplitFolio(m, b, true)
    deferredSplitFolio(m, a, true)
    deferredSplitFolio(m, c, true)
    expect(deferredSplitCount(m, 0)).toBe(2)
    expect(folioOnDeferredList(m, c)).toBe(false)
    expect(mthpStat(m, 4, 'split_deferred')).toBe(1)
    expect(mthpStat(m, 2, 'nr_anon_partially_mapped')).toBe(1)
    expect(deferredSplitTakeHead(m, 0, 5)).toEqual([a, b])
    expect(checkInvariants(m)).toBeNull()
  })

  it('a queued folio that is freed leaves the queue and its counters (__folio_put)', () => {
    const m = testMachine({ kernelEra: '6.12' })
    const a = anon(m, 4)
    deferredSplitFolio(m, a, true)
    folioPut(m, a)
    expect(deferredSplitCount(m, 0)).toBe(0)
    expect(mthpStat(m, 4, 'nr_anon_partially_mapped')).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })

  it('without the partially mapped flag only split_underused_thp queues (6.12); ≤6.11 not at all', () => {
    const m = testMachine({ kernelEra: '6.12' })
    const a = anon(m, 9)
    deferredSplitFolio(m, a, false)
    expect(folioOnDeferredList(m, a)).toBe(true)
    expect(pageFlags(m, a) & PG_partially_mapped).toBe(0)
    const old = testMachine({ kernelEra: '6.10' })
    const b = anon(old, 9)
    deferredSplitFolio(old, b, false)
    expect(folioOnDeferredList(old, b)).toBe(false)
  })

  it('the invariant checker catches a partially mapped flag off the queue', () => {
    const m = testMachine({ kernelEra: '6.12' })
    const a = anon(m, 4)
    deferredSplitFolio(m, a, true)
    const b = anon(m, 4)
    setPageFlags(m, b, pageFlags(m, b) | PG_partially_mapped)
    expect(checkInvariants(m)?.rule).toBe('deferred-split-queue')
  })
})
