/**
 * compact_migrate_scanned / compact_free_scanned per era: from v6.4 (Baolin Wang, "mm:
 * compaction: consider the number of scanning compound pages in isolate fail path"),
 * `isolate_migratepages_block` adds `(1 << order) - 1` to nr_scanned for a skipped free buddy
 * and a skipped compound page, and `isolate_freepages_block` for a skipped compound page;
 * 6.1 counts one pfn for each (batch2's `w1_612_p8k1`: 217599 scanned against 6.1's 115564).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type KernelEra } from '../mm/config'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { MIGRATE_MOVABLE } from '../mm/migratetype'
import { putbackMovablePages } from '../migrate/isolate'
import { isolateFreepagesBlock } from './freeScanner'
import { releaseFreeList } from './freepages'
import { isolateMigratepagesBlock } from './migrateScanner'
import { anonAt, freeRange, layoutMachine, testEnv } from './testFixtures'
import { createCompactControl, defaultCompactionVariants } from './types'

let m: Machine
afterEach(() => expect(checkInvariants(m)).toBeNull())

/** Block 1: a free order-4 buddy at 512, an anon page at 528, an anon order-4 folio at 544. */
function block(era: KernelEra): void {
  m = layoutMachine({ kernelEra: era })
  freeRange(m, 512, 16)
  anonAt(m, 528)
  anonAt(m, 544, 4)
}

function control(order: number) {
  const cc = createCompactControl(m, 0, order, 'sync', defaultCompactionVariants(m))
  cc.migratetype = MIGRATE_MOVABLE
  cc.ignoreSkipHint = true
  return cc
}

describe('nr_scanned of skipped free buddies and compound pages', () => {
  it.each([
    ['6.1', 512 - 15 - 15],
    ['6.12', 512],
  ] as const)('isolate_migratepages_block on %s scans %i', (era, scanned) => {
    block(era)
    // cc->order 3: the order-4 folio is skipped in both eras (≤6.8 every compound page,
    // 6.9+ skip_isolation_on_order: order ≥ cc->order).
    const cc = control(3)
    isolateMigratepagesBlock(m, testEnv(), cc, 512, 1024, 0)
    expect(cc.migratepages).toEqual([528])
    expect(cc.totalMigrateScanned).toBe(scanned)
    putbackMovablePages(m, cc.migratepages)
  })

  it.each([
    ['6.1', 512 - 15],
    ['6.12', 512],
  ] as const)('isolate_freepages_block on %s scans %i', (era, scanned) => {
    block(era)
    freeRange(m, 8192, 4096) // above the MIN watermark __isolate_free_page checks
    const cc = control(9)
    cc.variants.freepages = 'per-order' // how the pages are listed does not matter here
    cc.nrMigratepages = 1 << 20 // never enough: scan the whole block
    const out: number[] = []
    const n = isolateFreepagesBlock(m, testEnv(), cc, 512, 1024, out, 1, false)
    // The free buddy is isolated whole (its pages count as scanned in both eras).
    expect(n).toBe(16)
    expect(cc.totalFreeScanned).toBe(scanned)
    for (const p of out) cc.freepages[4].pushTail(p)
    releaseFreeList(m, cc)
  })
})
