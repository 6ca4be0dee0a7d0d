import { describe, expect, it } from 'vitest'
import { allocPages } from './alloc'
import {
  ALLOC_CMA,
  ALLOC_CPUSET,
  ALLOC_HIGHATOMIC,
  ALLOC_KSWAPD,
  ALLOC_MIN_RESERVE,
  ALLOC_NON_BLOCK,
  ALLOC_WMARK_MIN,
  gfpToAllocFlags,
} from './allocFlags'
import {
  GFP_ATOMIC,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  GFP_NOWAIT,
  __GFP_HIGH,
  __GFP_NOMEMALLOC,
} from './gfp'
import { checkInvariants } from './invariants'
import { NO_PAGE } from './memmap'
import { MIGRATE_HIGHATOMIC, MIGRATE_UNMOVABLE } from './migratetype'
import { getPfnblockMigratetype } from './pageblock'
import { testMachine } from './testing'

// mm/page_alloc.c:gfp_to_alloc_flags, as in the Debian 6.1.192 and 6.12 sources (6.3's flags,
// with 6a204d4b14c9 "only set ALLOC_HIGHATOMIC for __GPF_HIGH allocations").
describe('mm/page_alloc.c:gfp_to_alloc_flags (6.1 stable, 6.12)', () => {
  for (const era of ['6.1', '6.12']) {
    const m = testMachine({ kernelEra: era })
    it(`[${era}] GFP_ATOMIC: MIN_RESERVE | NON_BLOCK | KSWAPD, no cpuset; HIGHATOMIC above order 0`, () => {
      const base = ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_KSWAPD
      expect(gfpToAllocFlags(m, GFP_ATOMIC, 0)).toBe(base)
      expect(gfpToAllocFlags(m, GFP_ATOMIC, 1)).toBe(base | ALLOC_HIGHATOMIC)
    })
    it(`[${era}] GFP_NOWAIT: NON_BLOCK only, never HIGHATOMIC (no __GFP_HIGH)`, () => {
      const flags = gfpToAllocFlags(m, GFP_NOWAIT, 3)
      expect(flags).toBe(ALLOC_WMARK_MIN | ALLOC_CPUSET | ALLOC_NON_BLOCK | ALLOC_KSWAPD)
    })
    it(`[${era}] __GFP_NOMEMALLOC: no NON_BLOCK and no HIGHATOMIC, but __GFP_HIGH still drops the cpuset`, () => {
      const flags = gfpToAllocFlags(m, GFP_ATOMIC | __GFP_NOMEMALLOC, 2)
      expect(flags).toBe(ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE | ALLOC_KSWAPD)
    })
    it(`[${era}] a __GFP_HIGH caller that can reclaim: MIN_RESERVE, keeps the cpuset, no NON_BLOCK`, () => {
      const flags = gfpToAllocFlags(m, GFP_KERNEL | __GFP_HIGH, 2)
      expect(flags).toBe(ALLOC_WMARK_MIN | ALLOC_CPUSET | ALLOC_MIN_RESERVE | ALLOC_KSWAPD)
      expect(gfpToAllocFlags(m, GFP_HIGHUSER_MOVABLE, 0) & ALLOC_CMA).toBe(ALLOC_CMA)
    })
  }

  it('[6.10] before 6a204d4b14c9 (1ebbb21811b7, 6.3): every non-blocking order > 0 request gets HIGHATOMIC', () => {
    const m = testMachine({ kernelEra: '6.10' })
    expect(gfpToAllocFlags(m, GFP_NOWAIT, 1) & ALLOC_HIGHATOMIC).toBe(ALLOC_HIGHATOMIC)
    expect(gfpToAllocFlags(m, GFP_NOWAIT, 0) & ALLOC_HIGHATOMIC).toBe(0)
  })
})

describe('__alloc_pages: the MIN retry of a GFP_NOWAIT order-1 request', () => {
  // A 256 MiB zone, so that 6.8+'s ALIGN(managed/100, pageblock) cap allows a reserve. The LOW
  // mark is put above the free pages so the fast path fails and the MIN retry serves it.
  for (const [era, fixed] of [
    ['6.12', true],
    ['6.1', true],
    ['6.10', false],
  ] as const) {
    it(`[${era}] ${fixed ? 'leaves the pageblock alone' : 'turns the pageblock HighAtomic'}`, () => {
      const m = testMachine({ kernelEra: era, zones: [{ type: 'Normal', sizeMiB: 256 }] })
      const z = m.zones[0]
      z.wmarkLow = z.nrFreePages
      const pfn = allocPages(m, GFP_NOWAIT, 1)
      expect(pfn).not.toBe(NO_PAGE)
      const mt = getPfnblockMigratetype(m, pfn)
      expect(mt).toBe(fixed ? MIGRATE_UNMOVABLE : MIGRATE_HIGHATOMIC)
      expect(z.nrReservedHighatomic).toBe(fixed ? 0 : 512)
      expect(checkInvariants(m)).toBeNull()
    })
  }

  it('[6.12] GFP_ATOMIC order 1 through the same retry still reserves its pageblock', () => {
    const m = testMachine({ zones: [{ type: 'Normal', sizeMiB: 256 }] })
    const z = m.zones[0]
    z.wmarkLow = z.nrFreePages
    const pfn = allocPages(m, GFP_ATOMIC, 1)
    expect(getPfnblockMigratetype(m, pfn)).toBe(MIGRATE_HIGHATOMIC)
    expect(z.nrReservedHighatomic).toBe(512)
    expect(checkInvariants(m)).toBeNull()
  })
})
