/**
 * Seed 000, Zi Yan's "[PATCH v3 2/3] mm/compaction: add support for >0 order folio memory
 * compaction" (Feb 2024): free pages kept at their order and never split. "Without splitting
 * free pages, compaction can end prematurely due to migration will return -ENOMEM even if there
 * is free pages. This happens when no order-0 free page exist and compaction_alloc() return
 * NULL." compact_zone then stops with COMPACT_CONTENDED (-ENOMEM before the scanners met);
 * the merged 6.9 code (`'per-order'`) splits a larger isolated page and completes.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { MIGRATE_MOVABLE } from '../mm/migratetype'
import { setPageblockMigratetype } from '../mm/pageblock'
import { vmEventCount } from '../mm/vmstat'
import { VM_PGMIGRATE_SUCCESS } from '../mm/vmstatItems'
import { compactNode } from './entry'
import { compactionTraceSubscribe } from './state'
import { anonAt, freeRange, layoutMachine, testEnv } from './testFixtures'
import { type CompactionVariants } from './types'

let m: Machine
afterEach(() => expect(checkInvariants(m)).toBeNull())

/** Every group of 4 pages: a free order-1 buddy, then two anon pages. No free order-0 page. */
function pairs(): void {
  m = layoutMachine({ kernelEra: '6.12' })
  for (let p = 0; p < 16384; p += 512) setPageblockMigratetype(m, p, MIGRATE_MOVABLE)
  for (let p = 0; p < 16384; p += 4) {
    freeRange(m, p, 2)
    anonAt(m, p + 2)
    anonAt(m, p + 3)
  }
}

function run(freepages: CompactionVariants['freepages']) {
  pairs()
  let isolatedFree = 0
  let failed = 0
  compactionTraceSubscribe(
    m,
    'mm_compaction_isolate_freepages',
    (e) => (isolatedFree += e.nr_taken),
  )
  compactionTraceSubscribe(m, 'mm_compaction_migratepages', (e) => (failed += e.nr_failed))
  const results = compactNode(m, testEnv({ variants: { freepages } }), 0)
  return { results, isolatedFree, failed, migrated: vmEventCount(m, VM_PGMIGRATE_SUCCESS) }
}

describe("compaction_alloc without splitting (seed 000's hazard)", () => {
  it("'per-order-nosplit': -ENOMEM ends compaction (CONTENDED) with free pages isolated", () => {
    const r = run('per-order-nosplit')
    expect(r.results).toEqual(['contended'])
    expect(r.isolatedFree).toBeGreaterThan(0) // order-1 pages were on cc->freepages[1]
    expect(r.migrated).toBe(0)
    expect(r.failed).toBeGreaterThan(0)
  })

  it("'per-order' (6.9 as merged) splits an order-1 page for each order-0 source and completes", () => {
    const r = run('per-order')
    expect(r.results).toEqual(['complete'])
    expect(r.migrated).toBeGreaterThan(1000)
  })
})
