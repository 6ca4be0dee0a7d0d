import { describe, expect, it } from 'vitest'
import { allocPages } from './alloc'
import {
  folioAddMapcount,
  folioGet,
  folioMaybeDmaPinned,
  folioOrder,
  folioPin,
  folioPut,
  folioSetFlags,
  folioTryGet,
  folioTrylock,
  folioUnpin,
  getPageUnlessZero,
} from './folio'
import { freePages } from './free'
import { __GFP_COMP, GFP_HIGHUSER_MOVABLE, GFP_KERNEL } from './gfp'
import { checkInvariants } from './invariants'
import {
  PAGE_ALLOC,
  PAGE_TYPE_BUDDY,
  PG_active,
  PG_dirty,
  PG_file,
  PG_lru,
  PG_mlocked,
  PG_writeback,
  pageFlags,
} from './memmap'
import { testMachine } from './testing'
import { InvariantError } from './violation'
import { vmstat } from './vmstat'

const stat = (m: ReturnType<typeof testMachine>, name: string) =>
  vmstat(m).find(([k]) => k === name)?.[1]

describe('folio references (include/linux/mm.h, mm/swap.c:__folio_put)', () => {
  it('folio_get/folio_put: the folio is freed when the last reference goes', () => {
    const m = testMachine()
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 2)
    expect(folioOrder(m, pfn + 3)).toBe(2)
    folioGet(m, pfn + 1) // through a tail page: the head's count
    expect(m.refcount[pfn]).toBe(2)
    folioPut(m, pfn)
    expect(m.zones[0].nrFreePages).toBe(16384 - 4)
    folioPut(m, pfn)
    expect(m.zones[0].nrFreePages).toBe(16384)
    expect(checkInvariants(m)).toBeNull()
  })

  it('get_page_unless_zero fails on free pages and compound tails, succeeds on an allocated head', () => {
    const m = testMachine()
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 1)
    expect(getPageUnlessZero(m, pfn + 1)).toBe(false)
    expect(getPageUnlessZero(m, 8000)).toBe(false)
    expect(folioTryGet(m, pfn + 1)).toBe(true)
    expect(m.refcount[pfn]).toBe(2)
  })

  it('a speculative reference keeps a folio alive past its owner; the holder frees it', () => {
    const m = testMachine()
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 0)
    expect(getPageUnlessZero(m, pfn)).toBe(true)
    freePages(m, pfn, 0)
    expect(pageFlags(m, pfn) & PAGE_TYPE_BUDDY).toBe(0)
    folioPut(m, pfn)
    expect(m.zones[0].nrFreePages).toBe(16384)
    expect(checkInvariants(m)).toBeNull()
  })

  it('__free_pages on a non-compound block with another holder frees all but the first page now', () => {
    const m = testMachine()
    const pfn = allocPages(m, GFP_KERNEL, 2)
    expect(getPageUnlessZero(m, pfn)).toBe(true)
    freePages(m, pfn, 2)
    expect(m.zones[0].nrFreePages).toBe(16384 - 1)
    expect(checkInvariants(m)).toBeNull()
    folioPut(m, pfn)
    expect(m.zones[0].nrFreePages).toBe(16384)
    expect(checkInvariants(m)).toBeNull()
  })

  it('FOLL_LONGTERM pins: small folios add GUP_PIN_COUNTING_BIAS, large ones count _pincount', () => {
    const m = testMachine()
    const small = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    folioPin(m, small)
    expect(m.refcount[small]).toBe(1025)
    expect(folioMaybeDmaPinned(m, small)).toBe(true)
    folioUnpin(m, small)
    expect(folioMaybeDmaPinned(m, small)).toBe(false)
    const large = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 4)
    folioPin(m, large + 5)
    expect(m.pincount[large]).toBe(1)
    expect(m.refcount[large]).toBe(2)
    expect(folioMaybeDmaPinned(m, large)).toBe(true)
    folioUnpin(m, large)
    folioPut(m, large)
    expect(checkInvariants(m)).toBeNull()
  })
})

describe('folio flags and their counters', () => {
  it('dirty file folios count in nr_dirty and nr_zone_write_pending; writeback and mlock likewise', () => {
    const m = testMachine()
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 2)
    folioSetFlags(m, pfn, PG_file | PG_lru, true)
    folioSetFlags(m, pfn, PG_dirty, true)
    expect(stat(m, 'nr_dirty')).toBe(4)
    folioSetFlags(m, pfn, PG_writeback, true)
    expect(stat(m, 'nr_writeback')).toBe(4)
    expect(stat(m, 'nr_zone_write_pending')).toBe(8)
    folioSetFlags(m, pfn, PG_dirty | PG_writeback, false)
    folioSetFlags(m, pfn, PG_mlocked, true)
    expect(stat(m, 'nr_mlock')).toBe(4)
    expect(stat(m, 'nr_zone_write_pending')).toBe(0)
    expect(folioTrylock(m, pfn)).toBe(true)
    expect(folioTrylock(m, pfn)).toBe(false)
  })
})

describe('CONFIG_DEBUG_VM checks in the free path', () => {
  it('a double free is a refcount underflow naming the pfn and the operation', () => {
    const m = testMachine()
    const pfn = allocPages(m, GFP_KERNEL, 0)
    freePages(m, pfn, 0)
    let err: unknown
    try {
      freePages(m, pfn, 0)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InvariantError)
    expect((err as InvariantError).violation).toMatchObject({
      rule: 'refcount-underflow',
      pfn,
      event: '__free_pages',
    })
  })

  it('freeing a page still on the LRU or mapped is a bad page', () => {
    const m = testMachine()
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    folioSetFlags(m, pfn, PG_lru, true)
    // __free_pages does no __page_cache_release: free_pages_prepare sees PG_lru.
    expect(() => freePages(m, pfn, 0)).toThrow(/bad-page/)
    const p2 = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    folioAddMapcount(m, p2, 1)
    expect(() => freePages(m, p2, 0)).toThrow(/mapcount 1/)
  })
  it('folio_put of the last reference takes an LRU folio off the LRU first (__page_cache_release)', () => {
    const m = testMachine()
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 2)
    folioSetFlags(m, pfn, PG_lru | PG_active, true)
    folioGet(m, pfn)
    folioPut(m, pfn)
    // Not the last reference: still on the LRU.
    expect(pageFlags(m, pfn) & (PG_lru | PG_active)).toBe(PG_lru | PG_active)
    folioPut(m, pfn)
    expect(m.refcount[pfn]).toBe(0)
    expect(pageFlags(m, pfn) & PAGE_ALLOC).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })
})
