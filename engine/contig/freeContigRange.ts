/** mm/page_alloc.c:free_contig_range: `__free_page` on every page; pages still in use are counted (the kernel WARNs). */
import { freePages } from '../mm/free'
import { type Machine } from '../mm/machine'

/** Returns the number of pages that had other references (`page_count(page) != 1`). */
export function freeContigRange(m: Machine, pfn: number, nrPages: number): number {
  let busy = 0
  for (const end = pfn + nrPages; pfn < end; pfn++) {
    if (m.refcount[pfn] !== 1) busy++
    freePages(m, pfn, 0)
  }
  return busy
}
