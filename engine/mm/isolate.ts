/**
 * Moving a pageblock's free pages onto or off the ISOLATE lists together with its isolation
 * state: the free-page half of `set_migratetype_isolate` / `unset_migratetype_isolate`
 * (mm/page_isolation.c), per era. The unmovable-page checks and the range logic of
 * `start_isolate_page_range` belong to the isolation layer built on this.
 */
import { freeOnePage } from './buddy'
import { delFromFreeList } from './freeArea'
import { type Machine } from './machine'
import { PAGE_TYPE_BUDDY, PG_INFO } from './memmap'
import { MIGRATE_ISOLATE } from './migratetype'
import { findLargeBuddy, moveFreepagesBlockLegacy, prepMoveFreepagesBlock } from './moveFreepages'
import { moveToFreeList } from './freeArea'
import { getPfnblockMigratetype, setPageblockIsolate } from './pageblock'
import { type Zone } from './zone'

/**
 * Isolate (`isolate` true) or unisolate the pageblock holding `pfn` and move its free pages
 * accordingly; `restoreMt` is the type to restore before 2025 (the caller remembered it).
 * Returns the number of free pages moved, or -1 if the block crosses the zone boundary.
 * - [≤6.9] `move_freepages_block` moves the buddies that start inside the block; a larger buddy
 *   that starts in the previous block is not seen (the 5.19 hazard the checker reports).
 * - [6.10+] `__move_freepages_block_isolate`: a larger buddy covering the block is first split
 *   per pageblock (`split_large_buddy`); unisolating re-frees order ≥ pageblock_order buddies so
 *   they merge with free neighbours (`__putback_isolated_page`).
 */
export function moveFreepagesBlockIsolate(
  m: Machine,
  z: Zone,
  pfn: number,
  isolate: boolean,
  restoreMt: number,
): number {
  m.op = isolate ? 'set_migratetype_isolate' : 'unset_migratetype_isolate'
  const start = pfn & ~(m.pageblockNrPages - 1)
  if (start < z.startPfn || start + m.pageblockNrPages > z.endPfn) return -1
  if (!m.hygiene) {
    setPageblockIsolate(m, start, isolate, restoreMt)
    return moveFreepagesBlockLegacy(m, z, start, isolate ? MIGRATE_ISOLATE : restoreMt)
  }
  const big = findLargeBuddy(m, start)
  if (big >= 0) {
    // Relabel first, then split per pageblock, so the pieces cannot re-merge across the change.
    const order = m.pg[(big << 2) + PG_INFO] & 0xff
    delFromFreeList(m, z, big, order)
    setPageblockIsolate(m, start, isolate, restoreMt)
    for (let p = big; p < big + (1 << order); p += m.pageblockNrPages) {
      freeOnePage(m, z, p, m.pageblockOrder, getPfnblockMigratetype(m, p), 0)
    }
    return m.pageblockNrPages
  }
  setPageblockIsolate(m, start, isolate, restoreMt)
  const newMt = getPfnblockMigratetype(m, start)
  if (!prepMoveFreepagesBlock(m, z, start)) return -1
  const moved = m.moveCounts.freePages
  for (let p = start; p < start + m.pageblockNrPages;) {
    if ((m.pg[p << 2] & PAGE_TYPE_BUDDY) === 0) {
      p++
      continue
    }
    const order = m.pg[(p << 2) + PG_INFO] & 0xff
    if (!isolate && order >= m.pageblockOrder) {
      delFromFreeList(m, z, p, order)
      freeOnePage(m, z, p, order, newMt, 0)
    } else {
      moveToFreeList(m, z, p, order, newMt)
    }
    p += 1 << order
  }
  return moved
}
