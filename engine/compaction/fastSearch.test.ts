/**
 * mm/compaction.c's free-list searches (6.1 and 6.12): move_freelist_head/tail,
 * freelist_scan_limit, fast_isolate_freepages and fast_find_migrateblock with their gates.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { initFreeBlock } from '../mm/boot'
import { type KernelEra } from '../mm/config'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { MIGRATE_MOVABLE, MIGRATE_TYPES } from '../mm/migratetype'
import { getPageblockSkip, setPageblockMigratetype, setPageblockSkip } from '../mm/pageblock'
import { freeList } from '../mm/testing'
import {
  fastFindMigrateblock,
  fastIsolateFreepages,
  freelistScanLimit,
  moveFreelistHead,
  moveFreelistTail,
} from './fastSearch'
import { releaseFreeList } from './freepages'
import { compactionState, compactionTraceSubscribe } from './state'
import { layoutMachine, testEnv } from './testFixtures'
import { type CompactControl, createCompactControl, defaultCompactionVariants } from './types'

let m: Machine
let c: CompactControl | null = null
afterEach(() => {
  if (c) releaseFreeList(m, c)
  c = null
  expect(checkInvariants(m)).toBeNull()
})

const PB = 512
/** 32 MOVABLE pageblocks of kernel pages with order-3 free buddies at `free` (boot adds them at the list tail). */
function setup(era: KernelEra, free: number[]): void {
  m = layoutMachine({ kernelEra: era })
  for (let b = 0; b < 32; b++) setPageblockMigratetype(m, b * PB, MIGRATE_MOVABLE)
  for (const p of free) initFreeBlock(m, p, 3)
}

/** Free memory above the MIN watermark `__isolate_free_page` checks: blocks 8..11, order 10 (not searched). */
function headroom(): void {
  initFreeBlock(m, 8 * PB, 10)
  initFreeBlock(m, 10 * PB, 10)
}

function control(order: number, mode: 'async' | 'sync-light' = 'sync-light'): CompactControl {
  c = createCompactControl(m, 0, order, mode, defaultCompactionVariants(m))
  c.migratetype = MIGRATE_MOVABLE
  c.searchOrder = order
  c.migratePfn = 0
  c.freePfn = 31 * PB
  return c
}

const li3 = () => (0 * 11 + 3) * MIGRATE_TYPES + MIGRATE_MOVABLE

describe('move_freelist_head / move_freelist_tail', () => {
  it('rotate the list: head puts the entries before the page at the tail, tail the page too', () => {
    setup('6.12', [8, 16, 24, 32])
    const list = () => freeList(m, 0, 3, MIGRATE_MOVABLE)
    const before = list()
    moveFreelistHead(m, li3(), before[2])
    expect(list()).toEqual([before[2], before[3], before[0], before[1]])
    const now = list()
    moveFreelistTail(m, li3(), now[1])
    expect(list()).toEqual([now[2], now[3], now[0], now[1]])
    moveFreelistTail(m, li3(), list()[3]) // already last: unchanged
    expect(list()).toEqual([now[2], now[3], now[0], now[1]])
  })
})

describe('freelist_scan_limit', () => {
  it('(COMPACT_CLUSTER_MAX >> min(63, fast_search_fail)) + 1', () => {
    setup('6.12', [])
    const cc = control(9)
    const limits = [0, 1, 5, 6, 100].map((f) => ((cc.fastSearchFail = f), freelistScanLimit(cc)))
    expect(limits).toEqual([33, 17, 2, 1, 1])
  })
})

describe('fast_isolate_freepages', () => {
  it('does nothing for compact_memory (order -1)', () => {
    setup('6.12', [30 * PB])
    const cc = control(-1)
    const out: number[] = []
    fastIsolateFreepages(m, testEnv(), cc, out)
    expect(out).toEqual([])
    expect(cc.fastSearchFail).toBe(0)
  })

  it('takes a free page in the top quarter of the scan space and isolates around it', () => {
    // low_pfn = block of free_pfn - gap/4 = block 23; a page at block 28 qualifies, block 2 not.
    setup('6.12', [2 * PB, 28 * PB + 64, 28 * PB + 128])
    headroom()
    const cc = control(9)
    cc.nrMigratepages = 32
    const out: number[] = []
    const ev: number[] = []
    compactionTraceSubscribe(m, 'mm_compaction_fast_isolate_freepages', (e) =>
      ev.push(e.start_pfn, e.end_pfn, e.nr_taken),
    )
    fastIsolateFreepages(m, testEnv(), cc, out)
    // The list is walked from its tail (here the last page added, 28*512+128, already above
    // low_pfn); fast_isolate_around (sync) then takes the rest of block 28.
    expect(out).toEqual([28 * PB + 128, 28 * PB + 64])
    expect(cc.nrFreepages).toBe(16)
    expect(cc.searchOrder).toBe(3)
    expect(cc.fastSearchFail).toBe(0)
    // min_pfn = block of free_pfn - gap/2 = block 15 (7680).
    expect(ev).toEqual([15 * PB, 31 * PB, 8])
    // Block 28 was scanned to its end by fast_isolate_around: marked skipped [6.12].
    expect(getPageblockSkip(m, 28 * PB)).toBe(true)
  })

  it('async direct compaction does not isolate around the page', () => {
    setup('6.12', [28 * PB + 64, 28 * PB + 128])
    headroom()
    const cc = control(9, 'async')
    cc.directCompaction = true
    cc.nrMigratepages = 32
    const out: number[] = []
    fastIsolateFreepages(m, testEnv(), cc, out)
    expect(out.length).toBe(1)
  })

  it('a failed search counts fast_search_fail and, from the zone end, moves free_pfn to min_pfn (direct)', () => {
    setup('6.12', [2 * PB])
    const cc = control(9)
    cc.directCompaction = true
    compactionState(m).initFreePfn[0] = 31 * PB
    cc.nrMigratepages = 32
    const out: number[] = []
    fastIsolateFreepages(m, testEnv(), cc, out)
    expect(out).toEqual([])
    expect(cc.fastSearchFail).toBe(1)
    expect(cc.freePfn).toBe(15 * PB)
  })
})

describe('fast_find_migrateblock', () => {
  it('is skipped for orders ≤ PAGE_ALLOC_COSTLY_ORDER, ignore_skip_hint, non-movable direct requests, mid-block', () => {
    setup('6.12', [5 * PB])
    for (const [order, tweak] of [
      [3, () => {}],
      [9, (cc: CompactControl) => (cc.ignoreSkipHint = true)],
      [9, (cc: CompactControl) => ((cc.directCompaction = true), (cc.migratetype = 0))],
      [9, (cc: CompactControl) => (cc.migratePfn = 100)],
    ] as const) {
      const cc = control(order)
      tweak(cc)
      expect(fastFindMigrateblock(m, testEnv(), cc)).toBe(cc.migratePfn)
      expect(cc.fastSearchFail).toBe(0)
    }
  })

  it('picks the block of a free page in the first half of the gap, skipping skipped blocks', () => {
    // Blocks 3 and 5 have free order-3 pages; 3 is skipped. high_pfn = block of 31*512/2.
    setup('6.12', [3 * PB, 5 * PB])
    setPageblockSkip(m, 3 * PB, true)
    const cc = control(9)
    expect(fastFindMigrateblock(m, testEnv(), cc)).toBe(5 * PB)
    expect(cc.fastSearchFail).toBe(0)
    expect(cc.fastStartPfn).toBe(5 * PB)
    expect(getPageblockSkip(m, 5 * PB)).toBe(false) // 6.12 does not mark it
    // The found entry moved to the list's tail.
    expect(freeList(m, 0, 3, MIGRATE_MOVABLE).at(-1)).toBe(5 * PB)
  })

  it('6.1 marks the chosen block skipped at once', () => {
    setup('6.1', [5 * PB])
    const cc = control(9)
    expect(fastFindMigrateblock(m, testEnv(), cc)).toBe(5 * PB)
    expect(getPageblockSkip(m, 5 * PB)).toBe(true)
  })

  it('a failed search counts fast_search_fail and restarts from the fast start pfn once', () => {
    setup('6.12', [20 * PB])
    const cc = control(9)
    cc.fastStartPfn = 7 * PB
    expect(fastFindMigrateblock(m, testEnv(), cc)).toBe(7 * PB)
    expect(cc.fastSearchFail).toBe(1)
    expect(cc.migratePfn).toBe(7 * PB)
    cc.migratePfn = 8 * PB
    expect(fastFindMigrateblock(m, testEnv(), cc)).toBe(8 * PB)
  })
})
