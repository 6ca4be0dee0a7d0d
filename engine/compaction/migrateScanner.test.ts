import { afterEach, describe, expect, test } from 'vitest'
import { initFreeBlock } from '../mm/boot'
import { folioPin, getPageUnlessZero, folioPut, folioSetFlags } from '../mm/folio'
import { GFP_KERNEL } from '../mm/gfp'
import { checkInvariants } from '../mm/invariants'
import { type KernelEra } from '../mm/config'
import { type Machine } from '../mm/machine'
import { PG_dirty, PG_locked, PG_lru, PG_unevictable, PG_writeback } from '../mm/memmap'
import { MIGRATE_MOVABLE, MIGRATE_UNMOVABLE } from '../mm/migratetype'
import { getPageblockSkip, setPageblockMigratetype, setPageblockSkip } from '../mm/pageblock'
import { putbackMovablePages } from '../migrate/isolate'
import { isolateMigratepages } from './migrateScanner'
import { compactionState, compactionTraceSubscribe } from './state'
import { anonAt, fileAt, layoutMachine, testEnv } from './testFixtures'
import {
  type CompactControl,
  type CompactEnv,
  createCompactControl,
  defaultCompactionVariants,
  type MigrateMode,
} from './types'

let m: Machine
let c: CompactControl
afterEach(() => {
  putbackMovablePages(m, c.migratepages)
  expect(checkInvariants(m)).toBeNull()
})

function setup(era: KernelEra = '6.12'): void {
  m = layoutMachine({ kernelEra: era })
}

function scan(
  mode: MigrateMode,
  order = -1,
  startPfn = 0,
  env: CompactEnv = testEnv(),
): { res: string; trace: string[] } {
  c = createCompactControl(m, 0, order, mode, defaultCompactionVariants(m))
  c.gfpMask = GFP_KERNEL
  c.migratetype = MIGRATE_MOVABLE
  c.migratePfn = startPfn
  c.freePfn = 16384 - 512
  const trace: string[] = []
  const off = compactionTraceSubscribe(m, 'mm_compaction_isolate_migratepages', (e) =>
    trace.push(`${e.start_pfn}-${e.end_pfn} scanned ${e.nr_scanned} taken ${e.nr_taken}`),
  )
  const res = isolateMigratepages(m, env, c)
  off()
  return { res, trace }
}

describe('migrate scanner (mm/compaction.c:isolate_migratepages_block)', () => {
  test('free buddies are jumped by their order; isolation stops at COMPACT_CLUSTER_MAX pages', () => {
    setup()
    initFreeBlock(m, 0, 3)
    for (let p = 8; p < 48; p++) anonAt(m, p)
    const { res, trace } = scan('sync')
    expect(res).toBe('success')
    expect(c.migratepages.length).toBe(32)
    // The order-3 buddy at 0 then 8..39; [6.4+] the buddy's 8 pages count as scanned (6.1: 33).
    expect(trace).toEqual(['0-40 scanned 40 taken 32'])
    expect(c.migratePfn).toBe(40)
    expect(m.pg[8 << 2] & PG_lru).toBe(0) // off the LRU, with the isolation reference
    expect(m.refcount[8]).toBe(2)
  })

  test('compound pages [≤6.8]: never isolated (largeFolios skip), jumped whole', () => {
    setup('6.6')
    anonAt(m, 0, 4)
    anonAt(m, 16)
    const { trace } = scan('sync')
    expect(c.migratepages).toEqual([16])
    // [6.4+] the skipped folio's 16 pages count as scanned (6.1: 1 + 496 more pfns = 497).
    expect(trace[0]).toMatch(/^0-512 scanned 512 taken 1$/)
  })

  test('compound pages [6.9+]: isolated whole below cc->order (or for order -1), skipped at or above it', () => {
    setup('6.12')
    anonAt(m, 0, 4)
    expect(scan('sync', -1).trace[0]).toMatch(/taken 16$/)
    expect(c.migratepages).toEqual([0])
    putbackMovablePages(m, c.migratepages)
    setPageblockSkip(m, 0, false) // isolating marked the block (test_and_set_skip)
    expect(scan('sync', 9).trace[0]).toMatch(/taken 16$/)
    putbackMovablePages(m, c.migratepages)
    setPageblockSkip(m, 0, false)
    expect(scan('sync', 4).res).toBe('none') // order 4 ≥ cc->order 4: skip_isolation_on_order
  })

  test('a block starting with a pageblock-order compound page is no source (pageblock_skip_persistent)', () => {
    setup('6.12')
    anonAt(m, 0, 9)
    anonAt(m, 512)
    const { trace } = scan('sync', -1)
    expect(trace[0].startsWith('512-')).toBe(true)
    expect(c.migratepages).toEqual([512])
  })

  test('pinned anonymous folios (refcount - 1 > mapcount) are not isolated; an unmapped-extra-ref file folio is', () => {
    setup()
    anonAt(m, 0)
    anonAt(m, 1)
    fileAt(m, 2)
    folioPin(m, 0)
    getPageUnlessZero(m, 1) // a speculative reference looks like a pin to the scanner
    getPageUnlessZero(m, 2)
    scan('sync')
    expect(c.migratepages).toEqual([2])
    putbackMovablePages(m, c.migratepages)
    folioPut(m, 1)
    folioPut(m, 2)
  })

  test('ISOLATE_ASYNC_MIGRATE: writeback folios, and dirty folios whose lock is held, only outside MIGRATE_SYNC', () => {
    setup()
    anonAt(m, 0)
    anonAt(m, 1)
    anonAt(m, 2)
    folioSetFlags(m, 0, PG_writeback, true)
    folioSetFlags(m, 1, PG_dirty | PG_locked, true)
    folioSetFlags(m, 2, PG_dirty, true)
    scan('sync-light')
    expect(c.migratepages).toEqual([2])
    putbackMovablePages(m, c.migratepages)
    setPageblockSkip(m, 0, false)
    scan('sync')
    expect(c.migratepages).toEqual([0, 1, 2])
    putbackMovablePages(m, c.migratepages)
    folioSetFlags(m, 0, PG_writeback, false)
    folioSetFlags(m, 1, PG_locked, false)
  })

  test('unevictable folios only with compact_unevictable_allowed', () => {
    setup()
    anonAt(m, 0)
    folioSetFlags(m, 0, PG_unevictable, true)
    scan('sync', -1, 0, testEnv({ compactUnevictableAllowed: false }))
    expect(c.migratepages).toEqual([])
    expect(getPageblockSkip(m, 0)).toBe(true) // scanned to its end with nothing isolated
    setPageblockSkip(m, 0, false)
    scan('sync')
    expect(c.migratepages).toEqual([0])
    putbackMovablePages(m, c.migratepages)
    folioSetFlags(m, 0, PG_unevictable, false)
  })

  test('skip bits: a marked block is passed over unless ignore_skip_hint; isolating marks it (test_and_set_skip)', () => {
    setup()
    anonAt(m, 5)
    anonAt(m, 600)
    setPageblockSkip(m, 0, true)
    const first = scan('sync')
    expect(first.trace[0].startsWith('512-')).toBe(true)
    expect(c.migratepages).toEqual([600])
    expect(getPageblockSkip(m, 512)).toBe(true)
    putbackMovablePages(m, c.migratepages)
    c = createCompactControl(m, 0, -1, 'sync', defaultCompactionVariants(m))
    c.freePfn = 8192
    c.ignoreSkipHint = true
    c.gfpMask = GFP_KERNEL
    isolateMigratepages(m, testEnv(), c)
    expect(c.migratepages).toEqual([5])
  })

  test('a block scanned to its end with nothing isolated is marked and moves compact_cached_migrate_pfn', () => {
    setup()
    initFreeBlock(m, 0, 9)
    anonAt(m, 700)
    scan('sync-light')
    expect(getPageblockSkip(m, 0)).toBe(true)
    const s = compactionState(m)
    // update_cached_migrate(cc, end_pfn) takes pageblock_end_pfn(512) = ALIGN(513, 512) = 1024,
    // one block past the scanned one, exactly as the kernel's macro does.
    expect(s.cachedMigratePfn[0]).toBe(1024)
    expect(s.cachedMigratePfn[1]).toBe(1024) // [1] too: not async
  })

  test('async direct compaction needs the request type and skips an order-aligned chunk on failure', () => {
    setup()
    setPageblockMigratetype(m, 0, MIGRATE_UNMOVABLE)
    anonAt(m, 10)
    // pfn 512..519: one kernel page at 515 spoils the first order-3 chunk.
    for (const p of [512, 513, 514, 516, 517, 518, 519]) anonAt(m, p)
    for (let p = 520; p < 536; p++) anonAt(m, p)
    c = createCompactControl(m, 0, 3, 'async', defaultCompactionVariants(m))
    c.gfpMask = GFP_KERNEL
    c.migratetype = MIGRATE_MOVABLE
    c.directCompaction = true
    c.freePfn = 8192
    const trace: string[] = []
    compactionTraceSubscribe(m, 'mm_compaction_isolate_migratepages', (e) =>
      trace.push(`${e.start_pfn}-${e.end_pfn} taken ${e.nr_taken}`),
    )
    isolateMigratepages(m, testEnv(), c)
    // Block 0 is UNMOVABLE: no source for an async MOVABLE request. In block 512 the chunk
    // [512, 520) fails at 515: its 3 isolated pages go back and the rest of the chunk is
    // skipped; [520, 528) is isolated whole, and reaching the next chunk with pages held ends
    // the scan.
    expect(c.migratepages).toEqual([520, 521, 522, 523, 524, 525, 526, 527])
    expect(trace).toEqual(['512-528 taken 8'])
    expect(m.refcount[512]).toBe(1) // put back
  })
})
