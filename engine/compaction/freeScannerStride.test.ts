/**
 * The free scanner's stride (mm/compaction.c:isolate_freepages, 6.1): `stride` is a local of
 * each call, 1 for sync compaction; it doubles (to COMPACT_CLUSTER_MAX) only after a block that
 * `isolate_freepages_block` scanned to its end without isolating anything; blocks refused by
 * `suitable_migration_target` / `isolation_suitable` `continue` before that adjustment; and the
 * next call resumes at `cc->free_pfn`, mid-block, with stride 1 again.
 *
 * The layout is the top of the calibration guest's DMA32 (docs/calibration.md): pageblocks with
 * nothing free (memblock's reservations) above blocks where one page in eight is kept. With the
 * guest's phase (kept pfns ≡ 5 mod 8) the stride-32 scan lands on free order-2 buddies; with
 * kept pfns ≡ 0 mod 8 it lands only on kept pages and isolates nothing, in the kernel as here.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { initFreeBlock } from '../mm/boot'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { MIGRATE_MOVABLE } from '../mm/migratetype'
import { setPageblockMigratetype } from '../mm/pageblock'
import { isolateFreepages } from './freeScanner'
import { releaseFreeList } from './freepages'
import { freeRange, layoutMachine, testEnv } from './testFixtures'
import { type CompactControl, createCompactControl, defaultCompactionVariants } from './types'

const PB = 512
let m: Machine
let c: CompactControl
const taken: number[] = []

afterEach(() => {
  for (const pfn of taken) c.freepages[m.pg[(pfn << 2) + 1] & 0xff].pushTail(pfn)
  taken.length = 0
  releaseFreeList(m, c)
  expect(checkInvariants(m)).toBeNull()
})

/**
 * 64 MiB (32 pageblocks), all MOVABLE: an order-10 pool at pfn 0 for __isolate_free_page's
 * watermark (below the migrate scanner, never scanned), `emptyTop` pageblocks of kernel pages
 * under the zone end, then pattern blocks where the page at `phase` of every 8 is kept.
 */
function guestTop(emptyTop: number, phase: number, patternBlocks = 10): number {
  m = layoutMachine()
  for (let b = 0; b < 32; b++) setPageblockMigratetype(m, b * PB, MIGRATE_MOVABLE)
  freeRange(m, 0, 1024)
  const top = 32 - emptyTop
  for (let b = top - patternBlocks; b < top; b++) {
    let runStart = b * PB
    for (let pfn = b * PB; pfn < (b + 1) * PB; pfn++) {
      if ((pfn & 7) !== phase) continue
      if (pfn > runStart) freeRange(m, runStart, pfn - runStart)
      runStart = pfn + 1
    }
    if (runStart < (b + 1) * PB) freeRange(m, runStart, (b + 1) * PB - runStart)
  }
  c = createCompactControl(m, 0, -1, 'sync', defaultCompactionVariants(m))
  c.migratePfn = 1024 // low_pfn: the end of the migrate scanner's block, above the pool
  c.freePfn = 31 * PB
  c.nrMigratepages = 32
  return top
}

describe('free scanner stride (compaction.c:isolate_freepages)', () => {
  test("the guest's phase: after 5 empty blocks the stride is 32 and lands on an order-2 buddy", () => {
    const top = guestTop(6, 5)
    isolateFreepages(m, testEnv(), c, taken)
    const b = (top - 1) * PB
    // Offset 0 of the first pattern block heads an order-2 buddy. After it the scan goes on from
    // its last page (blockpfn += isolated - 1, then += stride): offsets 35, 67, ... are tails of
    // order-2 buddies, so the block gives 4 pages; being productive, it resets the stride to 1
    // and the next block is taken page by page: 0 (order 2), 4 (order 0), 6 (order 1), 8 ...
    expect(taken.slice(0, 5)).toEqual([b, b - PB, b - PB + 4, b - PB + 6, b - PB + 8])
    expect(c.nrFreepages).toBe(32)
    // 512 + 256 + 128 + 64 + 32 pfns for the first five empty blocks, 16 for the sixth, then
    // 4 for the buddy (a buddy counts 2^order) and 15 tails at stride 32 in the first pattern
    // block, then 28 free pages and the 4 kept pages between them in the next.
    const patternScanned = c.totalFreeScanned - (992 + 16)
    expect(patternScanned).toBe(4 + 15 + 28 + 4)
  })

  test('the next call starts again at stride 1 from cc->free_pfn, mid-block', () => {
    const top = guestTop(6, 5)
    isolateFreepages(m, testEnv(), c, taken)
    const first = taken.length
    const resume = c.freePfn
    const b = (top - 2) * PB
    expect(resume).toBeGreaterThan(b)
    expect(resume).toBeLessThan(b + PB)
    c.nrFreepages = 0
    isolateFreepages(m, testEnv(), c, taken)
    expect(taken[first]).toBe(resume)
    // Stride 1: each free buddy after `resume` in turn (phase 5: buddies at offsets 0, 4, 6 mod 8).
    const next = taken.slice(first, first + 6)
    for (const p of next) expect([0, 4, 6]).toContain((p - b) & 7)
    for (let i = 1; i < next.length; i++) expect(next[i] - next[i - 1]).toBeLessThanOrEqual(4)
  })

  test('kept pfns ≡ 0 mod 8 at stride 32: every pfn visited is kept, nothing is isolated', () => {
    guestTop(6, 0)
    isolateFreepages(m, testEnv(), c, taken)
    expect(taken).toEqual([])
    expect(c.nrFreepages).toBe(0)
    // The scanner went all the way down to the migrate scanner's block.
    expect(c.freePfn).toBeLessThan(1024 + PB)
  })

  test('a block refused by suitable_migration_target does not double the stride', () => {
    // 4 empty blocks (stride 16), then a free order-9 buddy (refused: order ≥ pageblock_order),
    // then a block whose only free page is at offset 16: stride 16 finds it, 32 would not.
    m = layoutMachine()
    for (let b = 0; b < 32; b++) setPageblockMigratetype(m, b * PB, MIGRATE_MOVABLE)
    freeRange(m, 0, 1024)
    initFreeBlock(m, 27 * PB, 9)
    initFreeBlock(m, 26 * PB + 16, 0)
    c = createCompactControl(m, 0, -1, 'sync', defaultCompactionVariants(m))
    c.migratePfn = 1024
    c.freePfn = 31 * PB
    c.nrMigratepages = 1
    isolateFreepages(m, testEnv(), c, taken)
    expect(taken).toEqual([26 * PB + 16])
    expect(c.totalFreeScanned).toBe(512 + 256 + 128 + 64 + 2)
  })
})
