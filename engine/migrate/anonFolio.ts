/**
 * Making an allocated folio a user folio that migration can move, as the fault path does
 * (mm/memory.c:do_anonymous_page, mm/filemap.c:filemap_add_folio + filemap_map_pages): rmap,
 * flags and LRU. The reference the allocation returned becomes the first mapping's.
 */
import {
  PAGE_EXTRA,
  pageFlags,
  setPageFlags,
  pageOrder,
  PAGE_ALLOC,
  PG_anon,
  PG_file,
  PG_head,
  PG_lru,
  PG_swapbacked,
  PG_uptodate,
} from '../mm/memmap'
import { modMthpStat, MTHP_STAT_NR_ANON } from '../mm/deferredSplit'
import { compoundHead } from '../mm/folio'
import { type Machine } from '../mm/machine'

/**
 * `folio_add_new_anon_rmap` + `folio_add_lru_vma`: an anon folio mapped `nrMappings` times
 * (≥ 1; further mappings as fork would add them, each with its own reference). `head` must be
 * a freshly allocated folio with refcount 1 and no flags beyond the allocation's.
 */
export function makeAnonLruFolio(m: Machine, head: number, nrMappings = 1): void {
  const h = compoundHead(m, head)
  if ((pageFlags(m, h) & PAGE_ALLOC) === 0 || m.refcount[h] !== 1)
    throw new Error(`makeAnonLruFolio: pfn ${h} is not a fresh folio`)
  if (!Number.isInteger(nrMappings) || nrMappings < 1)
    throw new RangeError('makeAnonLruFolio: nrMappings must be >= 1')
  setPageFlags(
    m,
    h,
    pageFlags(m, h) | (PG_anon | PG_swapbacked | PG_uptodate | PG_lru | PAGE_EXTRA),
  )
  m.mapcount[h] = nrMappings
  m.refcount[h] = nrMappings
  // [6.12] folio_add_new_anon_rmap: one more anon folio of this size (hugepages-*/stats/nr_anon).
  if ((pageFlags(m, h) & PG_head) !== 0) modMthpStat(m, pageOrder(m, h), MTHP_STAT_NR_ANON, 1)
}

/**
 * `filemap_add_folio` + LRU, with `nrMappings` (≥ 0) mappings: the page cache holds one
 * reference per page; the allocation's reference is dropped when unmapped (it was the caller's),
 * or becomes the first mapping's.
 */
export function makeFileLruFolio(m: Machine, head: number, nrMappings = 0): void {
  const h = compoundHead(m, head)
  if ((pageFlags(m, h) & PAGE_ALLOC) === 0 || m.refcount[h] !== 1)
    throw new Error(`makeFileLruFolio: pfn ${h} is not a fresh folio`)
  if (!Number.isInteger(nrMappings) || nrMappings < 0)
    throw new RangeError('makeFileLruFolio: nrMappings must be >= 0')
  const nr = (pageFlags(m, h) & PG_head) !== 0 ? 1 << pageOrder(m, h) : 1
  setPageFlags(m, h, pageFlags(m, h) | (PG_file | PG_uptodate | PG_lru | PAGE_EXTRA))
  m.mapcount[h] = nrMappings
  m.refcount[h] = nr + nrMappings
}
