/**
 * Page preparation on the way out and in: `prep_new_page` (refcount 1, compound head) and
 * `free_pages_prepare` (debug checks, trace, flag reset), plus the counters tied to folio
 * flags that must be dropped when a page is freed.
 */
import { freeLargeAnonFolio } from './deferredSplit'
import { __GFP_COMP } from './gfp'
import { type Machine } from './machine'
import {
  FOLIO_FLAGS_MASK,
  PAGE_ALLOC,
  PAGE_EXTRA,
  PAGE_FLAGS_CHECK_AT_FREE,
  PAGE_PCP,
  PAGE_TYPE_BUDDY,
  PG_dirty,
  PG_anon,
  PG_file,
  PG_head,
  PG_INFO,
  PG_mlocked,
  PG_writeback,
} from './memmap'
import { reportViolation } from './violation'
import { traceMmPageFree } from './trace'
import { TP_MM_PAGE_FREE } from './traceTypes'
import { VM_NR_DIRTY, VM_NR_WRITEBACK } from './vmstatItems'

/** `prep_new_page()` / `post_alloc_hook()`: refcount 1; `__GFP_COMP` above order 0 makes a compound head. */
export function prepNewPage(m: Machine, pfn: number, order: number, gfp: number): void {
  let f = PAGE_ALLOC
  if (order > 0 && (gfp & __GFP_COMP) !== 0) f |= PG_head
  m.pg[pfn << 2] = f
  m.pg[(pfn << 2) + PG_INFO] = order
  // mapcount and pincount are already 0: freePagesPrepare resets them (PAGE_EXTRA).
  m.refcount[pfn] = 1
}

/** Undo the zone/node counters of accounted folio flags (dirty, writeback, mlocked). */
export function unaccountFolioFlags(m: Machine, pfn: number, flags: number, nrPages: number): void {
  if ((flags & (PG_dirty | PG_writeback | PG_mlocked)) === 0) return
  const z = m.zones[m.pbZone[pfn >> m.pageblockOrder]]
  if ((flags & PG_dirty) !== 0 && (flags & PG_file) !== 0) {
    m.vmEvents[VM_NR_DIRTY] -= nrPages
    z.nrZoneWritePending -= nrPages
  }
  if ((flags & PG_writeback) !== 0) {
    m.vmEvents[VM_NR_WRITEBACK] -= nrPages
    z.nrZoneWritePending -= nrPages
  }
  if ((flags & PG_mlocked) !== 0) z.nrMlock -= nrPages
}

/**
 * `free_pages_prepare()`: trace `mm_page_free`; under debugVm report a page that is already
 * free (double free) or still locked/on the LRU/under writeback/mapped (`bad_page`); clear the
 * folio state.
 */
export function freePagesPrepare(m: Machine, pfn: number, order: number): void {
  if (m.traceOn[TP_MM_PAGE_FREE] !== 0) traceMmPageFree(m, pfn, order)
  const f = m.pg[pfn << 2]
  if (m.debugVm) {
    if ((f & (PAGE_TYPE_BUDDY | PAGE_PCP)) !== 0)
      reportViolation(m, 'double-free', pfn, `freeing a page that is already free (order ${order})`)
    if ((f & PAGE_FLAGS_CHECK_AT_FREE) !== 0)
      reportViolation(
        m,
        'bad-page',
        pfn,
        `freeing a page with flags 0x${(f & PAGE_FLAGS_CHECK_AT_FREE).toString(16)} set`,
      )
    if ((f & PAGE_EXTRA) !== 0 && m.mapcount[pfn] !== 0)
      reportViolation(m, 'bad-page', pfn, `freeing a page with mapcount ${m.mapcount[pfn]}`)
    if (m.refcount[pfn] !== 0)
      reportViolation(m, 'bad-page', pfn, `freeing a page with refcount ${m.refcount[pfn]}`)
  }
  if ((f & FOLIO_FLAGS_MASK) !== 0) unaccountFolioFlags(m, pfn, f, 1 << order)
  // __folio_put's folio_unqueue_deferred_split and free_pages_prepare's NR_ANON mTHP count.
  if ((f & (PG_head | PG_anon)) === (PG_head | PG_anon)) freeLargeAnonFolio(m, pfn, order)
  if ((f & PAGE_EXTRA) !== 0) {
    m.mapcount[pfn] = 0
    m.pincount[pfn] = 0
  }
  m.pg[pfn << 2] = 0
}
