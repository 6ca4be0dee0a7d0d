import { describe, expect, it } from 'vitest'
import { allocPages } from './alloc'
import { initFreeBlock } from './boot'
import { GFP_HIGHUSER_MOVABLE } from './gfp'
import { checkInvariants } from './invariants'
import { PAGE_ALLOC, setPageFlags } from './memmap'
import { MIGRATE_MOVABLE, MIGRATE_UNMOVABLE } from './migratetype'
import { setPageblockIsolate, setPageblockMigratetype } from './pageblock'
import { testMachine } from './testing'

describe('checkInvariants (CONFIG_DEBUG_VM-style full check)', () => {
  it('passes on a fresh machine', () => {
    expect(checkInvariants(testMachine())).toBeNull()
  })
  it('catches an nr_free count that disagrees with the lists', () => {
    const m = testMachine()
    m.nrFree[3]++
    expect(checkInvariants(m)?.rule).toBe('nr-free')
  })
  it('catches NR_FREE_PAGES drift', () => {
    const m = testMachine()
    m.zones[0].nrFreePages -= 1
    expect(checkInvariants(m)?.rule).toBe('nr-free-pages')
  })
  it('catches a negative refcount and names the pfn and the last operation', () => {
    const m = testMachine()
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    m.refcount[pfn] = -1
    expect(checkInvariants(m)).toMatchObject({
      rule: 'refcount-negative',
      pfn,
      event: 'alloc_pages',
    })
  })
  it('catches overlapping blocks', () => {
    const m = testMachine()
    setPageFlags(m, 5, PAGE_ALLOC)
    expect(checkInvariants(m)).toMatchObject({ rule: 'overlapping-blocks', pfn: 5 })
  })
  it('catches a free block spanning isolated and non-isolated pageblocks (the 5.19 alloc_contig hazard)', () => {
    const m = testMachine({ boot: 'allocated', kernelEra: '6.6' })
    setPageblockIsolate(m, 512, true, MIGRATE_MOVABLE)
    initFreeBlock(m, 0, 10, MIGRATE_MOVABLE)
    expect(checkInvariants(m)).toMatchObject({ rule: 'free-block-spans-isolation', pfn: 0 })
  })
  it('6.10+: a half-isolated free block is named as such, not only as a freelist-hygiene breach', () => {
    const m = testMachine({ boot: 'allocated', kernelEra: '6.12' })
    initFreeBlock(m, 0, 10, MIGRATE_MOVABLE)
    // Isolating the second pageblock without splitting the buddy (the pre-v7 patch-series bug).
    setPageblockIsolate(m, 512, true, MIGRATE_MOVABLE)
    expect(checkInvariants(m)).toMatchObject({ rule: 'free-block-spans-isolation', pfn: 0 })
  })
  it('6.10+: a free block on a list other than its pageblock type breaks freelist hygiene', () => {
    const m = testMachine({ boot: 'allocated', kernelEra: '6.12' })
    initFreeBlock(m, 0, 10, MIGRATE_MOVABLE)
    setPageblockMigratetype(m, 512, MIGRATE_UNMOVABLE)
    expect(checkInvariants(m)).toMatchObject({ rule: 'freelist-hygiene', pfn: 0 })
  })
})
