/**
 * Moving a pageblock's free pages between lists: `move_freepages_block` [≤6.9] (moves and
 * counts in one pass), and [6.10+] `prep_move_freepages_block` (counts only) +
 * `__move_freepages_block` (moves and relabels).
 */
import { moveToFreeList } from './freeArea'
import { type Machine } from './machine'
import {
  PAGE_ALLOC,
  PAGE_PCP,
  PAGE_TYPE_BUDDY,
  PG_head,
  PG_INFO,
  PG_lru,
  PG_movable_ops,
} from './memmap'
import { setPageblockMigratetype } from './pageblock'
import { type Zone } from './zone'

/**
 * Walks the pageblock holding `pfn`, counting free pages (PageBuddy) and pages that look
 * movable (`PageLRU || __PageMovable`, judged per pfn as the kernel does, so every page of an
 * LRU large folio counts). When `moveToMt >= 0` also moves each free buddy to that type's
 * list. Returns false if the block is not entirely inside the zone.
 */
function walkBlock(m: Machine, z: Zone, pfn: number, moveToMt: number): boolean {
  const start = pfn & ~(m.pageblockNrPages - 1)
  const end = start + m.pageblockNrPages
  const counts = m.moveCounts
  counts.freePages = 0
  counts.movablePages = 0
  counts.startPfn = start
  if (start < z.startPfn || end > z.endPfn) return false
  const pg = m.pg
  let freePages = 0
  let movablePages = 0
  let p = start
  while (p < end) {
    const f = pg[p << 2]
    if ((f & PAGE_TYPE_BUDDY) !== 0) {
      const o = pg[(p << 2) + PG_INFO] & 0xff
      if (moveToMt >= 0) moveToFreeList(m, z, p, o, moveToMt)
      freePages += 1 << o
      p += 1 << o
    } else if ((f & PAGE_ALLOC) !== 0) {
      const o = pg[(p << 2) + PG_INFO] & 0xff
      const nr = Math.min(1 << o, end - p)
      if ((f & (PG_lru | PG_movable_ops)) !== 0) movablePages += (f & PG_head) !== 0 ? nr : 1
      p += nr
    } else if ((f & PAGE_PCP) !== 0) {
      p += 1 << (pg[(p << 2) + PG_INFO] & 0xff)
    } else {
      p++
    }
  }
  counts.freePages = freePages
  counts.movablePages = movablePages
  return true
}

/** [≤6.9] `move_freepages_block(zone, page, mt, &num_movable)`: returns pages moved (0 on a zone boundary). */
export function moveFreepagesBlockLegacy(m: Machine, z: Zone, pfn: number, newMt: number): number {
  if (!walkBlock(m, z, pfn, newMt)) return 0
  return m.moveCounts.freePages
}

/** [6.10+] `prep_move_freepages_block()`: counts into `m.moveCounts`; false on a zone boundary. */
export function prepMoveFreepagesBlock(m: Machine, z: Zone, pfn: number): boolean {
  return walkBlock(m, z, pfn, -1)
}

/**
 * [6.10+] `move_freepages_block(zone, page, old, new)`: moves every free buddy of the block to
 * `newMt` and relabels the block. Returns pages moved, or -1 on a zone boundary. Before 6.10
 * the caller relabels; this function serves both eras' callers that want both steps.
 */
export function moveFreepagesBlock(m: Machine, z: Zone, pfn: number, newMt: number): number {
  if (!walkBlock(m, z, pfn, newMt)) return -1
  setPageblockMigratetype(m, m.moveCounts.startPfn, newMt)
  return m.moveCounts.freePages
}

/**
 * `find_large_buddy()` [6.10+]: the head of a free buddy of order > pageblock_order that covers
 * `pfn`, or -1.
 */
export function findLargeBuddy(m: Machine, pfn: number): number {
  for (let order = m.pageblockOrder + 1; order <= m.maxOrder; order++) {
    const head = pfn & ~((1 << order) - 1)
    if ((m.pg[head << 2] & PAGE_TYPE_BUDDY) !== 0 && (m.pg[(head << 2) + PG_INFO] & 0xff) >= order)
      return head
  }
  return -1
}
