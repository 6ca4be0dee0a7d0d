/**
 * `free_area[order].free_list[migratetype]` as intrusive doubly linked lists over the
 * per-pfn `next`/`prev` arrays, with `nr_free` and per-list counts, plus the free-page
 * accounting of both eras. Accounting follows the list a block sits on: NR_FREE_PAGES counts
 * every list but ISOLATE, NR_FREE_CMA_PAGES the CMA lists, and [6.12+] `nr_free_highatomic`
 * the HIGHATOMIC lists. This equals [≤6.9] `__mod_zone_freepage_state` and [6.10+]
 * `account_freepages`, which both keep the counters in step with list membership.
 */
import { type Machine } from './machine'
import { PAGE_TYPE_BUDDY, PG_INFO, PG_NEXT, PG_PREV } from './memmap'
import { MIGRATE_CMA, MIGRATE_HIGHATOMIC, MIGRATE_ISOLATE, MIGRATE_TYPES } from './migratetype'
import { type Zone } from './zone'

/** `account_freepages()` (6.10+) / `__mod_zone_freepage_state()` (≤6.9). */
export function accountFreepages(m: Machine, z: Zone, nrPages: number, mt: number): void {
  if (mt === MIGRATE_ISOLATE) return
  z.nrFreePages += nrPages
  if (mt === MIGRATE_CMA) z.nrFreeCmaPages += nrPages
  else if (mt === MIGRATE_HIGHATOMIC && m.freeHighatomicAcct) z.nrFreeHighatomic += nrPages
}

/** `__add_to_free_list()` + accounting: makes `pfn` a PageBuddy of `order` on list `mt`. */
export function addToFreeList(
  m: Machine,
  z: Zone,
  pfn: number,
  order: number,
  mt: number,
  tail: boolean,
): void {
  const pg = m.pg
  const li = (z.id * m.nrOrders + order) * MIGRATE_TYPES + mt
  const b = pfn << 2
  if (tail) {
    const t = m.faTail[li]
    pg[b + PG_NEXT] = -1
    pg[b + PG_PREV] = t
    if (t < 0) m.faHead[li] = pfn
    else pg[(t << 2) + PG_NEXT] = pfn
    m.faTail[li] = pfn
  } else {
    const h = m.faHead[li]
    pg[b + PG_NEXT] = h
    pg[b + PG_PREV] = -1
    if (h < 0) m.faTail[li] = pfn
    else pg[(h << 2) + PG_PREV] = pfn
    m.faHead[li] = pfn
  }
  pg[b] = PAGE_TYPE_BUDDY
  pg[b + PG_INFO] = order | (mt << 8)
  m.faCount[li]++
  m.nrFree[z.id * m.nrOrders + order]++
  if (mt < MIGRATE_HIGHATOMIC) z.nrFreePages += 1 << order
  else accountFreepages(m, z, 1 << order, mt)
}

/** `__del_page_from_free_list()` + accounting: unlinks a free block and clears PageBuddy. */
export function delFromFreeList(m: Machine, z: Zone, pfn: number, order: number): void {
  const pg = m.pg
  const b = pfn << 2
  const mt = (pg[b + PG_INFO] >> 8) & 0xff
  const li = (z.id * m.nrOrders + order) * MIGRATE_TYPES + mt
  const n = pg[b + PG_NEXT]
  const p = pg[b + PG_PREV]
  if (p < 0) m.faHead[li] = n
  else pg[(p << 2) + PG_NEXT] = n
  if (n < 0) m.faTail[li] = p
  else pg[(n << 2) + PG_PREV] = p
  pg[b + PG_NEXT] = -1
  pg[b + PG_PREV] = -1
  pg[b] &= ~PAGE_TYPE_BUDDY
  m.faCount[li]--
  m.nrFree[z.id * m.nrOrders + order]--
  if (mt < MIGRATE_HIGHATOMIC) z.nrFreePages -= 1 << order
  else accountFreepages(m, z, -(1 << order), mt)
}

/** `move_to_free_list()`: to the tail of another type's list (`list_move_tail`). */
export function moveToFreeList(m: Machine, z: Zone, pfn: number, order: number, mt: number): void {
  delFromFreeList(m, z, pfn, order)
  addToFreeList(m, z, pfn, order, mt, true)
}

/** `get_page_from_free_area()`: head of the list, or -1. */
export function getPageFromFreeArea(m: Machine, z: Zone, order: number, mt: number): number {
  return m.faHead[(z.id * m.nrOrders + order) * MIGRATE_TYPES + mt]
}

/** `free_area_empty()`. */
export function freeAreaEmpty(m: Machine, z: Zone, order: number, mt: number): boolean {
  return m.faHead[(z.id * m.nrOrders + order) * MIGRATE_TYPES + mt] < 0
}

/** `free_area[order].nr_free` (blocks). */
export function freeAreaNrFree(m: Machine, z: Zone, order: number): number {
  return m.nrFree[z.id * m.nrOrders + order]
}
