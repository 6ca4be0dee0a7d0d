import { describe, expect, it } from 'vitest'
import { allocPages } from './alloc'
import { initFreeBlock } from './boot'
import { GFP_HIGHUSER_MOVABLE, __GFP_COMP } from './gfp'
import { checkInvariants } from './invariants'
import {
  PAGE_ALLOC,
  PG_anon,
  PG_file,
  PG_lru,
  PG_swapbacked,
  pageFlags,
  setPageFlags,
} from './memmap'
import { MIGRATE_MOVABLE, MIGRATE_UNMOVABLE } from './migratetype'
import { setPageblockIsolate, setPageblockMigratetype } from './pageblock'
import { testMachine } from './testing'
import { modNodePageState } from './vmstat'
import { NR_ISOLATED_ANON, NR_ISOLATED_FILE } from './vmstatItems'

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

  describe('isolated folios between operations (NR_ISOLATED_ANON/FILE)', () => {
    /** An order-`order` folio of `kind`, on the LRU or isolated as folio_isolate_lru leaves it. */
    function userFolio(
      m: ReturnType<typeof testMachine>,
      order: number,
      kind: number,
      lru: boolean,
    ) {
      const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, order)
      setPageFlags(m, pfn, pageFlags(m, pfn) | kind | (lru ? PG_lru : 0))
      // The mapping's reference, plus the isolator's while it is off the LRU.
      m.refcount[pfn] = lru ? 1 : 2
      return pfn
    }
    it('passes with folios on the LRU and the gauges at 0', () => {
      const m = testMachine()
      userFolio(m, 4, PG_anon | PG_swapbacked, true)
      expect(checkInvariants(m)).toBeNull()
    })
    it('catches an anon folio left isolated (the compaction/mTHP-split leak) and names it', () => {
      const m = testMachine()
      userFolio(m, 0, PG_anon | PG_swapbacked, true)
      const pfn = userFolio(m, 4, PG_anon | PG_swapbacked, false)
      modNodePageState(m, 0, NR_ISOLATED_ANON, 16)
      expect(checkInvariants(m)).toMatchObject({ rule: 'isolated-leak', pfn })
    })
    it('attributes NR_ISOLATED_FILE to a page-cache folio, not to an isolated-looking anon one', () => {
      const m = testMachine()
      userFolio(m, 0, PG_anon | PG_swapbacked, false)
      const pfn = userFolio(m, 2, PG_file, false)
      modNodePageState(m, 0, NR_ISOLATED_FILE, 4)
      expect(checkInvariants(m)).toMatchObject({ rule: 'isolated-leak', pfn })
    })
    it('reports a gauge with no folio off the LRU as drift (pfn -1)', () => {
      const m = testMachine()
      modNodePageState(m, 0, NR_ISOLATED_ANON, 1)
      expect(checkInvariants(m)).toMatchObject({ rule: 'isolated-leak', pfn: -1 })
    })
    it('catches a double putback (negative gauge)', () => {
      const m = testMachine()
      modNodePageState(m, 0, NR_ISOLATED_FILE, -1)
      expect(checkInvariants(m)?.rule).toBe('isolated-underflow')
    })
  })
})
