import { describe, expect, it } from 'vitest'
import { allocPagesFlags } from './alloc'
import { ALLOC_CMA, ALLOC_NO_WATERMARKS } from './allocFlags'
import { GFP_HIGHUSER_MOVABLE } from './gfp'
import { checkInvariants } from './invariants'
import { MIGRATE_MOVABLE } from './migratetype'
import { freePages } from './free'
import { freeList, testMachine } from './testing'

const FLAGS = ALLOC_NO_WATERMARKS | ALLOC_CMA

describe('mm/page_alloc.c:__rmqueue_smallest and expand', () => {
  it('splits the smallest sufficient block, keeps the lowest piece and frees the upper halves', () => {
    const m = testMachine()
    // Boot freed the order-10 blocks to the list tails in pfn order, so pfn 0 is the head.
    const pfn = allocPagesFlags(m, GFP_HIGHUSER_MOVABLE, 0, FLAGS)
    expect(pfn).toBe(0)
    for (let o = 0; o < 10; o++) expect(freeList(m, 0, o, MIGRATE_MOVABLE)).toEqual([1 << o])
    expect(m.nrFree[10]).toBe(15)
    expect(m.zones[0].nrFreePages).toBe(16384 - 1)
    expect(checkInvariants(m)).toBeNull()
  })

  it('takes the head of the list: the most recently freed block of the order', () => {
    const m = testMachine()
    const a = allocPagesFlags(m, GFP_HIGHUSER_MOVABLE, 0, FLAGS)
    const b = allocPagesFlags(m, GFP_HIGHUSER_MOVABLE, 0, FLAGS)
    const c = allocPagesFlags(m, GFP_HIGHUSER_MOVABLE, 0, FLAGS)
    expect([a, b, c]).toEqual([0, 1, 2])
    freePages(m, b, 0) // no merge possible (0 is allocated): head of order 0
    expect(allocPagesFlags(m, GFP_HIGHUSER_MOVABLE, 0, FLAGS)).toBe(b)
  })

  it('serves an order-2 request from the order-2 list before splitting a larger block', () => {
    const m = testMachine()
    allocPagesFlags(m, GFP_HIGHUSER_MOVABLE, 0, FLAGS) // leaves 4 on the order-2 list
    expect(allocPagesFlags(m, GFP_HIGHUSER_MOVABLE, 2, FLAGS)).toBe(4)
    expect(m.nrFree[2]).toBe(0)
  })
})
