/**
 * mm/page_isolation.c:set_migratetype_isolate / unset_migratetype_isolate, with the free-page
 * moves of both eras: [≤6.9] `move_freepages_block` (a large buddy whose head lies in the block
 * moves whole, wherever its tail lies), [6.10+] `move_freepages_block_isolate`, which first
 * splits a free buddy larger than a pageblock that covers the block (`find_large_buddy` +
 * `split_large_buddy`), so no free block spans isolated and non-isolated pageblocks.
 */
import { FPI_NONE, FPI_TO_TAIL, freeOnePage } from '../mm/buddy'
import { delFromFreeList } from '../mm/freeArea'
import { pfnZone, type Machine } from '../mm/machine'
import { PAGE_TYPE_BUDDY, pageFlags, pageOrder } from '../mm/memmap'
import { MIGRATE_ISOLATE } from '../mm/migratetype'
import { getPfnblockMigratetype, isPageblockIsolated } from '../mm/pageblock'
import { type Zone } from '../mm/zone'
import { moveFreepagesBlockLegacy } from '../mm/moveFreepages'
import { hasUnmovablePages } from './hasUnmovablePages'
import {
  clearPageblockIsolated,
  markPageblockIsolated,
  type IsolationRepresentation,
} from './representation'

export const EBUSY = 16

/** The variant switches isolation obeys. */
export interface IsolationVariant {
  representation: IsolationRepresentation
  /**
   * Split free buddies (and migrate in-use compound pages) that straddle the boundary of the
   * isolated range: `split_free_page` [5.19–6.9] / `split_large_buddy` [6.10+]. `false` models
   * the pre-v7 patch series, where a free MAX_ORDER page could end up half isolated.
   */
  boundarySplit: boolean
}

function isBuddy(m: Machine, pfn: number): boolean {
  return (pageFlags(m, pfn) & PAGE_TYPE_BUDDY) !== 0
}

/** [6.10+] `find_large_buddy()`: head of a free buddy that starts before `startPfn` and covers it, else `startPfn`. */
export function findLargeBuddy(m: Machine, startPfn: number): number {
  let order = 0
  let pfn = startPfn
  while (!isBuddy(m, pfn)) {
    if (++order > m.maxOrder) return startPfn
    pfn &= ~((1 << order) - 1)
  }
  if (pfn + (1 << pageOrder(m, pfn)) > startPfn) return pfn
  return startPfn
}

/**
 * [6.10+] `split_large_buddy()`: free an unlinked buddy of `order` again per pageblock, each
 * piece with its own pageblock's type (pieces re-merge where the merge rules allow).
 */
export function splitLargeBuddy(
  m: Machine,
  z: Zone,
  pfn: number,
  order: number,
  fpi: number,
): void {
  const pieceOrder = Math.min(order, m.pageblockOrder)
  const end = pfn + (1 << order)
  for (let p = pfn; p < end; p += 1 << pieceOrder)
    freeOnePage(m, z, p, pieceOrder, getPfnblockMigratetype(m, p), fpi)
}

/**
 * [6.10+] `move_freepages_block_isolate()` after the block was relabelled: split a covering
 * large buddy (when `split`), else move the block's free pages to `newMt`.
 */
function moveFreepagesBlockIsolate(
  m: Machine,
  z: Zone,
  pfn: number,
  newMt: number,
  split: boolean,
): void {
  const start = pfn & ~(m.pageblockNrPages - 1)
  if (split && m.pageblockOrder !== m.maxOrder) {
    const head = findLargeBuddy(m, start)
    if (head !== start || (isBuddy(m, start) && pageOrder(m, start) > m.pageblockOrder)) {
      const order = pageOrder(m, head)
      delFromFreeList(m, z, head, order)
      splitLargeBuddy(m, z, head, order, FPI_NONE)
      return
    }
  }
  moveFreepagesBlockLegacy(m, z, start, newMt)
}

/**
 * `set_migratetype_isolate(page, migratetype, isol_flags, start_pfn, end_pfn)` under the zone
 * lock: -EBUSY if the block is already isolated (a racing isolation) or `has_unmovable_pages`
 * finds a blocker in block ∩ [startPfn, endPfn); otherwise mark it isolated, move its free
 * pages to the ISOLATE lists (they leave NR_FREE_PAGES) and count `nr_isolate_pageblock`.
 * `blocker.pfn` receives the unmovable page, for REPORT_FAILURE-style reporting.
 */
export function setMigratetypeIsolate(
  m: Machine,
  pfn: number,
  migratetype: number,
  isolFlags: number,
  startPfn: number,
  endPfn: number,
  v: IsolationVariant,
  blocker?: { pfn: number },
): number {
  const z = pfnZone(m, pfn)
  if (z === undefined) return -EBUSY
  if (isPageblockIsolated(m, pfn)) return -EBUSY
  const blockStart = pfn & ~(m.pageblockNrPages - 1)
  const checkStart = Math.max(blockStart, startPfn)
  const checkEnd = Math.min(blockStart + m.pageblockNrPages, endPfn)
  const unmovable = hasUnmovablePages(m, checkStart, checkEnd, migratetype, isolFlags)
  if (unmovable >= 0) {
    if (blocker) blocker.pfn = unmovable
    return -EBUSY
  }
  markPageblockIsolated(m, blockStart)
  if (m.hygiene) moveFreepagesBlockIsolate(m, z, blockStart, MIGRATE_ISOLATE, v.boundarySplit)
  else moveFreepagesBlockLegacy(m, z, blockStart, MIGRATE_ISOLATE)
  return 0
}

/**
 * `unset_migratetype_isolate(page, migratetype)`: if the block starts with a free buddy of
 * order in [pageblock_order, MAX_PAGE_ORDER) whose buddy is free and not isolated, take it off
 * the list (`__isolate_free_page`, no watermark for an isolated block) and free it again after
 * relabelling (`__putback_isolated_page`, to the tail) so it merges; otherwise move the block's
 * free pages back. The restored type follows the representation (see representation.ts).
 */
export function unsetMigratetypeIsolate(
  m: Machine,
  pfn: number,
  migratetype: number,
  v: IsolationVariant,
): void {
  const z = pfnZone(m, pfn)
  const blockStart = pfn & ~(m.pageblockNrPages - 1)
  if (z === undefined || !isPageblockIsolated(m, blockStart)) return
  let isolatedOrder = -1
  if (isBuddy(m, blockStart)) {
    const order = pageOrder(m, blockStart)
    if (order >= m.pageblockOrder && order < m.maxOrder) {
      const buddy = blockStart ^ (1 << order)
      const buddyOk =
        buddy >= z.startPfn &&
        buddy < z.endPfn &&
        isBuddy(m, buddy) &&
        pageOrder(m, buddy) === order
      if (buddyOk && !isPageblockIsolated(m, buddy)) {
        delFromFreeList(m, z, blockStart, order)
        isolatedOrder = order
      }
    }
  }
  const restore = clearPageblockIsolated(m, blockStart, migratetype, v.representation)
  if (isolatedOrder < 0) {
    if (m.hygiene) moveFreepagesBlockIsolate(m, z, blockStart, restore, v.boundarySplit)
    else moveFreepagesBlockLegacy(m, z, blockStart, restore)
  } else {
    freeOnePage(m, z, blockStart, isolatedOrder, restore, FPI_TO_TAIL)
  }
}
