import { afterEach, describe, expect, test } from 'vitest'
import { initFreeBlock } from '../mm/boot'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { PAGE_ALLOC } from '../mm/memmap'
import {
  getPageblockSkip,
  getPfnblockMigratetype,
  setPageblockMigratetype,
  setPageblockSkip,
} from '../mm/pageblock'
import { MIGRATE_MOVABLE, MIGRATE_UNMOVABLE } from '../mm/migratetype'
import {
  isolateFreePage,
  isolateFreepages,
  isolateFreepagesBlock,
  suitableMigrationTarget,
} from './freeScanner'
import { releaseFreeList } from './freepages'
import { compactionState, compactionTraceSubscribe, COMPACTISOLATED } from './state'
import { anonAt, freeRange, layoutMachine, testEnv } from './testFixtures'
import {
  type CompactControl,
  createCompactControl,
  defaultCompactionVariants,
  type MigrateMode,
} from './types'

let m: Machine
let c: CompactControl
afterEach(() => {
  // Give isolated pages back so the checker sees a consistent machine.
  for (const pfn of taken) c.freepages[m.pg[(pfn << 2) + 1] & 0xff].pushTail(pfn)
  taken.length = 0
  releaseFreeList(m, c)
  expect(checkInvariants(m)).toBeNull()
})
const taken: number[] = []

/** 1024 free pages at the zone's top (an order-10 buddy) so that __isolate_free_page's watermark holds. */
function pool(): void {
  freeRange(m, 15360, 1024)
}

function control(mode: MigrateMode, order = -1): CompactControl {
  c = createCompactControl(m, 0, order, mode, defaultCompactionVariants(m))
  c.migratePfn = 0
  return c
}

describe('free scanner (mm/compaction.c:isolate_freepages, isolate_freepages_block)', () => {
  test('isolate_freepages_block takes whole buddies, jumps compound pages, stops at nr_migratepages', () => {
    m = layoutMachine()
    pool()
    anonAt(m, 8192, 4) // compound order-4 folio: [6.4+] its 16 pages count as scanned (6.1: 1)
    initFreeBlock(m, 8208, 4)
    initFreeBlock(m, 8224, 3)
    initFreeBlock(m, 8240, 0)
    control('sync')
    c.nrMigratepages = 20
    const ev: string[] = []
    compactionTraceSubscribe(m, 'mm_compaction_isolate_freepages', (e) =>
      ev.push(`${e.start_pfn}-${e.end_pfn} scanned ${e.nr_scanned} taken ${e.nr_taken}`),
    )
    const n = isolateFreepagesBlock(m, testEnv(), c, 8192, 8704, taken, 1, false)
    expect(n).toBe(24) // 16 + 8 ≥ 20: stop
    expect(taken).toEqual([8208, 8224])
    expect(ev).toEqual(['8192-8232 scanned 40 taken 24'])
    expect(m.pg[8208 << 2]).toBe(PAGE_ALLOC) // off the free list, refcount 0, order in private
    expect(m.refcount[8208]).toBe(0)
    expect(m.vmEvents[COMPACTISOLATED]).toBe(24) // compact_isolated
  })

  test('suitable_migration_target: MOVABLE/CMA blocks only, unless ignore_block_suitable', () => {
    m = layoutMachine()
    pool()
    setPageblockMigratetype(m, 8192, MIGRATE_UNMOVABLE)
    initFreeBlock(m, 8192 + 100, 0)
    initFreeBlock(m, 7680 + 100, 0)
    control('sync')
    expect(suitableMigrationTarget(m, c, 8192)).toBe(false)
    c.nrMigratepages = 2
    c.freePfn = 8192
    isolateFreepages(m, testEnv(), c, taken)
    expect(taken).toEqual([7780]) // the UNMOVABLE block was passed over
    c.ignoreBlockSuitable = true
    expect(suitableMigrationTarget(m, c, 8192)).toBe(true)
  })

  test('a block starting with a free buddy of pageblock order [≤6.8] or ≥ cc->order [6.9+] is no target', () => {
    m = layoutMachine({ kernelEra: '6.6' })
    initFreeBlock(m, 8192, 9)
    control('sync', 4)
    expect(suitableMigrationTarget(m, c, 8192)).toBe(false)
    initFreeBlock(m, 9216, 8)
    expect(suitableMigrationTarget(m, c, 9216)).toBe(true)
    m = layoutMachine({ kernelEra: '6.9' })
    initFreeBlock(m, 9216, 8)
    control('sync', 4)
    expect(suitableMigrationTarget(m, c, 9216)).toBe(false) // 8 ≥ cc->order 4
    c.order = -1
    expect(suitableMigrationTarget(m, c, 9216)).toBe(true) // order -1 compares with pageblock_order
  })

  test('blocks with the skip bit are passed over unless ignore_skip_hint; a fully scanned block gets it', () => {
    m = layoutMachine()
    pool()
    initFreeBlock(m, 8192 + 7, 0)
    initFreeBlock(m, 7680 + 7, 0)
    setPageblockSkip(m, 8192, true)
    control('sync')
    c.nrMigratepages = 1
    c.freePfn = 8192
    isolateFreepages(m, testEnv(), c, taken)
    expect(taken).toEqual([7687])
    // 7680's block was not scanned to its end (stopped after the page): no skip bit for it.
    expect(getPageblockSkip(m, 7680)).toBe(false)
    c.ignoreSkipHint = true
    c.freePfn = 8192
    // compaction_alloc consumed the page: isolate_freepages returns at once while
    // cc->nr_freepages is non-zero.
    c.nrFreepages = 0
    isolateFreepages(m, testEnv(), c, taken)
    expect(taken).toEqual([7687, 8199])
  })

  test('update_pageblock_skip: an empty block scanned to its end is marked and lowers compact_cached_free_pfn', () => {
    m = layoutMachine()
    pool()
    // After the empty block the stride doubles to 2: the page must sit on an even offset.
    initFreeBlock(m, 7680 + 4, 0)
    control('sync')
    c.nrMigratepages = 1
    c.freePfn = 8192
    const s = compactionState(m)
    isolateFreepages(m, testEnv(), c, taken)
    expect(taken).toEqual([7684])
    expect(getPageblockSkip(m, 8192)).toBe(true)
    expect(getPageblockSkip(m, 7680)).toBe(false)
    expect(s.cachedFreePfn[0]).toBe(8192)
    expect(c.freePfn).toBe(7680 + 5) // saved where the scan stopped
  })

  test('stride: async starts at COMPACT_CLUSTER_MAX and misses pages between the strides; sync steps by 1', () => {
    m = layoutMachine()
    pool()
    initFreeBlock(m, 8192 + 5, 0)
    control('async')
    c.nrMigratepages = 1
    c.freePfn = 8192
    c.migratePfn = 7680
    isolateFreepages(m, testEnv(), c, taken)
    expect(taken).toEqual([])
    expect(c.totalFreeScanned).toBe(16)
    expect(getPageblockSkip(m, 8192)).toBe(true) // scanned to its end without a page
    setPageblockSkip(m, 8192, false)
    control('sync')
    c.nrMigratepages = 1
    c.freePfn = 8192
    c.migratePfn = 7680
    isolateFreepages(m, testEnv(), c, taken)
    expect(taken).toEqual([8197])
  })

  test('__isolate_free_page refuses when order-0 MIN + 2^order would not hold', () => {
    m = layoutMachine()
    const z = m.zones[0]
    initFreeBlock(m, 8192, 5) // 32 free pages; MIN is 32
    expect(z.wmarkMin).toBe(32)
    expect(isolateFreePage(m, z, 8192, 5)).toBe(0)
    initFreeBlock(m, 9216, 7)
    expect(isolateFreePage(m, z, 8192, 5)).toBe(32) // 160 free > 32 + 32
    taken.push(8192)
    control('sync')
  })

  test('__isolate_free_page relabels the pageblock of a buddy of order ≥ pageblock_order - 1 MOVABLE', () => {
    m = layoutMachine()
    setPageblockMigratetype(m, 8192, MIGRATE_UNMOVABLE)
    initFreeBlock(m, 8192, 8)
    initFreeBlock(m, 9216, 9)
    expect(isolateFreePage(m, m.zones[0], 8192, 8)).toBe(256)
    expect(getPfnblockMigratetype(m, 8192)).toBe(MIGRATE_MOVABLE)
    taken.push(8192)
    control('sync')
  })
})
