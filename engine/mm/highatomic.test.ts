import { describe, expect, it } from 'vitest'
import { allocPagesFlags } from './alloc'
import { gfpToAllocFlags } from './allocFlags'
import { GFP_ATOMIC } from './gfp'
import { highatomicMaxManaged, unreserveHighatomicPageblock } from './highatomic'
import { checkInvariants } from './invariants'
import { NO_PAGE } from './memmap'
import { MIGRATE_HIGHATOMIC, MIGRATE_MOVABLE } from './migratetype'
import { getPfnblockMigratetype } from './pageblock'
import { testMachine } from './testing'
import { ZONE_NORMAL } from './zoneType'

describe('mm/page_alloc.c:reserve_highatomic_pageblock / unreserve_highatomic_pageblock', () => {
  // 6.12 reserves nothing in a 64 MiB zone (1% < a pageblock), so its case uses 256 MiB.
  for (const era of ['6.6', '6.12']) {
    it(`[${era}] a high-order atomic allocation reserves its pageblock`, () => {
      const sizeMiB = era === '6.6' ? 64 : 256
      const m = testMachine({ kernelEra: era, zones: [{ type: 'Normal', sizeMiB }] })
      const z = m.zones[0]
      const flags = gfpToAllocFlags(m, GFP_ATOMIC, 1)
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
    const m = testMachine({ kernelEra: '6.12', zones: [{ type: 'Normal', sizeMiB: 256 }] })
    const z = m.zones[0]
    const pfn = allocPagesFlags(m, GFP_ATOMIC, 1, gfpToAllocFlags(m, GFP_ATOMIC, 1))
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

describe('mm/page_alloc.c:reserve_highatomic_pageblock cap', () => {
  // [≤6.7] managed/100 + pageblock_nr_pages (6.1 source); [6.8+] ALIGN(managed/100, pageblock)
  // and none when 1% is under a pageblock (d68e39fc45f7, 9cd20f3fe045; 6.12 source).
  const capOf = (era: string, managed: number): number => {
    const m = testMachine({ kernelEra: era })
    m.zones[0].managedPages = managed
    return highatomicMaxManaged(m, m.zones[0])
  }
  it("[6.1] managed/100 + 512: 675 pages for 64 MiB, 1000 for the 256 MiB guest's DMA32 (managed 48845)", () => {
    expect(capOf('6.1', 16384)).toBe(163 + 512)
    expect(capOf('6.1', 48845)).toBe(488 + 512)
    expect(capOf('6.6', 65536)).toBe(655 + 512)
  })
  it("[6.9+] ALIGN(managed/100, 512); none below 51200 managed pages (the 6.12 guest's DMA32, 50603)", () => {
    expect(capOf('6.12', 16384)).toBe(0)
    expect(capOf('6.12', 50603)).toBe(0)
    expect(capOf('6.9', 51200)).toBe(512)
    expect(capOf('6.12', 65536)).toBe(1024)
    expect(capOf('2025', 1048576)).toBe(10752)
  })
  for (const [era, sizeMiB, blocks] of [
    ['6.1', 64, 2],
    ['6.12', 64, 0],
    ['6.12', 256, 2],
  ] as const) {
    it(`[${era}] a ${sizeMiB} MiB zone reserves ${blocks} pageblocks at most`, () => {
      const m = testMachine({ kernelEra: era, zones: [{ type: 'Normal', sizeMiB }] })
      const z = m.zones[0]
      const flags = gfpToAllocFlags(m, GFP_ATOMIC, 9)
      // Each order-9 GFP_ATOMIC allocation takes a whole pageblock and tries to reserve it.
      for (let i = 0; i < 4; i++) expect(allocPagesFlags(m, GFP_ATOMIC, 9, flags)).not.toBe(NO_PAGE)
      expect(z.nrReservedHighatomic).toBe(blocks * 512)
      expect(checkInvariants(m)).toBeNull()
    })
  }
})
