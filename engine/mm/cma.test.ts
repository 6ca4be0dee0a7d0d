import { describe, expect, it } from 'vitest'
import { allocPages } from './alloc'
import { initCmaReservedPageblock } from './cma'
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL } from './gfp'
import { checkInvariants } from './invariants'
import { MIGRATE_CMA } from './migratetype'
import { getPfnblockMigratetype } from './pageblock'
import { freeList, testMachine } from './testing'
import { zoneInfo } from './vmstat'
import { VM_PGFREE } from './vmstatItems'

describe('mm/mm_init.c:init_cma_reserved_pageblock and CMA in the buddy', () => {
  for (const era of ['6.6', '6.12', '6.15']) {
    it(`[${era}] CMA pageblocks merge with each other, count in NR_FREE_CMA_PAGES and serve only movable requests`, () => {
      const m = testMachine({ kernelEra: era })
      const z = m.zones[0]
      for (let pb = 0; pb < 16; pb++) initCmaReservedPageblock(m, pb * 512)
      expect(z.cmaPages).toBe(8192)
      expect(zoneInfo(m)[0].cmaPages).toBe(8192)
      expect(z.nrFreeCmaPages).toBe(8192)
      expect(z.nrFreePages).toBe(16384)
      expect(freeList(m, 0, 10, MIGRATE_CMA)).toHaveLength(8)
      expect(checkInvariants(m)).toBeNull()
      // Unmovable allocations never land in CMA pageblocks.
      for (let i = 0; i < 2000; i++) {
        const p = allocPages(m, GFP_KERNEL, 0)
        expect(getPfnblockMigratetype(m, p)).not.toBe(MIGRATE_CMA)
      }
      // Movable ones do, once free CMA pages exceed half the free pages (__rmqueue's balancing).
      const p = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
      expect(getPfnblockMigratetype(m, p)).toBe(MIGRATE_CMA)
      expect(z.nrFreeCmaPages).toBe(8191)
      expect(checkInvariants(m)).toBeNull()
    })
  }

  it('refuses a pageblock with pages in use', () => {
    const m = testMachine()
    const p = allocPages(m, GFP_KERNEL, 0)
    expect(() => initCmaReservedPageblock(m, p)).toThrow(/in use/)
    expect(checkInvariants(m)).toBeNull()
  })

  it('activates memblock-reserved pages (boot: allocated)', () => {
    const m = testMachine({ boot: 'allocated' })
    const pgfree = m.vmEvents[VM_PGFREE]
    initCmaReservedPageblock(m, 512)
    initCmaReservedPageblock(m, 0)
    expect(freeList(m, 0, 10, MIGRATE_CMA)).toEqual([0])
    expect(m.zones[0].nrFreeCmaPages).toBe(1024)
    // __free_pages(page, pageblock_order) counts PGFREE for the reserved pages it hands over.
    expect(m.vmEvents[VM_PGFREE] - pgfree).toBe(1024)
    expect(checkInvariants(m)).toBeNull()
  })
})
