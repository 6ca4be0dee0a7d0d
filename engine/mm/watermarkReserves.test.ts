import { describe, expect, it } from 'vitest'
import {
  ALLOC_MIN_RESERVE,
  ALLOC_NON_BLOCK,
  ALLOC_OOM,
  ALLOC_WMARK_MIN,
  gfpToAllocFlags,
} from './allocFlags'
import { initFreeBlock } from './boot'
import { GFP_ATOMIC, GFP_KERNEL, __GFP_HIGH } from './gfp'
import { NO_PAGE } from './memmap'
import { MIGRATE_HIGHATOMIC, MIGRATE_UNMOVABLE } from './migratetype'
import { setPageblockMigratetype } from './pageblock'
import { rmqueueBuddy } from './rmqueue'
import { testMachine } from './testing'
import { zoneWatermarkFast, zoneWatermarkOk } from './watermark'
import { ZONE_NORMAL } from './zoneType'

// The 6.1 stable kernel (Debian 6.1.192) has 6.3's ALLOC_RESERVES rules: both eras give the
// same answers, cases from __zone_watermark_ok's comments.
describe('mm/page_alloc.c:__zone_watermark_ok reserves (6.1 stable, 6.12)', () => {
  for (const era of ['6.1', '6.12']) {
    it(`[${era}] GFP_NOWAIT (ALLOC_NON_BLOCK alone) gets no part of the min reserve`, () => {
      const m = testMachine({ kernelEra: era })
      const z = m.zones[0]
      expect(zoneWatermarkOk(m, z, 0, 1000, ZONE_NORMAL, ALLOC_NON_BLOCK, 1001)).toBe(true)
      expect(zoneWatermarkOk(m, z, 0, 1000, ZONE_NORMAL, ALLOC_NON_BLOCK, 1000)).toBe(false)
    })

    it(`[${era}] ALLOC_OOM halves what __GFP_HIGH and non-blocking left: 1000 → 500 → 375 → 188`, () => {
      const m = testMachine({ kernelEra: era })
      const z = m.zones[0]
      const flags = ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_OOM
      expect(zoneWatermarkOk(m, z, 0, 1000, ZONE_NORMAL, flags, 189)).toBe(true)
      expect(zoneWatermarkOk(m, z, 0, 1000, ZONE_NORMAL, flags, 188)).toBe(false)
    })

    it(`[${era}] any ALLOC_RESERVES flag stops the highatomic reserve being subtracted`, () => {
      const m = testMachine({ kernelEra: era, boot: 'allocated' })
      const z = m.zones[0]
      // 1500 free pages, 512 of them a free HIGHATOMIC pageblock.
      setPageblockMigratetype(m, 0, MIGRATE_HIGHATOMIC)
      initFreeBlock(m, 0, 9)
      for (let p = 512; p < 1500; p += 4) initFreeBlock(m, p, 2)
      z.nrReservedHighatomic = 512
      z.nrFreeHighatomic = 512
      const free = z.nrFreePages
      expect(free).toBe(1500)
      expect(zoneWatermarkOk(m, z, 0, 1000, ZONE_NORMAL, ALLOC_WMARK_MIN, free)).toBe(false)
      expect(zoneWatermarkOk(m, z, 0, 1000, ZONE_NORMAL, ALLOC_NON_BLOCK, free)).toBe(true)
    })
  }
})

describe('mm/page_alloc.c:zone_watermark_fast boost-free MIN retry', () => {
  // MIN 100, boost 1000, 300 free pages: against MIN+boost (halved: 550) an order-0 __GFP_HIGH
  // request fails; against the boost-free MIN (halved: 50) it passes.
  const cases = [
    ['6.1', GFP_ATOMIC, true],
    ['6.1', GFP_KERNEL | __GFP_HIGH, false], // 6.1 stable: only __GFP_ATOMIC (GFP_ATOMIC)
    ['6.12', GFP_ATOMIC, true],
    ['6.12', GFP_KERNEL | __GFP_HIGH, true], // 6.3+: ALLOC_MIN_RESERVE
  ] as const
  for (const [era, gfp, ok] of cases) {
    it(`[${era}] ${gfp === GFP_ATOMIC ? 'GFP_ATOMIC' : 'GFP_KERNEL|__GFP_HIGH'} ${ok ? 'ignores' : 'keeps'} the boost`, () => {
      const m = testMachine({ kernelEra: era, boot: 'allocated' })
      const z = m.zones[0]
      for (const [pfn, order] of [
        [0, 8],
        [256, 5],
        [288, 3],
        [296, 2],
      ])
        initFreeBlock(m, pfn, order)
      expect(z.nrFreePages).toBe(300)
      z.wmarkMin = 100
      z.watermarkBoost = 1000
      z.lowmemReserve = [0, 0, 0, 0]
      const flags = gfpToAllocFlags(m, gfp, 0)
      expect(zoneWatermarkFast(m, z, 0, z.wmarkMin + 1000, ZONE_NORMAL, flags, gfp)).toBe(ok)
    })
  }
})

describe('mm/page_alloc.c:rmqueue_buddy HIGHATOMIC fallback', () => {
  for (const era of ['6.1', '6.12']) {
    it(`[${era}] an order-0 non-blocking request may take a HIGHATOMIC page when __rmqueue fails`, () => {
      const m = testMachine({ kernelEra: era, boot: 'allocated' })
      const z = m.zones[0]
      setPageblockMigratetype(m, 0, MIGRATE_HIGHATOMIC)
      initFreeBlock(m, 0, 3)
      expect(rmqueueBuddy(m, z, 0, ALLOC_WMARK_MIN, MIGRATE_UNMOVABLE)).toBe(NO_PAGE)
      expect(rmqueueBuddy(m, z, 0, ALLOC_WMARK_MIN | ALLOC_NON_BLOCK, MIGRATE_UNMOVABLE)).toBe(0)
      expect(rmqueueBuddy(m, z, 0, ALLOC_OOM, MIGRATE_UNMOVABLE)).toBe(1)
    })
  }
})
