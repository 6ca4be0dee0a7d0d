/**
 * Taking folios off the LRU for migration and putting them back (mm/vmscan.c:folio_isolate_lru,
 * mm/migrate.c:isolate_movable_page / putback_movable_pages). The model has no LRU lists:
 * PG_lru says whether a folio is on one. A folio freed while on the LRU goes through
 * `__page_cache_release` in engine/mm's `folioPut`, which clears the LRU flags first.
 */
import {
  pageFlags,
  setPageFlags,
  pageOrder,
  PAGE_ALLOC,
  PG_anon,
  PG_head,
  PG_isolated,
  PG_locked,
  PG_lru,
  PG_movable_ops,
  PG_swapbacked,
} from '../mm/memmap'
import { compoundHead, folioPut } from '../mm/folio'
import { type Machine } from '../mm/machine'
import { modIsolated } from './counters'

/** Node of the zone holding `pfn`. */
export function pfnNid(m: Machine, pfn: number): number {
  return m.zones[m.pbZone[pfn >> m.pageblockOrder]].nid
}

/** Pages in the folio whose head is `head`. */
export function headNrPages(m: Machine, head: number): number {
  return (pageFlags(m, head) & PG_head) !== 0 ? 1 << pageOrder(m, head) : 1
}

/** `folio_is_file_lru()`: not swap-backed (anon folios are swap-backed even without the bit here). */
export function folioIsFileLru(m: Machine, head: number): boolean {
  return (pageFlags(m, head) & (PG_swapbacked | PG_anon)) === 0
}

/** `__folio_test_movable()`: a non-LRU movable page (balloon, zsmalloc) with movable_operations. */
export function folioTestMovable(m: Machine, head: number): boolean {
  return (pageFlags(m, head) & PG_movable_ops) !== 0
}

/**
 * `folio_put` of a folio that may be on the LRU. engine/mm's `folioPut` does
 * `__page_cache_release` itself (PG_lru, PG_active, PG_unevictable cleared at the last
 * reference; PG_mlocked and NR_MLOCK by free_pages_prepare); this name stays for callers.
 */
export function folioPutLru(m: Machine, pfn: number): void {
  folioPut(m, pfn)
}

/**
 * mm/vmscan.c:folio_isolate_lru: if the folio is on the LRU, take it off (clear PG_lru) and
 * take a reference for the isolator. No NR_ISOLATED accounting (the callers do it).
 */
export function folioIsolateLru(m: Machine, pfn: number): boolean {
  const h = compoundHead(m, pfn)
  if ((pageFlags(m, h) & PAGE_ALLOC) === 0 || m.refcount[h] <= 0) return false
  if ((pageFlags(m, h) & PG_lru) === 0) return false
  setPageFlags(m, h, pageFlags(m, h) & ~PG_lru)
  m.refcount[h]++
  return true
}

/**
 * What migration's callers do to isolate one LRU folio (isolate_migratepages_block,
 * isolate_folio_to_list): `folio_isolate_lru` plus `NR_ISOLATED_ANON + folio_is_file_lru`
 * accounting. Returns false when the folio is not on the LRU.
 */
export function isolateLruFolio(m: Machine, pfn: number): boolean {
  const h = compoundHead(m, pfn)
  if (!folioIsolateLru(m, h)) return false
  modIsolated(m, pfnNid(m, h), folioIsFileLru(m, h), headNrPages(m, h))
  return true
}

/**
 * mm/migrate.c:isolate_movable_page: a non-LRU movable page not yet isolated gets a reference
 * and PG_isolated (under its lock: refused when somebody else holds the lock).
 */
export function isolateMovablePage(m: Machine, pfn: number): boolean {
  const h = compoundHead(m, pfn)
  const f = pageFlags(m, h)
  if ((f & PAGE_ALLOC) === 0 || m.refcount[h] <= 0) return false
  if ((f & PG_movable_ops) === 0 || (f & PG_isolated) !== 0 || (f & PG_locked) !== 0) return false
  m.refcount[h]++
  setPageFlags(m, h, pageFlags(m, h) | PG_isolated)
  return true
}

/** `folio_putback_lru`: back on the LRU, dropping the isolation reference. */
export function folioPutbackLru(m: Machine, pfn: number): void {
  const h = compoundHead(m, pfn)
  setPageFlags(m, h, pageFlags(m, h) | PG_lru)
  folioPutLru(m, h)
}

/**
 * mm/migrate.c:putback_movable_pages: return isolated folios to where they came from. Non-LRU
 * movable pages lose PG_isolated and the isolation reference; LRU folios undo the
 * NR_ISOLATED accounting and go back on the LRU. Empties `list`.
 */
export function putbackMovablePages(m: Machine, list: number[]): void {
  for (const pfn of list) {
    const h = compoundHead(m, pfn)
    if (folioTestMovable(m, h)) {
      setPageFlags(m, h, pageFlags(m, h) & ~PG_isolated)
      folioPut(m, h)
    } else {
      modIsolated(m, pfnNid(m, h), folioIsFileLru(m, h), -headNrPages(m, h))
      folioPutbackLru(m, h)
    }
  }
  list.length = 0
}
