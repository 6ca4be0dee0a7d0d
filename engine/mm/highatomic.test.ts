import { describe, expect, it } from 'vitest'
import { allocPagesFlags } from './alloc'
import { gfpToAllocFlags } from './allocFlags'
import { GFP_ATOMIC } from './gfp'
import { unreserveHighatomicPageblock } from './highatomic'
import { checkInvariants } from './invariants'
import { NO_PAGE } from './memmap'
import { MIGRATE_HIGHATOMIC, MIGRATE_MOVABLE } from './migratetype'
import { getPfnblockMigratetype } from './pageblock'
import { testMachine } from './testing'
import { ZONE_NORMAL } from './zoneType'

describe('mm/page_alloc.c:reserve_highatomic_pageblock / unreserve_highatomic_pageblock', () => {
  for (const era of ['6.6', '6.12']) {
    it(`[${era}] a high-order atomic allocation reserves its pageblock, up to managed/100 + one pageblock`, () => {
      const m = testMachine({ kernelEra: era })
      const z = m.zones[0]
      const flags = gfpToAllocFlags(GFP_ATOMIC, 1, false)
      const pfn = allocPagesFlags(m, GFP_ATOMIC, 1, flags)
      expect(pfn).not.toBe(NO_PAGE)
      expect(getPfnblockMigratetype(m, pfn)).toBe(MIGRATE_HIGHATOMIC)
      expect(z.nrReservedHighatomic).toBe(512)
      if (era === '6.12') expect(z.nrFreeHighatomic).toBe(510)
      // The next one is served from the reserve (ALLOC_HIGHATOMIC tries it first), no new block.
      const pfn2 = allocPagesFlags(m, GFP_ATOMIC, 1, flags)
      expect(pfn2 >> 9).toBe(pfn >> 9)
      expect(z.nrReservedHighatomic).toBe(512)
      expect(checkInvariants(m)).toBeNull()
    })
  }

  it('unreserve keeps the last reserved block unless forced', () => {
    const m = testMachine({ kernelEra: '6.12' })
    const z = m.zones[0]
    const pfn = allocPagesFlags(m, GFP_ATOMIC, 1, gfpToAllocFlags(GFP_ATOMIC, 1, false))
    expect(
      unreserveHighatomicPageblock(m, m.zonelists[0], ZONE_NORMAL, MIGRATE_MOVABLE, false),
    ).toBe(false)
    expect(
      unreserveHighatomicPageblock(m, m.zonelists[0], ZONE_NORMAL, MIGRATE_MOVABLE, true),
    ).toBe(true)
    expect(getPfnblockMigratetype(m, pfn)).toBe(MIGRATE_MOVABLE)
    expect(z.nrReservedHighatomic).toBe(0)
    expect(z.nrFreeHighatomic).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })
})
