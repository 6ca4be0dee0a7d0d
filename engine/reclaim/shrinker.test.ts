// The THP deferred split shrinker (mm/huge_memory.c:deferred_split_count/deferred_split_scan)
// as mm/shrinker.c:do_shrink_slab drives it (6.12; 6.1 for the era differences).
import { afterEach, describe, expect, it } from 'vitest'
import {
  checkInvariants,
  deferredSplitCount,
  deferredSplitFolio,
  folioOnDeferredList,
  mthpStat,
  vmEventCount,
  VM_THP_DEFERRED_SPLIT_PAGE,
  VM_THP_SPLIT_PAGE,
  type Machine,
} from '../mm'
import { deferredSplitState } from '../mm/deferredSplit'
import { allocPages } from '../mm/alloc'
import { folioOrder } from '../mm/folio'
import { doAnonymousPage } from './anonFault'
import { deferredSplitScan, SHRINK_STOP, shrinkSlab } from './shrinker'
import { tryToFreePages } from './directReclaim'
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL } from '../mm/gfp'
import { reclaimTestMachine, testEnv, unmapAndPut } from './testFixtures'

let m: Machine | undefined

afterEach(() => {
  if (m) expect(checkInvariants(m)).toBeNull()
  m = undefined
})

/** `n` 64 KiB anon folios faulted in, the first `partial` of them then partially unmapped. */
function queued(mm: Machine, n: number, partial: number): number[] {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const pfn = doAnonymousPage(mm, (gfp, order) => allocPages(mm, gfp, order), { orders: [4] })
    expect(folioOrder(mm, pfn)).toBe(4)
    out.push(pfn)
  }
  // zap_pte_range of part of each folio: __folio_remove_rmap → deferred_split_folio(folio, true).
  for (const h of out.slice(0, partial)) deferredSplitFolio(mm, h, true)
  return out
}

describe('deferred_split_scan (6.12)', () => {
  it('splits the partially mapped folios it takes off the queue head, in queue order', () => {
    m = reclaimTestMachine('6.12')
    const heads = queued(m, 10, 10)
    expect(deferredSplitCount(m, 0)).toBe(10)
    expect(deferredSplitScan(m, 0, 4, testEnv())).toBe(4)
    expect(heads.map((h) => folioOrder(m as Machine, h))).toEqual([0, 0, 0, 0, 4, 4, 4, 4, 4, 4])
    expect(deferredSplitCount(m, 0)).toBe(6)
    expect(mthpStat(m, 4, 'split')).toBe(4)
    expect(mthpStat(m, 4, 'nr_anon')).toBe(6)
    expect(mthpStat(m, 4, 'nr_anon_partially_mapped')).toBe(6)
    // The pieces are still mapped: a split frees nothing.
    for (let p = heads[0]; p < heads[0] + 16; p++) expect(m.mapcount[p]).toBe(1)
  })

  it('drops a queued THP that is not partially mapped (not underused with max_ptes_none 511)', () => {
    m = reclaimTestMachine('6.12')
    const thp = doAnonymousPage(m, (gfp, order) => allocPages(m as Machine, gfp, order), {
      orders: [9],
    })
    // __do_huge_pmd_anonymous_page: deferred_split_folio(folio, false) with shrink_underused on.
    expect(folioOnDeferredList(m, thp)).toBe(true)
    expect(deferredSplitScan(m, 0, 128, testEnv())).toBe(SHRINK_STOP)
    expect(folioOrder(m, thp)).toBe(9)
    expect(folioOnDeferredList(m, thp)).toBe(false)
    expect(mthpStat(m, 9, 'anon_fault_alloc')).toBe(1)
  })

  it('a pinned folio cannot be split (split_failed) and goes back to the queue tail', () => {
    m = reclaimTestMachine('6.12')
    const heads = queued(m, 3, 3)
    m.refcount[heads[0]]++ // a GUP reference
    expect(deferredSplitScan(m, 0, 3, testEnv())).toBe(2)
    expect(folioOrder(m, heads[0])).toBe(4)
    expect(folioOnDeferredList(m, heads[0])).toBe(true)
    expect(mthpStat(m, 4, 'split_failed')).toBe(1)
    m.refcount[heads[0]]--
  })
})

describe('do_shrink_slab arithmetic (mm/shrinker.c)', () => {
  it('scans (freeable >> priority) * 4 / DEFAULT_SEEKS plus deferred work, in SHRINK_BATCH batches', () => {
    m = reclaimTestMachine('6.12')
    queued(m, 200, 200)
    const env = testEnv()
    const s = deferredSplitState(m)
    // Priority 12: 200 >> 12 = 0, nothing to do.
    expect(shrinkSlab(m, 0, 12, env)).toBe(0)
    expect(s.nrDeferred[0]).toBe(0)
    // Priority 6: delta 2 * (200 >> 6) = 6 < SHRINK_BATCH and < freeable: deferred.
    expect(shrinkSlab(m, 0, 6, env)).toBe(0)
    expect(s.nrDeferred[0]).toBe(6)
    // Priority 1: total_scan = (6 >> 1) + 200 = 203; one batch of 128, the 75 left wait.
    expect(shrinkSlab(m, 0, 1, env)).toBe(128)
    expect(s.nrDeferred[0]).toBe(6 + 200 - 128)
    expect(deferredSplitCount(m, 0)).toBe(72)
    // Priority 0 with 72 left: total_scan ≥ freeable, everything is scanned.
    expect(shrinkSlab(m, 0, 0, env)).toBe(72)
    expect(deferredSplitCount(m, 0)).toBe(0)
    expect(mthpStat(m, 4, 'nr_anon_partially_mapped')).toBe(0)
  })

  it('a direct reclaim pass that frees nothing lowers the priority to 0 and splits the whole queue', () => {
    m = reclaimTestMachine('6.12')
    const heads = queued(m, 300, 250)
    tryToFreePages(m, GFP_KERNEL, 0, testEnv())
    const whole = heads.filter((h) => folioOrder(m as Machine, h) === 4).length
    expect(whole).toBe(50)
    expect(mthpStat(m, 4, 'split')).toBe(250)
  })
})

describe('compaction_ready and vm.extfrag_threshold (mm/vmscan.c:shrink_zones)', () => {
  /** One folio in eight kept and partially unmapped; the rest freed (fragmented free memory). */
  function fragmented(mm: Machine): number[] {
    const all: number[] = []
    for (;;) {
      const pfn = doAnonymousPage(mm, (gfp, order) => allocPages(mm, gfp, order), { orders: [4] })
      if (pfn < 0) break
      if (folioOrder(mm, pfn) !== 4) {
        unmapAndPut(mm, pfn)
        break
      }
      all.push(pfn)
    }
    const kept = all.filter((_, i) => i % 8 === 0)
    for (const [i, h] of all.entries()) if (i % 8 !== 0) unmapAndPut(mm, h)
    // What the fill left at the top: taken by the kernel, so that no order-9 block is free.
    while (allocPages(mm, GFP_KERNEL, 9) >= 0);
    for (const h of kept) deferredSplitFolio(mm, h, true)
    return kept
  }

  it('an order-9 reclaim skips a zone ready for compaction: no shrink_node, no shrinker', () => {
    m = reclaimTestMachine('6.12')
    const kept = fragmented(m)
    tryToFreePages(m, GFP_HIGHUSER_MOVABLE, 9, testEnv())
    expect(kept.every((h) => folioOrder(m as Machine, h) === 4)).toBe(true)
  })

  it('with extfrag_threshold 1000 compaction is not suitable, so reclaim runs and the shrinker splits', () => {
    m = reclaimTestMachine('6.12')
    const kept = fragmented(m)
    tryToFreePages(m, GFP_HIGHUSER_MOVABLE, 9, testEnv({ compaction: { extfragThreshold: 1000 } }))
    expect(kept.every((h) => folioOrder(m as Machine, h) === 0)).toBe(true)
    expect(mthpStat(m, 4, 'split')).toBe(kept.length)
  })
})

describe('6.1', () => {
  it('a partially unmapped THP is queued (thp_deferred_split_page) and the scan splits it', () => {
    m = reclaimTestMachine('6.1')
    const thp = doAnonymousPage(m, (gfp, order) => allocPages(m as Machine, gfp, order), {
      orders: [9],
    })
    // 6.1 queues nothing at fault time (no split_underused_thp).
    expect(folioOnDeferredList(m, thp)).toBe(false)
    // page_remove_rmap of one PTE of a PTE-mapped THP → deferred_split_huge_page.
    deferredSplitFolio(m, thp, true)
    expect(vmEventCount(m, VM_THP_DEFERRED_SPLIT_PAGE)).toBe(1)
    expect(shrinkSlab(m, 0, 0, testEnv())).toBe(1)
    expect(folioOrder(m, thp)).toBe(0)
    expect(vmEventCount(m, VM_THP_SPLIT_PAGE)).toBe(1)
  })

  it('mTHP faults need 6.8+: asking 6.1 for a 64 KiB anon folio is a RangeError', () => {
    const mm = reclaimTestMachine('6.1')
    expect(() =>
      doAnonymousPage(mm, (gfp, order) => allocPages(mm, gfp, order), { orders: [4] }),
    ).toThrow(/6\.8\+/)
  })
})
