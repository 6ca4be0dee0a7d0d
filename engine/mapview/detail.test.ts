import { describe, expect, it } from 'vitest'
import {
  __GFP_COMP,
  allocPages,
  folioAddMapcount,
  folioGet,
  folioSetFlags,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  PG_anon,
  PG_lru,
} from '../mm'
import { testMachine } from '../mm/testing'
import { pageDetail, PK_ANON, PK_FREE, PK_KERNEL } from './detail'

describe('pageDetail', () => {
  it('every page of a compound folio reports the head, its order and the folio refcount/mapcount', () => {
    const m = testMachine()
    const head = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 3)
    folioSetFlags(m, head, PG_lru | PG_anon, true)
    folioGet(m, head + 5) // a reference through a tail lands on the head (folio_get)
    folioAddMapcount(m, head, 1)
    const d = pageDetail(m, head + 2, 4)
    expect(d.startPfn).toBe(head + 2)
    for (let i = 0; i < 4; i++) {
      expect(d.headPfn[i]).toBe(head)
      expect(d.order[i]).toBe(3)
      expect(d.kind[i]).toBe(PK_ANON)
      expect(d.refcount[i]).toBe(2)
      expect(d.mapcount[i]).toBe(1)
      expect(d.flags[i] & PG_lru).toBe(PG_lru)
    }
  })

  it('free pages belong to their buddy block; a window starting mid-block still finds its head', () => {
    const m = testMachine()
    const d = pageDetail(m, 1000, 100)
    // boot frees the 64 MiB zone in order-10 blocks: pfn 1000 is in the block at 0
    expect(d.headPfn[0]).toBe(0)
    expect(d.order[0]).toBe(10)
    expect(d.kind[0]).toBe(PK_FREE)
    expect(d.headPfn[99]).toBe(1024)
  })

  it('an order-0 kernel page stands alone among the buddies its allocation split off', () => {
    const m = testMachine()
    const pfn = allocPages(m, GFP_KERNEL, 0)
    const d = pageDetail(m, pfn, 2)
    expect(d.kind[0]).toBe(PK_KERNEL)
    expect(d.order[0]).toBe(0)
    expect(d.refcount[0]).toBe(1)
    // expand() hands back the buddy of each split: the page next to it is a free order-0 block
    expect(d.kind[1]).toBe(PK_FREE)
    expect(d.headPfn[1]).toBe(pfn ^ 1)
  })

  it('clips the window to the machine', () => {
    const m = testMachine()
    const d = pageDetail(m, 16380, 100)
    expect(d.nrPages).toBe(4)
  })
})
