/** `__rmqueue_smallest`, `expand` and `page_del_and_expand` (mm/page_alloc.c). */
import { addToFreeList, delFromFreeList } from './freeArea'
import { type Machine } from './machine'
import { NO_PAGE } from './memmap'
import { MIGRATE_CMA, MIGRATE_PCPTYPES, MIGRATE_TYPES } from './migratetype'
import { pcpAllowedOrder } from './pcpIndex'
import { traceZoneLocked } from './trace'
import { TP_MM_PAGE_ALLOC_ZONE_LOCKED } from './traceTypes'
import { type Zone } from './zone'

/**
 * `expand(zone, page, low, high, mt)`: split a block of order `high` down to `low`, putting
 * each upper half `page[1 << high]` at the head of its order's list. The caller keeps the lowest
 * piece. Returns the number of pages put back.
 */
export function expand(
  m: Machine,
  z: Zone,
  pfn: number,
  low: number,
  high: number,
  mt: number,
): number {
  let size = 1 << high
  let added = 0
  while (high > low) {
    high--
    size >>= 1
    addToFreeList(m, z, pfn + size, high, mt, false)
    added += size
  }
  return added
}

/** `page_del_and_expand()` [6.10+] (and the ≤6.9 del + expand pair). */
export function pageDelAndExpand(
  m: Machine,
  z: Zone,
  pfn: number,
  low: number,
  high: number,
  mt: number,
): void {
  delFromFreeList(m, z, pfn, high)
  expand(m, z, pfn, low, high, mt)
}

/**
 * `__rmqueue_smallest()`: from `order` upwards, take the head of `free_list[mt]`, unlink it and
 * split off the remainder. Returns the head pfn or NO_PAGE.
 */
export function rmqueueSmallest(m: Machine, z: Zone, order: number, mt: number): number {
  const maxOrder = m.maxOrder
  let li = (z.id * m.nrOrders + order) * MIGRATE_TYPES + mt
  for (let o = order; o <= maxOrder; o++, li += MIGRATE_TYPES) {
    const pfn = m.faHead[li]
    if (pfn < 0) continue
    pageDelAndExpand(m, z, pfn, order, o, mt)
    if (m.traceOn[TP_MM_PAGE_ALLOC_ZONE_LOCKED] !== 0) {
      traceZoneLocked(m, pfn, order, mt, pcpAllowedOrder(order) && mt < MIGRATE_PCPTYPES)
    }
    return pfn
  }
  return NO_PAGE
}

/** `__rmqueue_cma_fallback()`. */
export function rmqueueCmaFallback(m: Machine, z: Zone, order: number): number {
  return rmqueueSmallest(m, z, order, MIGRATE_CMA)
}
