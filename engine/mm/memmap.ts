/**
 * Per-pfn page state (`struct page`) in typed arrays, with the kernel's flag bits.
 *
 * The four fields every free-list operation touches are interleaved in one Int32Array,
 * `m.pg`, 16 bytes per page, so that a list operation on a page costs one cache line rather
 * than four (this is what makes the allocator fast on multi-GiB machines):
 * - `pg[pfn*4 + 0]` flags (the bits below; read with `pageFlags`).
 * - `pg[pfn*4 + 1]` info: bits 0-7 the order (`page->private` of a free or per-cpu block's head,
 *   or the allocation order of an allocated block's head: the folio order for compound pages,
 *   which the kernel keeps in the first tail page), bits 8-15 the migratetype of the free or
 *   per-cpu list the block sits on. Read with `pageOrder` / `pageListMt`.
 * - `pg[pfn*4 + 2]`, `pg[pfn*4 + 3]` next and prev of the intrusive `buddy_list`/`pcp_list`
 *   (-1 = none).
 * Plain per-pfn arrays: `refcount` (`_refcount`, 0 when free), `mapcount` (mappings of the folio
 * on its head, i.e. `_mapcount + 1`), `pincount` (`_pincount` of a large folio's head; small
 * folios pin by adding `GUP_PIN_COUNTING_BIAS` to the refcount, as the kernel does).
 * Flag bits follow `enum pageflags` (include/linux/page-flags.h, 6.1 numbering) where the kernel
 * has a flag; the model-only bits above 21 stand for state the kernel keeps elsewhere (the
 * mapping pointer's anon bit, the page_type field, or "which list is this page on").
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
/**
 * [6.12] `PG_partially_mapped` (a second-page flag in the kernel, `folio_test_partially_mapped`):
 * the large anon folio was queued for deferred split because part of it was unmapped
 * (mm/huge_memory.c:deferred_split_folio, "mm: introduce a pageflag for partially mapped
 * folios"). Model bit 17 (6.1's PG_mappedtodisk, unused by the model).
 */
export const PG_partially_mapped = 1 << 17
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
export const PAGE_FLAGS_CHECK_AT_FREE =
  PG_locked | PG_lru | PG_writeback | PG_slab | PG_active | PG_unevictable
/** Folio flags cleared when a page is freed. */
export const FOLIO_FLAGS_MASK = (1 << 26) - 1

/** `GUP_PIN_COUNTING_BIAS` (include/linux/mm.h). */
export const GUP_PIN_COUNTING_BIAS = 1024

/** Model: the head's mapcount or pincount may be non-zero (they are reset when it is freed). */
export const PAGE_EXTRA = 1 << 30
/**
 * Model: an allocated order-0 page of a `boot: 'allocated'` machine that nobody has used yet (a
 * placeholder for pages whose owner is unknown, e.g. in an imported state). The sign bit of the
 * Int32 flags word.
 */
export const PAGE_BOOT = 1 << 31

export const NO_PAGE = -1

/** Int32 slots per page in `m.pg`, and the slot offsets. */
export const PG_STRIDE = 4
export const PG_INFO = 1
export const PG_NEXT = 2
export const PG_PREV = 3

/** The fields of `m.pg` other code may read, without knowing the layout. */
interface PgOwner {
  pg: Int32Array
}

/** Page flags of `pfn`. */
export function pageFlags(m: PgOwner, pfn: number): number {
  return m.pg[pfn << 2]
}

/** Buddy order of a free/per-cpu head, or allocation order of an allocated head. */
export function pageOrder(m: PgOwner, pfn: number): number {
  return m.pg[(pfn << 2) + PG_INFO] & 0xff
}

/** Migratetype of the free or per-cpu list the block at `pfn` sits on. */
export function pageListMt(m: PgOwner, pfn: number): number {
  return (m.pg[(pfn << 2) + PG_INFO] >> 8) & 0xff
}

/** Set the flags word of `pfn`. */
export function setPageFlags(m: PgOwner, pfn: number, flags: number): void {
  m.pg[pfn << 2] = flags
}

/** Set the order of `pfn` (clears the list migratetype). */
export function setPageOrder(m: PgOwner, pfn: number, order: number): void {
  m.pg[(pfn << 2) + PG_INFO] = order
}

/** Next block on the free or per-cpu list of `pfn` (-1 at the end). */
export function pageNext(m: PgOwner, pfn: number): number {
  return m.pg[(pfn << 2) + PG_NEXT]
}

/** Previous block on the free or per-cpu list of `pfn` (-1 at the start). */
export function pagePrev(m: PgOwner, pfn: number): number {
  return m.pg[(pfn << 2) + PG_PREV]
}
