/**
 * Exact page layouts on a `boot: 'allocated'` machine, for importers of real memory maps and
 * for tests that must reproduce a precise arrangement (a free MAX_ORDER page across two
 * pageblocks, a compound page straddling a boundary). Every page touched must still be an
 * unused allocated order-0 placeholder, as `initFreeBlock` requires.
 */
import { initFreeBlock, PAGE_ALLOC, PG_head, type Machine } from '../mm'
import { pageFlags, pageOrder, setPageFlags, setPageOrder } from '../mm/memmap'

function requirePlaceholders(m: Machine, pfn: number, nrPages: number, what: string): void {
  for (let p = pfn; p < pfn + nrPages; p++) {
    if (pageFlags(m, p) !== PAGE_ALLOC || pageOrder(m, p) !== 0 || m.refcount[p] !== 1) {
      throw new Error(`${what}: pfn ${p} is not an unused allocated order-0 page`)
    }
  }
}

/**
 * Turn `2^order` placeholder pages at `pfn` into one allocated block with refcount 1 and the
 * given folio flags on its head (`PG_lru | PG_anon`, ...). `compound` adds PG_head (a folio
 * allocated with `__GFP_COMP`); otherwise the tails are the refcount-0 pages of a plain
 * high-order allocation.
 */
export function placeFolio(m: Machine, pfn: number, order: number, flags: number, compound = order > 0): void {
  if ((pfn & ((1 << order) - 1)) !== 0) throw new RangeError(`placeFolio: pfn ${pfn} not aligned to order ${order}`)
  requirePlaceholders(m, pfn, 1 << order, 'placeFolio')
  for (let p = pfn + 1; p < pfn + (1 << order); p++) {
    setPageFlags(m, p, 0)
    m.refcount[p] = 0
  }
  setPageFlags(m, pfn, PAGE_ALLOC | flags | (compound && order > 0 ? PG_head : 0))
  setPageOrder(m, pfn, order)
  m.refcount[pfn] = 1
}

/** Free `[startPfn, endPfn)` of placeholder pages as maximal naturally aligned buddies (no merging). */
export function placeFreeRange(m: Machine, startPfn: number, endPfn: number): void {
  let pfn = startPfn
  while (pfn < endPfn) {
    let order = m.maxOrder
    while (order > 0 && ((pfn & ((1 << order) - 1)) !== 0 || pfn + (1 << order) > endPfn)) order--
    initFreeBlock(m, pfn, order)
    pfn += 1 << order
  }
}
