/**
 * Per-pfn page state (`struct page` as struct-of-arrays). Flag bits follow `enum pageflags`
 * (include/linux/page-flags.h, 6.1 numbering) where the kernel has a flag; the model-only bits
 * above 21 stand for state the kernel keeps elsewhere (the mapping pointer's anon bit, the
 * page_type field, or "which list is this page on").
 *
 * Arrays (all indexed by pfn), at 26 bytes per page:
 * - `flags`    Uint32  the bits below.
 * - `order`    Uint8   buddy order (`page->private`) of a free or per-cpu block's head, or the
 *                      allocation order of an allocated block's head (the folio order for compound
 *                      pages; the kernel keeps it in the first tail page).
 * - `refcount` Int32   `_refcount` (0 when free).
 * - `mapcount` Int32   number of mappings of the folio, kept on the head (`_mapcount + 1`).
 * - `pincount` Int32   `_pincount` of a large folio (head only); small folios pin by adding
 *                      `GUP_PIN_COUNTING_BIAS` to the refcount, as the kernel does.
 * - `next`, `prev` Int32  intrusive `buddy_list`/`pcp_list` links (-1 = none).
 * - `listMt`   Uint8   the free list (or pcp list) migratetype the block sits on.
 */
export const PG_locked = 1 << 0
export const PG_referenced = 1 << 1
export const PG_uptodate = 1 << 2
export const PG_dirty = 1 << 3
export const PG_lru = 1 << 4
export const PG_active = 1 << 5
export const PG_workingset = 1 << 6
export const PG_slab = 1 << 9
export const PG_reserved = 1 << 12
export const PG_private = 1 << 13
export const PG_writeback = 1 << 15
export const PG_head = 1 << 16
export const PG_reclaim = 1 << 18
export const PG_swapbacked = 1 << 19
export const PG_unevictable = 1 << 20
export const PG_mlocked = 1 << 21
/** Non-LRU movable page isolated for migration (the kernel aliases it onto PG_reclaim). */
export const PG_isolated = 1 << 22
/** Model: anonymous folio (`PAGE_MAPPING_ANON` in `folio->mapping`). */
export const PG_anon = 1 << 23
/** Model: non-LRU movable page with `movable_operations` (`__PageMovable`). */
export const PG_movable_ops = 1 << 24
/** Model: folio has a file mapping (page cache). */
export const PG_file = 1 << 25
/** `PageBuddy` page type: head of a free block on a buddy free list. */
export const PAGE_TYPE_BUDDY = 1 << 26
/** `PageOffline` page type (virtio-mem, balloons). */
export const PAGE_TYPE_OFFLINE = 1 << 27
/** Model: head of a free block sitting on a per-cpu list (not PageBuddy, refcount 0). */
export const PAGE_PCP = 1 << 28
/** Model: head of an allocated block; `order[pfn]` holds the allocation order. */
export const PAGE_ALLOC = 1 << 29

/** Flags a page may not carry when freed (`PAGE_FLAGS_CHECK_AT_FREE`, the subset modelled). */
export const PAGE_FLAGS_CHECK_AT_FREE = PG_locked | PG_lru | PG_writeback | PG_slab | PG_active | PG_unevictable
/** Folio flags cleared when a page is freed. */
export const FOLIO_FLAGS_MASK = (1 << 26) - 1

/** `GUP_PIN_COUNTING_BIAS` (include/linux/mm.h). */
export const GUP_PIN_COUNTING_BIAS = 1024

export const NO_PAGE = -1

export interface Memmap {
  flags: Uint32Array
  order: Uint8Array
  refcount: Int32Array
  mapcount: Int32Array
  pincount: Int32Array
  next: Int32Array
  prev: Int32Array
  listMt: Uint8Array
}

export function createMemmap(nrPages: number): Memmap {
  const next = new Int32Array(nrPages)
  const prev = new Int32Array(nrPages)
  return {
    flags: new Uint32Array(nrPages),
    order: new Uint8Array(nrPages),
    refcount: new Int32Array(nrPages),
    mapcount: new Int32Array(nrPages),
    pincount: new Int32Array(nrPages),
    next,
    prev,
    listMt: new Uint8Array(nrPages),
  }
}
