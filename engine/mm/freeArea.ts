/**
 * `free_area[order].free_list[migratetype]` as intrusive doubly linked lists over the
 * per-pfn `next`/`prev` arrays, with `nr_free` and per-list counts, plus the free-page
 * accounting of both eras. Accounting follows the list a block sits on: NR_FREE_PAGES counts
 * every list but ISOLATE, NR_FREE_CMA_PAGES the CMA lists, and [6.12+] `nr_free_highatomic`
 * the HIGHATOMIC lists. This equals [≤6.9] `__mod_zone_freepage_state` and [6.10+]
 * `account_freepages`, which both keep the counters in step with list membership.
 */
import { type Machine } from './machine'
import { PAGE_TYPE_BUDDY } from './memmap'
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
export function addToFreeList(m: Machine, z: Zone, pfn: number, order: number, mt: number, tail: boolean): void {
  const li = (z.id * m.nrOrders + order) * MIGRATE_TYPES + mt
  if (tail) {
    const t = m.faTail[li]
    m.prev[pfn] = t
    m.next[pfn] = -1
    if (t < 0) m.faHead[li] = pfn
    else m.next[t] = pfn
    m.faTail[li] = pfn
  } else {
    const h = m.faHead[li]
    m.next[pfn] = h
    m.prev[pfn] = -1
    if (h < 0) m.faTail[li] = pfn
    else m.prev[h] = pfn
    m.faHead[li] = pfn
  }
  m.faCount[li]++
  m.nrFree[z.id * m.nrOrders + order]++
  m.flags[pfn] = PAGE_TYPE_BUDDY
  m.order[pfn] = order
  m.listMt[pfn] = mt
  accountFreepages(m, z, 1 << order, mt)
}

/** `__del_page_from_free_list()` + accounting: unlinks a free block and clears PageBuddy. */
export function delFromFreeList(m: Machine, z: Zone, pfn: number, order: number): void {
  const mt = m.listMt[pfn]
  const li = (z.id * m.nrOrders + order) * MIGRATE_TYPES + mt
  const n = m.next[pfn]
  const p = m.prev[pfn]
  if (p < 0) m.faHead[li] = n
  else m.next[p] = n
  if (n < 0) m.faTail[li] = p
  else m.prev[n] = p
  m.next[pfn] = -1
  m.prev[pfn] = -1
  m.faCount[li]--
  m.nrFree[z.id * m.nrOrders + order]--
  m.flags[pfn] &= ~PAGE_TYPE_BUDDY
  accountFreepages(m, z, -(1 << order), mt)
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
