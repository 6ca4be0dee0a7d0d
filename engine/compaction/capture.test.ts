/**
 * page_alloc.c:compaction_capture (called at each order of `__free_one_page`): a direct
 * compactor takes a block of its order freed in its zone while `current->capture_control` is
 * set, and `compact_zone` stops with SUCCESS. Below pageblock_order, a MOVABLE block is never
 * captured on 6.1; on 6.10+ (Baolin Wang, "mm: page_alloc: allowing mTHP compaction to capture
 * the freed page directly") a MOVABLE request may capture it, a non-movable one still not.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ALLOC_WMARK_MIN } from '../mm/allocFlags'
import { type KernelEra } from '../mm/config'
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL, __GFP_COMP } from '../mm/gfp'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { PG_head } from '../mm/memmap'
import { MIGRATE_MOVABLE } from '../mm/migratetype'
import { setPageblockMigratetype } from '../mm/pageblock'
import { allocPagesDirectCompact, compactZoneOrder, releaseCapturedPage } from './entry'
import { anonAt, freeRange, layoutMachine, testEnv } from './testFixtures'
import { COMPACT_PRIO_SYNC_LIGHT } from './types'

let m: Machine
afterEach(() => expect(checkInvariants(m)).toBeNull())

/** MOVABLE blocks; in each group of 8 pages the last holds an anon page (no free block ≥ order 3). */
function fragmented(era: KernelEra): void {
  m = layoutMachine({ kernelEra: era })
  for (let p = 0; p < 16384; p += 512) setPageblockMigratetype(m, p, MIGRATE_MOVABLE)
  for (let p = 0; p < 16384; p += 8) {
    freeRange(m, p, 7)
    anonAt(m, p + 7)
  }
}

function compact(order: number, gfp: number) {
  return compactZoneOrder(m, testEnv(), 0, order, gfp, COMPACT_PRIO_SYNC_LIGHT, ALLOC_WMARK_MIN, 3)
}

describe('compaction_capture', () => {
  it('6.12: a MOVABLE order-4 request captures the order-4 block its migration frees', () => {
    fragmented('6.12')
    const { result, cc } = compact(4, GFP_HIGHUSER_MOVABLE | __GFP_COMP)
    expect(result).toBe('success')
    // Two anon pages (pfns 7 and 15) migrated: their groups merge into the block at 0.
    expect(cc.capturedPfn).toBe(0)
    expect(m.capc.page).toBe(0)
    expect(releaseCapturedPage(m, GFP_HIGHUSER_MOVABLE)).toBe(0)
  })

  it('6.12: a non-movable order-4 request does not capture from a MOVABLE block', () => {
    fragmented('6.12')
    const { cc } = compact(4, GFP_KERNEL)
    expect(cc.capturedPfn).toBe(-1)
  })

  it('6.1: no capture of a MOVABLE block below pageblock_order, whatever the request', () => {
    fragmented('6.1')
    const { result, cc } = compact(4, GFP_HIGHUSER_MOVABLE | __GFP_COMP)
    expect(cc.capturedPfn).toBe(-1)
    // The merged block is found on the free list instead (__compact_finished).
    expect(result).toBe('success')
  })

  it('__alloc_pages_direct_compact hands out the captured page (prep_new_page), counted a success', () => {
    fragmented('6.12')
    const r = allocPagesDirectCompact(
      m,
      testEnv(),
      GFP_HIGHUSER_MOVABLE | __GFP_COMP,
      4,
      ALLOC_WMARK_MIN,
      COMPACT_PRIO_SYNC_LIGHT,
    )
    expect(r).toEqual({ pfn: 0, result: 'success' })
    expect(m.pg[0] & PG_head).not.toBe(0)
    expect(m.refcount[0]).toBe(1)
    expect(m.capc).toMatchObject({ zoneId: -1, page: -1 })
    m.refcount[0] = 0 // the test drops its folio
    releaseCapturedPage(m, 0)
  })
})
