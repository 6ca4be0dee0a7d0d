/**
 * Seed 002 ("Swap will split folios in order to swap them"): mm/vmscan.c:shrink_folio_list with
 * mm/swapfile.c:folio_alloc_swap. A large anon folio swaps out whole only into contiguous slots
 * of one cluster (≤6.9: a free cluster for a PMD-sized folio; 6.10+: an aligned free run for any
 * order); otherwise it is split (split_folio_to_list, thp_split_page for PMD size) and the
 * pieces are swapped one by one (thp_swpout_fallback).
 */
import { describe, expect, it } from 'vitest'
import { folioPut, folioTryGet } from '../mm/folio'
import { GFP_KERNEL } from '../mm/gfp'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { PAGE_ALLOC, PG_lru, pageFlags, setPageFlags } from '../mm/memmap'
import { vmEventCount } from '../mm/vmstat'
import { VM_THP_SPLIT_PAGE } from '../mm/vmstatItems'
import { reclaimEventCount } from './counters'
import { lruAdd } from './lru'
import { createReclaimStat, shrinkFolioList } from './shrinkFolioList'
import { folioAllocSwap, swapFree, swapon, swapUsage } from './swap'
import { anonFolio, isolateForReclaim, reclaimTestMachine, testEnv } from './testFixtures'
import { createScanControl, defaultReclaimVariants, type ReclaimEnv } from './types'

function reclaimOne(
  m: Machine,
  head: number,
  env: ReclaimEnv,
): { nrReclaimed: number; kept: number[] } {
  isolateForReclaim(m, head)
  const ret: number[] = []
  const sc = createScanControl({ gfpMask: GFP_KERNEL })
  const nrReclaimed = shrinkFolioList(m, [head], sc, env, ret, createReclaimStat())
  for (const h of ret) {
    setPageFlags(m, h, pageFlags(m, h) | PG_lru)
    lruAdd(m, h)
    folioPut(m, h)
  }
  return { nrReclaimed, kept: ret }
}

/** Leave one used slot in every cluster (every `stride` slots): no free cluster, no free run. */
function fragmentSwap(m: Machine, nrSlots: number, stride: number): void {
  const v = defaultReclaimVariants(m)
  const slots: number[] = []
  for (let i = 0; i < nrSlots; i++) slots.push(folioAllocSwap(m, 1, v))
  for (const s of slots) if (s % stride !== 0) swapFree(m, s)
}

const ev = (m: Machine, n: string): number => reclaimEventCount(m, n)

describe('large anon folios and swap (seed 002)', () => {
  it('6.1: a PMD-sized folio with a free cluster swaps out whole (thp_swpout)', () => {
    const m = reclaimTestMachine('6.1')
    swapon(m, { nrPages: 2048, synchronousIo: true })
    const thp = anonFolio(m, 9)
    const r = reclaimOne(m, thp, testEnv())
    expect(r.nrReclaimed).toBe(512)
    expect(ev(m, 'thp_swpout')).toBe(1)
    expect(ev(m, 'pswpout')).toBe(512)
    expect(ev(m, 'thp_swpout_fallback')).toBe(0)
    expect(vmEventCount(m, VM_THP_SPLIT_PAGE)).toBe(0)
    expect(swapUsage(m).freeClusters).toBe(3)
    expect(checkInvariants(m)).toBeNull()
  })

  it('6.1: without a free cluster the THP is split and its 512 pieces swapped one by one', () => {
    const m = reclaimTestMachine('6.1')
    swapon(m, { nrPages: 2048, synchronousIo: true })
    fragmentSwap(m, 2048, 512)
    expect(swapUsage(m)).toEqual({ sizePages: 2048, usedPages: 4, freeClusters: 0 })
    const thp = anonFolio(m, 9)
    const r = reclaimOne(m, thp, testEnv())
    expect(r.nrReclaimed).toBe(512)
    expect(ev(m, 'thp_swpout_fallback')).toBe(1)
    expect(vmEventCount(m, VM_THP_SPLIT_PAGE)).toBe(1)
    expect(ev(m, 'thp_swpout')).toBe(0)
    expect(ev(m, 'pswpout')).toBe(512)
    for (let p = thp; p < thp + 512; p++) expect(pageFlags(m, p) & PAGE_ALLOC).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })

  it("variant 'split' splits even when a free cluster exists", () => {
    const m = reclaimTestMachine('6.12')
    swapon(m, { nrPages: 2048, synchronousIo: true })
    const thp = anonFolio(m, 9)
    reclaimOne(m, thp, testEnv({ variants: { swapoutLargeFolios: 'split' } }))
    expect(ev(m, 'thp_swpout_fallback')).toBe(1)
    expect(ev(m, 'pswpout')).toBe(512)
    expect(swapUsage(m).freeClusters).toBe(3)
    expect(checkInvariants(m)).toBeNull()
  })

  it('6.12 swaps an order-4 folio whole into an aligned run; 6.1 splits it', () => {
    const m = reclaimTestMachine('6.12')
    swapon(m, { nrPages: 2048, synchronousIo: true })
    fragmentSwap(m, 2048, 512)
    const r = reclaimOne(m, anonFolio(m, 4), testEnv())
    expect(r.nrReclaimed).toBe(16)
    expect(ev(m, 'pswpout')).toBe(16)
    expect(ev(m, 'thp_swpout') + ev(m, 'thp_swpout_fallback')).toBe(0)

    const old = reclaimTestMachine('6.1')
    swapon(old, { nrPages: 2048, synchronousIo: true })
    reclaimOne(old, anonFolio(old, 4), testEnv())
    // 6.1 counts THP_SWPOUT_FALLBACK for any large folio; no THP_SPLIT_PAGE below PMD size.
    expect(ev(old, 'thp_swpout_fallback')).toBe(1)
    expect(vmEventCount(old, VM_THP_SPLIT_PAGE)).toBe(0)
    expect(ev(old, 'pswpout')).toBe(16)
    expect(checkInvariants(m)).toBeNull()
    expect(checkInvariants(old)).toBeNull()
  })

  it('6.12: no aligned run → split, but thp_swpout_fallback counts only PMD-sized folios', () => {
    const m = reclaimTestMachine('6.12')
    swapon(m, { nrPages: 2048, synchronousIo: true })
    fragmentSwap(m, 2048, 16)
    reclaimOne(m, anonFolio(m, 4), testEnv())
    expect(ev(m, 'pswpout')).toBe(16)
    expect(ev(m, 'thp_swpout_fallback')).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })

  it('a large folio with an extra reference cannot be split: activated, nothing swapped', () => {
    const m = reclaimTestMachine('6.1')
    swapon(m, { nrPages: 2048, synchronousIo: true })
    fragmentSwap(m, 2048, 512)
    const thp = anonFolio(m, 9)
    folioTryGet(m, thp)
    const r = reclaimOne(m, thp, testEnv())
    expect(r.nrReclaimed).toBe(0)
    expect(r.kept).toEqual([thp])
    expect(ev(m, 'pswpout')).toBe(0)
    expect(ev(m, 'pgactivate')).toBe(512)
    folioPut(m, thp)
    expect(checkInvariants(m)).toBeNull()
  })
})
