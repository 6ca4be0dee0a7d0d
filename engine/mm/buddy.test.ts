import { describe, expect, it } from 'vitest'
import { allocPagesFlags } from './alloc'
import { ALLOC_CMA, ALLOC_NO_WATERMARKS } from './allocFlags'
import { KERNEL_ERAS } from './config'
import { freePages } from './free'
import { __GFP_COMP, GFP_HIGHUSER_MOVABLE } from './gfp'
import { checkInvariants } from './invariants'
import { MIGRATE_CMA, MIGRATE_ISOLATE, MIGRATE_MOVABLE, MIGRATE_UNMOVABLE } from './migratetype'
import { getPfnblockMigratetype, setPageblockIsolate, setPageblockMigratetype } from './pageblock'
import { freeList, freeRange, testMachine } from './testing'

const allocated = { boot: 'allocated' }

describe('mm/page_alloc.c:__free_one_page', () => {
  it('merges free buddies up to MAX_PAGE_ORDER', () => {
    const m = testMachine(allocated)
    freeRange(m, 0, 2048)
    // Order-10 blocks never go to the tail (buddy_merge_likely stops below MAX_PAGE_ORDER - 1).
    expect(freeList(m, 0, 10, MIGRATE_MOVABLE)).toEqual([1024, 0])
    for (let o = 0; o < 10; o++) expect(m.nrFree[o]).toBe(0)
    expect(m.zones[0].nrFreePages).toBe(2048)
    expect(checkInvariants(m)).toBeNull()
  })

  for (const era of KERNEL_ERAS) {
    it(`[${era}] does not merge across an isolated pageblock (ISOLATE is not mergeable)`, () => {
      const m = testMachine({ ...allocated, kernelEra: era })
      setPageblockIsolate(m, 512, true, MIGRATE_MOVABLE)
      freeRange(m, 0, 1024)
      expect(freeList(m, 0, 9, MIGRATE_MOVABLE)).toEqual([0])
      expect(freeList(m, 0, 9, MIGRATE_ISOLATE)).toEqual([512])
      expect(m.nrFree[10]).toBe(0)
      // Isolated free pages leave NR_FREE_PAGES.
      expect(m.zones[0].nrFreePages).toBe(512)
      expect(checkInvariants(m)).toBeNull()
    })

    it(`[${era}] does not merge a MOVABLE block into a free isolated or CMA buddy either`, () => {
      const m = testMachine({ ...allocated, kernelEra: era })
      setPageblockIsolate(m, 512, true, MIGRATE_MOVABLE)
      setPageblockMigratetype(m, 1536, MIGRATE_CMA)
      freeRange(m, 512, 512) // the isolated / CMA sides first
      freeRange(m, 1536, 512)
      freeRange(m, 0, 512)
      freeRange(m, 1024, 512)
      expect(freeList(m, 0, 9, MIGRATE_ISOLATE)).toEqual([512])
      expect(freeList(m, 0, 9, MIGRATE_CMA)).toEqual([1536])
      expect(freeList(m, 0, 9, MIGRATE_MOVABLE).sort((a, b) => a - b)).toEqual([0, 1024])
      expect(getPfnblockMigratetype(m, 1536)).toBe(MIGRATE_CMA)
      expect(checkInvariants(m)).toBeNull()
    })

    it(`[${era}] does not merge a CMA pageblock with a MOVABLE one, but merges two CMA blocks`, () => {
      const m = testMachine({ ...allocated, kernelEra: era })
      setPageblockMigratetype(m, 512, MIGRATE_CMA)
      setPageblockMigratetype(m, 1024, MIGRATE_CMA)
      setPageblockMigratetype(m, 1536, MIGRATE_CMA)
      freeRange(m, 0, 2048)
      expect(freeList(m, 0, 9, MIGRATE_MOVABLE)).toEqual([0])
      expect(freeList(m, 0, 9, MIGRATE_CMA)).toEqual([512])
      expect(freeList(m, 0, 10, MIGRATE_CMA)).toEqual([1024])
      expect(m.zones[0].nrFreeCmaPages).toBe(1536)
      expect(m.zones[0].nrFreePages).toBe(2048)
      expect(checkInvariants(m)).toBeNull()
    })
  }

  it('[6.10+] merges two mergeable types and relabels the buddy pageblock to the freed type', () => {
    const m = testMachine({ ...allocated, kernelEra: '6.10' })
    setPageblockMigratetype(m, 512, MIGRATE_UNMOVABLE)
    freeRange(m, 0, 1024)
    expect(freeList(m, 0, 10, MIGRATE_UNMOVABLE)).toEqual([0])
    expect(getPfnblockMigratetype(m, 0)).toBe(MIGRATE_UNMOVABLE)
    expect(checkInvariants(m)).toBeNull()
  })

  it("[≤6.9] merges two mergeable types onto the freer's list without relabelling", () => {
    const m = testMachine({ ...allocated, kernelEra: '6.9' })
    setPageblockMigratetype(m, 512, MIGRATE_UNMOVABLE)
    freeRange(m, 0, 1024)
    expect(freeList(m, 0, 10, MIGRATE_UNMOVABLE)).toEqual([0])
    expect(getPfnblockMigratetype(m, 0)).toBe(MIGRATE_MOVABLE)
    expect(checkInvariants(m)).toBeNull()
  })

  it('buddy_merge_likely: a page whose next-order buddy is free goes to the list tail', () => {
    const m = testMachine(allocated)
    freePages(m, 2, 0)
    freePages(m, 3, 0) // order-1 block at 2
    freePages(m, 8, 0) // neighbours allocated: plain head insertion
    freePages(m, 0, 0) // buddy 1 allocated, but the order-1 buddy (2) is free: tail
    freePages(m, 12, 0) // head
    expect(freeList(m, 0, 0, MIGRATE_MOVABLE)).toEqual([12, 8, 0])
  })
})

describe('mm/page_alloc.c:free_one_page per era (split_large_buddy)', () => {
  const split = (era: string) => {
    const m = testMachine({ kernelEra: era })
    const flags = ALLOC_NO_WATERMARKS | ALLOC_CMA
    const pfn = allocPagesFlags(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 10, flags)
    setPageblockMigratetype(m, pfn + 512, MIGRATE_CMA)
    freePages(m, pfn, 10)
    return { m, pfn }
  }
  for (const era of ['6.10', '6.12', '6.15', '2025']) {
    it(`[${era}] frees a block above pageblock_order per pageblock, each on its own type's list`, () => {
      const { m, pfn } = split(era)
      expect(freeList(m, 0, 9, MIGRATE_MOVABLE)).toEqual([pfn])
      expect(freeList(m, 0, 9, MIGRATE_CMA)).toEqual([pfn + 512])
      expect(m.zones[0].nrFreeCmaPages).toBe(512)
      expect(checkInvariants(m)).toBeNull()
    })
  }
  it("[≤6.9] frees it whole with the first pageblock's type (CMA pages land on a MOVABLE list)", () => {
    const { m, pfn } = split('6.6')
    expect(freeList(m, 0, 10, MIGRATE_MOVABLE)[0]).toBe(pfn)
    expect(m.zones[0].nrFreeCmaPages).toBe(0)
  })
})
