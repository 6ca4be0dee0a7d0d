import { describe, expect, it } from 'vitest'
import { allocPagesFlags } from './alloc'
import { ALLOC_CMA, ALLOC_KSWAPD, ALLOC_NO_WATERMARKS } from './allocFlags'
import { initFreeBlock } from './boot'
import { KERNEL_ERAS } from './config'
import { folioSetFlags } from './folio'
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL } from './gfp'
import { checkInvariants } from './invariants'
import { type Machine } from './machine'
import { PG_lru } from './memmap'
import { MIGRATE_MOVABLE, MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE } from './migratetype'
import { getPfnblockMigratetype, setPageblockMigratetype } from './pageblock'
import { freeList, testMachine } from './testing'
import { traceSubscribe } from './trace'
import { type MmPageAllocExtfragEvent } from './traceTypes'

const FLAGS = ALLOC_NO_WATERMARKS

/** Pageblock 0 (pfn 0..511) of type `mt`: `lru` LRU pages from pfn 0, then free blocks covering the rest. */
function mixedBlock(m: Machine, mt: number, lru: number): void {
  setPageblockMigratetype(m, 0, mt)
  for (let p = 0; p < lru; p++) folioSetFlags(m, p, PG_lru, true)
  let p = lru
  while (p < 512) {
    let o = 0
    while ((p & (1 << o)) === 0 && p + (2 << o) <= 512) o++
    initFreeBlock(m, p, o)
    p += 1 << o
  }
}

describe('mm/page_alloc.c:fallbacks[] and find_suitable_fallback', () => {
  for (const era of KERNEL_ERAS) {
    it(`[${era}] an UNMOVABLE request falls back to RECLAIMABLE before MOVABLE, claiming a whole free pageblock`, () => {
      const m = testMachine({ boot: 'allocated', kernelEra: era })
      setPageblockMigratetype(m, 512, MIGRATE_RECLAIMABLE)
      initFreeBlock(m, 0, 9) // MOVABLE
      initFreeBlock(m, 512, 9) // RECLAIMABLE
      const pfn = allocPagesFlags(m, GFP_KERNEL, 0, FLAGS)
      expect(pfn).toBe(512)
      expect(getPfnblockMigratetype(m, 512)).toBe(MIGRATE_UNMOVABLE)
      expect(getPfnblockMigratetype(m, 0)).toBe(MIGRATE_MOVABLE)
      expect(checkInvariants(m)).toBeNull()
    })

    it(`[${era}] a MOVABLE request falls back to RECLAIMABLE before UNMOVABLE`, () => {
      const m = testMachine({ boot: 'allocated', kernelEra: era })
      setPageblockMigratetype(m, 0, MIGRATE_UNMOVABLE)
      setPageblockMigratetype(m, 512, MIGRATE_RECLAIMABLE)
      initFreeBlock(m, 0, 9)
      initFreeBlock(m, 512, 9)
      expect(allocPagesFlags(m, GFP_HIGHUSER_MOVABLE, 0, FLAGS | ALLOC_CMA)).toBe(512)
      expect(getPfnblockMigratetype(m, 512)).toBe(MIGRATE_MOVABLE)
    })
  }
})

describe('mm/page_alloc.c:steal_suitable_fallback / try_to_claim_block: the half rule', () => {
  for (const era of KERNEL_ERAS) {
    it(`[${era}] claims a MOVABLE pageblock for UNMOVABLE when free + alike >= 256 (256 LRU, 256 free)`, () => {
      const m = testMachine({ boot: 'allocated', kernelEra: era })
      mixedBlock(m, MIGRATE_MOVABLE, 256)
      const pfn = allocPagesFlags(m, GFP_KERNEL, 0, FLAGS)
      expect(pfn).toBeGreaterThanOrEqual(256)
      expect(getPfnblockMigratetype(m, 0)).toBe(MIGRATE_UNMOVABLE)
      expect(checkInvariants(m)).toBeNull()
    })

    it(`[${era}] does not claim it with 257 LRU pages (255 free, alike 0)`, () => {
      const m = testMachine({ boot: 'allocated', kernelEra: era })
      mixedBlock(m, MIGRATE_MOVABLE, 257)
      const pfn = allocPagesFlags(m, GFP_KERNEL, 0, FLAGS)
      expect(pfn).toBeGreaterThanOrEqual(257)
      expect(getPfnblockMigratetype(m, 0)).toBe(MIGRATE_MOVABLE)
      expect(checkInvariants(m)).toBeNull()
      if (era === '6.1' || era === '6.6' || era === '6.9') {
        // ≤6.9: the largest foreign block (order 7 at 384) was stolen; move_freepages_block moved
        // every free page of the block to UNMOVABLE lists anyway; the retry took the order-0 page.
        expect(pfn).toBe(257)
        expect(freeList(m, 0, 7, MIGRATE_UNMOVABLE)).toEqual([384])
      } else if (era === '6.10' || era === '6.12') {
        // 6.10-6.14: single-page steal from the largest block; the remainder stays on MOVABLE lists.
        expect(pfn).toBe(384)
        expect(freeList(m, 0, 6, MIGRATE_MOVABLE)).toEqual([448, 320])
      } else {
        // 6.15+: every claim attempt fails, then __rmqueue_steal takes the smallest block.
        expect(pfn).toBe(257)
        expect(freeList(m, 0, 7, MIGRATE_MOVABLE)).toEqual([384])
      }
    })
  }

  it('boost_watermark: a sub-pageblock fallback raises watermark_boost by a pageblock', () => {
    const m = testMachine({ boot: 'allocated', kernelEra: '6.12' })
    mixedBlock(m, MIGRATE_MOVABLE, 257)
    const z = m.zones[0]
    allocPagesFlags(m, GFP_KERNEL, 0, FLAGS | ALLOC_KSWAPD)
    // max_boost = max(pageblock_nr_pages, HIGH * 15000 / 10000); HIGH is small here.
    expect(z.watermarkBoost).toBe(
      Math.min(512, Math.max(512, Math.floor((z.wmarkHigh * 15000) / 10000))),
    )
    // ZONE_BOOSTED_WATERMARK was set and then cleared by rmqueue as it woke kswapd.
    expect(z.boostedWatermark).toBe(false)
  })

  for (const era of ['6.12', '6.15']) {
    it(`[${era}] a MOVABLE request that cannot claim (order-3 foreign block) steals without relabelling`, () => {
      const m = testMachine({ boot: 'allocated', kernelEra: era })
      setPageblockMigratetype(m, 0, MIGRATE_UNMOVABLE)
      initFreeBlock(m, 8, 3)
      const events: MmPageAllocExtfragEvent[] = []
      traceSubscribe(m, 'mm_page_alloc_extfrag', (ev) => events.push(ev))
      expect(allocPagesFlags(m, GFP_HIGHUSER_MOVABLE, 0, FLAGS | ALLOC_CMA)).toBe(8)
      expect(getPfnblockMigratetype(m, 0)).toBe(MIGRATE_UNMOVABLE)
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({
        alloc_order: 0,
        fallback_order: 3,
        pageblock_order: 9,
        alloc_migratetype: MIGRATE_MOVABLE,
        fallback_migratetype: MIGRATE_UNMOVABLE,
        fragmenting: true,
        change_ownership: false,
      })
      // The remainder stays on the foreign type's lists (6.10+).
      expect(freeList(m, 0, 2, MIGRATE_UNMOVABLE)).toEqual([12])
      expect(checkInvariants(m)).toBeNull()
    })
  }

  it('[6.1] a MOVABLE request that cannot claim moves the single foreign block to its own list first', () => {
    const m = testMachine({ boot: 'allocated', kernelEra: '6.1' })
    setPageblockMigratetype(m, 0, MIGRATE_UNMOVABLE)
    initFreeBlock(m, 8, 3)
    expect(allocPagesFlags(m, GFP_HIGHUSER_MOVABLE, 0, FLAGS | ALLOC_CMA)).toBe(8)
    expect(getPfnblockMigratetype(m, 0)).toBe(MIGRATE_UNMOVABLE)
    expect(freeList(m, 0, 2, MIGRATE_MOVABLE)).toEqual([12])
  })

  it('claims every pageblock of a free block of order >= pageblock_order and reports change_ownership', () => {
    const m = testMachine({ kernelEra: '6.12' })
    const events: MmPageAllocExtfragEvent[] = []
    traceSubscribe(m, 'mm_page_alloc_extfrag', (ev) => events.push(ev))
    const pfn = allocPagesFlags(m, GFP_KERNEL, 0, FLAGS)
    expect(pfn).toBe(0)
    expect(getPfnblockMigratetype(m, 0)).toBe(MIGRATE_UNMOVABLE)
    expect(getPfnblockMigratetype(m, 512)).toBe(MIGRATE_UNMOVABLE)
    expect(events[0]).toMatchObject({
      fallback_order: 10,
      fragmenting: false,
      change_ownership: true,
    })
    expect(checkInvariants(m)).toBeNull()
  })
})
