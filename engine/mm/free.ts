/**
 * Freeing entry points: `__free_pages` (drop a reference, free at zero; a non-compound block
 * with other holders frees all but its first page), `free_the_page` (per-cpu lists or
 * `__free_pages_ok`).
 */
import { freeOnePageLocked, FPI_NONE } from './buddy'
import { type Machine } from './machine'
import { PAGE_ALLOC, PG_head, pageFlags, pageOrder, setPageFlags, setPageOrder } from './memmap'
import { freeUnrefPage } from './pcp'
import { pcpAllowedOrder } from './pcpIndex'
import { freePagesPrepare } from './prep'
import { getPfnblockMigratetype } from './pageblock'
import { reportViolation } from './violation'
import { VM_PGFREE } from './vmstatItems'

/** `put_page_testzero()`: drop a reference; true when it reached zero. Underflow is a violation under debugVm. */
export function putPageTestzero(m: Machine, pfn: number): boolean {
  const r = m.refcount[pfn]
  if (m.debugVm && r <= 0)
    reportViolation(m, 'refcount-underflow', pfn, `put on a page with refcount ${r}`)
  m.refcount[pfn] = r - 1
  return r === 1
}

/** `free_the_page()`: per-cpu lists for PCP orders when enabled, else `__free_pages_ok`. */
export function freeThePage(m: Machine, pfn: number, order: number): void {
  const z = m.zones[m.pbZone[pfn >> m.pageblockOrder]]
  if (z === undefined || pfn < z.startPfn || pfn >= z.endPfn)
    reportViolation(m, 'bad-pfn', pfn, 'freeing a pfn outside every zone')
  if (m.debugVm && (pageFlags(m, pfn) & PAGE_ALLOC) !== 0 && pageOrder(m, pfn) !== order) {
    reportViolation(
      m,
      'bad-order',
      pfn,
      `freeing an order-${pageOrder(m, pfn)} block as order ${order}`,
    )
  }
  freePagesPrepare(m, pfn, order)
  m.vmEvents[VM_PGFREE] += 1 << order
  if (m.pcpEnabled && pcpAllowedOrder(order)) freeUnrefPage(m, z, pfn, order)
  else freeOnePageLocked(m, z, pfn, order, getPfnblockMigratetype(m, pfn), FPI_NONE)
}

/**
 * `__free_pages(page, order)`: drop one reference; free the block when it was the last. If
 * other references remain on a non-compound block (a speculative `get_page_unless_zero`), the
 * kernel frees every page but the first now (`while (order-- > 0) free_the_page(page + (1 <<
 * order), order)`), and the first page when its last holder puts it.
 */
export function freePages(m: Machine, pfn: number, order: number): void {
  m.op = '__free_pages'
  const head = (pageFlags(m, pfn) & PG_head) !== 0
  if (putPageTestzero(m, pfn)) {
    freeThePage(m, pfn, order)
  } else if (!head && order > 0) {
    if ((pageFlags(m, pfn) & PAGE_ALLOC) !== 0) setPageOrder(m, pfn, 0)
    while (order-- > 0) {
      const p = pfn + (1 << order)
      setPageFlags(m, p, PAGE_ALLOC)
      setPageOrder(m, p, order)
      freeThePage(m, p, order)
    }
  }
}
