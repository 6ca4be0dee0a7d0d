/**
 * Freeing into the buddy lists under the zone lock: `__free_one_page` with its merge rules,
 * `buddy_merge_likely`, and the per-era `free_one_page` wrappers (`split_large_buddy`
 * [6.10+], `__free_one_page_maybe_split` [6.15+ here]).
 */
import { addToFreeList, delFromFreeList } from './freeArea'
import { eraAtLeast, type Machine } from './machine'
import { PAGE_ALLOC, PAGE_TYPE_BUDDY, PG_INFO } from './memmap'
import {
  migratetypeIsMergeable,
  MIGRATE_CMA,
  MIGRATE_ISOLATE,
  MIGRATE_MOVABLE,
} from './migratetype'
import { changePageblockRange, getPfnblockMigratetype } from './pageblock'
import { type Zone } from './zone'

export const FPI_NONE = 0
/** `FPI_TO_TAIL`: put the block at the tail of its free list (boot, page reporting, isolation undo). */
export const FPI_TO_TAIL = 2

/** `page_is_buddy()` for `buddyPfn`: a PageBuddy of exactly `order` in the same zone. */
export function pageIsBuddy(m: Machine, z: Zone, buddyPfn: number, order: number): boolean {
  if (buddyPfn < z.startPfn || buddyPfn >= z.endPfn) return false
  const b = buddyPfn << 2
  return (m.pg[b] & PAGE_TYPE_BUDDY) !== 0 && (m.pg[b + PG_INFO] & 0xff) === order
}

/**
 * `buddy_merge_likely()`: if the block's buddy at the next order is free, a merge is likely
 * once the buddy's sibling is freed, so the block goes to the tail where it is less likely to
 * be allocated meanwhile. Only below MAX_PAGE_ORDER - 1.
 */
export function buddyMergeLikely(
  m: Machine,
  z: Zone,
  pfn: number,
  buddyPfn: number,
  order: number,
): boolean {
  if (order >= m.maxOrder - 1) return false
  const higherPfn = buddyPfn & pfn
  return pageIsBuddy(m, z, higherPfn ^ (1 << (order + 1)), order + 1)
}

/**
 * page_alloc.c:compaction_capture: the block being freed (or merged up to `order`) is what the
 * direct compactor of this zone asked for. Never from CMA or isolated blocks; below
 * pageblock_order never from a MOVABLE block for a non-movable request, and [≤6.9] never from a
 * MOVABLE block at all (6.10, Baolin Wang, "mm: page_alloc: allowing mTHP compaction to capture
 * the freed page directly", lets a MOVABLE request capture there).
 */
function compactionCapture(m: Machine, order: number, mt: number): boolean {
  if (order !== m.capc.order) return false
  if (mt === MIGRATE_CMA || mt === MIGRATE_ISOLATE) return false
  if (order < m.pageblockOrder && mt === MIGRATE_MOVABLE) {
    if (!eraAtLeast(m, '6.10') || m.capc.migratetype !== MIGRATE_MOVABLE) return false
  }
  return true
}

/**
 * `__free_one_page()` (mm/page_alloc.c). Merges with free buddies while `order <
 * MAX_PAGE_ORDER`. At `order >= pageblock_order` the pageblock rule depends on the design:
 * - [5.18+] (Zi Yan, "mm: page_alloc: avoid merging non-fallbackable pageblocks with others",
 *   1dd214b8f21c; 6.1 and 6.12 alike) the buddy's pageblock type must equal `mt` unless both are
 *   mergeable (UNMOVABLE/MOVABLE/RECLAIMABLE): ISOLATE, CMA and HIGHATOMIC blocks never merge
 *   across a pageblock boundary with another type. [6.10+] a merge of two different mergeable
 *   types relabels the buddy's pageblock to `mt`.
 * - [≤5.17] (`m.mergeIsolateOnly`) only while the zone has isolated pageblocks
 *   (`has_isolate_pageblock`), and only an ISOLATE/non-ISOLATE pair stops the merge; CMA and
 *   HIGHATOMIC pageblocks merge with any other type into a block on the freer's list, with no
 *   relabelling (no freelist hygiene then). This is why CMA areas had to be MAX_ORDER-aligned.
 * At each order, a direct compactor's `compaction_capture` may take the block first (left
 * refcount 0, order in private).
 */
export function freeOnePage(
  m: Machine,
  z: Zone,
  pfn: number,
  order: number,
  mt: number,
  fpi: number,
): void {
  const maxOrder = m.maxOrder
  const pg = m.pg
  const startPfn = z.startPfn
  const endPfn = z.endPfn
  const isolateOnly = m.mergeIsolateOnly
  let buddyPfn = 0
  const capture = m.capc.zoneId === z.id && m.capc.page < 0
  while (order < maxOrder) {
    if (capture && compactionCapture(m, order, mt)) {
      m.capc.page = pfn
      m.pg[pfn << 2] = PAGE_ALLOC
      m.pg[(pfn << 2) + PG_INFO] = order
      m.refcount[pfn] = 0
      return
    }
    buddyPfn = pfn ^ (1 << order)
    if (buddyPfn < startPfn || buddyPfn >= endPfn) break
    const b = buddyPfn << 2
    if ((pg[b] & PAGE_TYPE_BUDDY) === 0 || (pg[b + PG_INFO] & 0xff) !== order) break
    let buddyMt = mt
    if (order >= m.pageblockOrder) {
      buddyMt = getPfnblockMigratetype(m, buddyPfn)
      if (isolateOnly) {
        if (
          z.nrIsolatePageblock !== 0 &&
          mt !== buddyMt &&
          (mt === MIGRATE_ISOLATE || buddyMt === MIGRATE_ISOLATE)
        )
          break
      } else if (
        mt !== buddyMt &&
        (!migratetypeIsMergeable(mt) || !migratetypeIsMergeable(buddyMt))
      )
        break
    }
    delFromFreeList(m, z, buddyPfn, order)
    if (m.hygiene && buddyMt !== mt && !isolateOnly) changePageblockRange(m, buddyPfn, order, mt)
    pfn &= buddyPfn
    order++
  }
  const toTail = (fpi & FPI_TO_TAIL) !== 0 || buddyMergeLikely(m, z, pfn, buddyPfn, order)
  addToFreeList(m, z, pfn, order, mt, toTail)
}

/**
 * `free_one_page()` under the zone lock, per era. `mt` is the freer's type [≤6.9] or the
 * pageblock's current type [6.10+]:
 * - [≤6.9] the whole block with the freer's `mt`, re-read if isolation is about
 *   (`has_isolate_pageblock`).
 * - [6.10–6.14] `split_large_buddy`: blocks above pageblock_order are freed per pageblock,
 *   each with its own type, and re-merge where the rules allow.
 * - [6.15+] `__free_one_page_maybe_split` (Dec 2024): split only if the pageblock types differ.
 */
export function freeOnePageLocked(
  m: Machine,
  z: Zone,
  pfn: number,
  order: number,
  mt: number,
  fpi: number,
): void {
  if (!m.hygiene) {
    if (z.nrIsolatePageblock !== 0 || mt === MIGRATE_ISOLATE) mt = getPfnblockMigratetype(m, pfn)
    freeOnePage(m, z, pfn, order, mt, fpi)
    return
  }
  // 6.10+ callers pass the pageblock's current type (free_one_page reads it under the lock).
  if (order <= m.pageblockOrder) {
    freeOnePage(m, z, pfn, order, mt, fpi)
    return
  }
  const end = pfn + (1 << order)
  if (m.claimSteal) {
    const first = getPfnblockMigratetype(m, pfn)
    let same = true
    for (let p = pfn + m.pageblockNrPages; p < end; p += m.pageblockNrPages) {
      if (getPfnblockMigratetype(m, p) !== first) same = false
    }
    if (same) {
      freeOnePage(m, z, pfn, order, first, fpi)
      return
    }
  }
  for (let p = pfn; p < end; p += m.pageblockNrPages) {
    freeOnePage(m, z, p, m.pageblockOrder, getPfnblockMigratetype(m, p), fpi)
  }
}
