import { afterEach, describe, expect, test } from 'vitest'
import { initFreeBlock } from '../mm/boot'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { PAGE_TYPE_BUDDY, PG_head } from '../mm/memmap'
import { isolateFreePage } from './freeScanner'
import { compactionAlloc, compactionFree, releaseFreeList } from './freepages'
import { freeRange, layoutMachine, testEnv } from './testFixtures'
import { type CompactControl, createCompactControl, defaultCompactionVariants } from './types'

let m: Machine
let c: CompactControl
afterEach(() => {
  releaseFreeList(m, c)
  expect(checkInvariants(m)).toBeNull()
})

/** A 6.12 machine (per-order `cc->freepages[]`) with an order-10 pool for the watermark. */
function setup(): void {
  m = layoutMachine({ kernelEra: '6.12' })
  freeRange(m, 15360, 1024)
  c = createCompactControl(m, 0, -1, 'sync', defaultCompactionVariants(m))
  c.migratePfn = 0
  c.freePfn = 8192
}

/** Put a free buddy on `cc->freepages[order]` as isolate_freepages_block does. */
function onList(pfn: number, order: number): void {
  initFreeBlock(m, pfn, order)
  c.nrFreepages += isolateFreePage(m, m.zones[0], pfn, order)
  c.freepages[order].pushTail(pfn)
}

describe('compaction_alloc [6.9+] (mm/compaction.c:compaction_alloc_noprof, 6.12)', () => {
  test('takes the smallest non-empty list ≥ the folio order and puts the upper halves back', () => {
    setup()
    onList(4096, 6)
    c.nrMigratepages = 16
    const dst = compactionAlloc(m, testEnv(), c, 4)
    expect(dst).toBe(4096)
    expect(m.pg[dst << 2] & PG_head).toBe(PG_head) // prep_compound_page
    expect(m.refcount[dst]).toBe(1)
    expect(c.freepages[5].length).toBe(1) // 4096+32
    expect(c.freepages[4].length).toBe(1) // 4096+16
    expect(c.nrFreepages).toBe(48)
    expect(c.nrMigratepages).toBe(0)
    compactionFree(m, c, dst)
    expect(c.freepages[4].length).toBe(2)
  })

  test('lists holding only smaller blocks: isolate_freepages returns at once, NULL for an order-4 folio', () => {
    // isolate_freepages (6.12): `fast_isolate_freepages(cc); if (cc->nr_freepages) return;`
    // (fast_isolate_freepages returns at once for compact_memory's cc->order -1). With 11
    // pages of order 0, 1 and 3 left on the lists, the free scanner does not run, so the
    // order-4 buddy it would find stays free and compaction_alloc returns NULL: migrate_pages
    // gets -ENOMEM and splits the large folio (migrate_pages_batch, try_split_folio).
    setup()
    onList(4096, 0)
    onList(4098, 1)
    onList(4104, 3)
    initFreeBlock(m, 8192 - 512 + 16, 4) // in the pageblock below free_pfn
    c.nrMigratepages = 32
    expect(compactionAlloc(m, testEnv(), c, 4)).toBe(-1)
    expect(m.pg[(8192 - 512 + 16) << 2] & PAGE_TYPE_BUDDY).toBe(PAGE_TYPE_BUDDY) // not isolated
    expect(c.freePfn).toBe(8192) // the scanner did not move
    expect(c.nrFreepages).toBe(11)
    // An order-0 folio is served from the lists (the order-0 page first).
    const dst = compactionAlloc(m, testEnv(), c, 0)
    expect(dst).toBe(4096)
    compactionFree(m, c, dst)
    // With the lists empty the free scanner runs and finds the order-4 buddy.
    releaseFreeList(m, c)
    expect(compactionAlloc(m, testEnv(), c, 4)).toBe(8192 - 512 + 16)
    compactionFree(m, c, 8192 - 512 + 16)
  })
})
