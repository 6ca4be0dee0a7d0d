/**
 * The pageblock rule of mm/page_alloc.c:__free_one_page, before and after Zi Yan's 5.18 commit
 * 1dd214b8f21c ("mm: page_alloc: avoid merging non-fallbackable pageblocks with others"):
 * - 5.18+ (6.1 and 6.12 alike): at order >= pageblock_order, a buddy of another pageblock type
 *   merges only if both types are mergeable (`migratetype_is_mergeable`: UNMOVABLE, MOVABLE,
 *   RECLAIMABLE), so CMA, HIGHATOMIC and ISOLATE pageblocks never merge with other types.
 * - ≤5.17 (`buddy.mergeRule: 'isolate-only'`, `m.mergeIsolateOnly`): only `if
 *   (unlikely(has_isolate_pageblock(zone)))` and only `is_migrate_isolate(migratetype) ||
 *   is_migrate_isolate(buddy_mt)` stops a merge; the merged block goes on the freer's list.
 * The invariant checker accepts the old rule's mixed blocks and still catches real violations.
 */
import { describe, expect, it } from 'vitest'
import { KERNEL_ERAS } from './config'
import { checkInvariants } from './invariants'
import { MIGRATE_CMA, MIGRATE_HIGHATOMIC, MIGRATE_ISOLATE, MIGRATE_MOVABLE } from './migratetype'
import { getPfnblockMigratetype, setPageblockIsolate, setPageblockMigratetype } from './pageblock'
import { freeList, freeRange, testMachine } from './testing'

function machine(era: string, isolateOnly: boolean) {
  const m = testMachine({ boot: 'allocated', kernelEra: era })
  m.mergeIsolateOnly = isolateOnly
  return m
}

describe('__free_one_page pageblock rule: 5.18+ (migratetype_is_mergeable) vs ≤5.17 (isolation only)', () => {
  for (const era of KERNEL_ERAS) {
    it(`[${era}] 5.18+: a CMA pageblock and its free MOVABLE buddy stay two order-9 blocks`, () => {
      const m = machine(era, false)
      setPageblockMigratetype(m, 512, MIGRATE_CMA)
      freeRange(m, 0, 512)
      freeRange(m, 512, 512)
      expect(freeList(m, 0, 9, MIGRATE_MOVABLE)).toEqual([0])
      expect(freeList(m, 0, 9, MIGRATE_CMA)).toEqual([512])
      expect(m.nrFree[10]).toBe(0)
      expect(m.zones[0].nrFreeCmaPages).toBe(512)
      expect(checkInvariants(m)).toBeNull()
    })

    it(`[${era}] ≤5.17: they merge into one order-10 block on the freer's list, types unchanged`, () => {
      for (const cmaLast of [true, false]) {
        const m = machine(era, true)
        setPageblockMigratetype(m, 512, MIGRATE_CMA)
        if (cmaLast) {
          freeRange(m, 0, 512)
          freeRange(m, 512, 512)
        } else {
          freeRange(m, 512, 512)
          freeRange(m, 0, 512)
        }
        const list = cmaLast ? MIGRATE_CMA : MIGRATE_MOVABLE
        expect(freeList(m, 0, 10, list)).toEqual([0])
        expect(m.nrFree[9]).toBe(0)
        // No relabelling: the pageblocks keep their types under the merged block.
        expect(getPfnblockMigratetype(m, 0)).toBe(MIGRATE_MOVABLE)
        expect(getPfnblockMigratetype(m, 512)).toBe(MIGRATE_CMA)
        // NR_FREE_CMA_PAGES follows the list: 1024 or 0 while 512 CMA pages are free.
        expect(m.zones[0].nrFreeCmaPages).toBe(cmaLast ? 1024 : 0)
        expect(checkInvariants(m)).toBeNull()
      }
    })

    it(`[${era}] ≤5.17: HIGHATOMIC merges with MOVABLE too; ISOLATE does not while the zone has isolated pageblocks`, () => {
      const m = machine(era, true)
      setPageblockMigratetype(m, 512, MIGRATE_HIGHATOMIC)
      freeRange(m, 0, 1024)
      expect(freeList(m, 0, 10, MIGRATE_HIGHATOMIC)).toEqual([0])
      setPageblockIsolate(m, 1536, true, MIGRATE_MOVABLE)
      freeRange(m, 1024, 1024)
      expect(freeList(m, 0, 9, MIGRATE_MOVABLE)).toEqual([1024])
      expect(freeList(m, 0, 9, MIGRATE_ISOLATE)).toEqual([1536])
      expect(checkInvariants(m)).toBeNull()
    })
  }
})

describe('invariant checker under the ≤5.17 rule', () => {
  it('still catches a free block spanning isolated and non-isolated pageblocks', () => {
    const m = machine('6.12', true)
    setPageblockMigratetype(m, 512, MIGRATE_CMA)
    freeRange(m, 0, 1024)
    expect(checkInvariants(m)).toBeNull()
    // Isolating half of the merged block without splitting it (what isolate_single_pageblock
    // exists to prevent) is a real violation under either rule.
    setPageblockIsolate(m, 512, true, MIGRATE_CMA)
    expect(checkInvariants(m)?.rule).toBe('free-block-spans-isolation')
  })

  it('still catches NR_FREE_CMA_PAGES out of step with the CMA lists', () => {
    const m = machine('6.1', true)
    setPageblockMigratetype(m, 512, MIGRATE_CMA)
    freeRange(m, 0, 1024)
    m.zones[0].nrFreeCmaPages -= 1
    expect(checkInvariants(m)?.rule).toBe('nr-free-cma')
  })

  it('5.18+ at 6.10+: a block on a list other than its pageblocks is still a hygiene violation', () => {
    const m = machine('6.12', true)
    setPageblockMigratetype(m, 512, MIGRATE_CMA)
    freeRange(m, 0, 1024)
    m.mergeIsolateOnly = false
    expect(checkInvariants(m)?.rule).toBe('freelist-hygiene')
  })
})
