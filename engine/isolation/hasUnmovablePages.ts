/**
 * mm/page_isolation.c:has_unmovable_pages (6.1; the 2025 version takes a PB_ISOLATE_MODE
 * instead of the migratetype, with the same outcome for our callers).
 */
import { compoundHead } from '../mm/folio'
import { pfnZone, type Machine } from '../mm/machine'
import {
  PAGE_ALLOC,
  PAGE_TYPE_BUDDY,
  PAGE_TYPE_OFFLINE,
  PG_head,
  PG_lru,
  PG_movable_ops,
  PG_reserved,
  pageFlags,
  pageOrder,
} from '../mm/memmap'
import { MIGRATE_CMA } from '../mm/migratetype'
import { getPfnblockMigratetype } from '../mm/pageblock'
import { ZONE_MOVABLE } from '../mm/zoneType'

/** `isol_flags`: MEMORY_OFFLINE tolerates PageOffline (and HWPoison, not modelled) pages. */
export const MEMORY_OFFLINE = 0x1
/** REPORT_FAILURE: `dump_page` of the blocker (here: it is returned to the caller anyway). */
export const REPORT_FAILURE = 0x2

/**
 * Returns the first pfn in `[startPfn, endPfn)` (one pageblock) that makes isolation unsafe, or
 * -1. Rules, in the kernel's order:
 * 1. a CMA pageblock is fine only for a CMA request (`migratetype == MIGRATE_CMA`), otherwise
 *    its first page is the blocker;
 * 2. PageReserved → blocker; 3. in ZONE_MOVABLE anything else is fine;
 * 4. a compound page is judged by its head (LRU or `__PageMovable` → fine) and its tails are
 *    skipped, so a range starting in a tail of a movable compound page jumps to its end;
 * 5. refcount 0 → fine (a buddy skips its order): this also skips the tails of a
 *    *non-compound* high-order allocation, whose refcount is 0 — the unmovable page seed 003
 *    worries about is missed when the checked range holds only such tails;
 * 6. MEMORY_OFFLINE tolerates PageOffline; 7. LRU or `__PageMovable` → fine, else blocker.
 */
export function hasUnmovablePages(
  m: Machine,
  startPfn: number,
  endPfn: number,
  migratetype: number,
  isolFlags: number,
): number {
  if (startPfn >> m.pageblockOrder !== (endPfn - 1) >> m.pageblockOrder) {
    throw new RangeError(
      `has_unmovable_pages: [${startPfn}, ${endPfn}) is not inside one pageblock`,
    )
  }
  if (getPfnblockMigratetype(m, startPfn) === MIGRATE_CMA)
    return migratetype === MIGRATE_CMA ? -1 : startPfn
  const z = pfnZone(m, startPfn)
  const movableZone = z !== undefined && z.type === ZONE_MOVABLE
  for (let pfn = startPfn; pfn < endPfn; pfn++) {
    const f = pageFlags(m, pfn)
    if ((f & PG_reserved) !== 0) return pfn
    if (movableZone) continue
    const head = compoundHead(m, pfn)
    if ((pageFlags(m, head) & (PAGE_ALLOC | PG_head)) === (PAGE_ALLOC | PG_head)) {
      if ((pageFlags(m, head) & (PG_lru | PG_movable_ops)) === 0) return pfn
      pfn = head + (1 << pageOrder(m, head)) - 1
      continue
    }
    if (m.refcount[pfn] === 0) {
      if ((f & PAGE_TYPE_BUDDY) !== 0) pfn += (1 << pageOrder(m, pfn)) - 1
      continue
    }
    if ((isolFlags & MEMORY_OFFLINE) !== 0 && (f & PAGE_TYPE_OFFLINE) !== 0) continue
    if ((f & (PG_lru | PG_movable_ops)) !== 0) continue
    return pfn
  }
  return -1
}
