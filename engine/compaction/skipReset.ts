/**
 * Clearing the pageblock skip hints (mm/compaction.c, 6.1 and 6.12 alike):
 * `__reset_isolation_suitable` walks the zone from both ends, `__reset_isolation_pfn` samples a
 * block every 8 pages for an LRU page (a migration source) or a free page (a target) before
 * clearing its bit, and the restart points become the first such blocks. Its callers:
 * - `compact_zone` when `compaction_restarting()` (the deferral is at its maximum and used up);
 * - kswapd going to sleep (`kswapd_try_to_sleep` → `reset_isolation_suitable(pgdat)`);
 * and in both it only runs if a direct compactor met the scanners since (`compact_blockskip_flush`,
 * set in `__compact_finished`, cleared here and by a direct compaction whose allocation succeeds).
 * kcompactd and proactive compaction never set the flag, so they never reset by themselves.
 */
import { compoundHead } from '../mm/folio'
import { type Machine } from '../mm/machine'
import { PAGE_ALLOC, PAGE_TYPE_BUDDY, PG_head, PG_INFO, PG_lru } from '../mm/memmap'
import { MIGRATE_MOVABLE } from '../mm/migratetype'
import { clearPageblockSkip, getPageblockSkip, getPfnblockMigratetype } from '../mm/pageblock'
import { PAGE_ALLOC_COSTLY_ORDER } from '../mm/pcpIndex'
import { compactionState, pageblockEndPfn, pageblockStartPfn } from './state'

/** compaction.c:pageblock_skip_persistent: a compound page of ≥ pageblock order keeps its skip bit. */
function pageblockSkipPersistent(m: Machine, pfn: number): boolean {
  const head = compoundHead(m, pfn)
  const f = m.pg[head << 2]
  if ((f & (PAGE_ALLOC | PG_head)) !== (PAGE_ALLOC | PG_head)) return false
  return (m.pg[(head << 2) + PG_INFO] & 0xff) >= m.pageblockOrder
}

/**
 * compaction.c:__reset_isolation_pfn: clear the skip bit of `pfn`'s block if a sample every
 * 2^PAGE_ALLOC_COSTLY_ORDER pages from the block start finds an LRU page (`checkSource`) or a
 * free buddy (`checkTarget`). With both checks and the bit already clear it just reports true;
 * the free side alone never picks a non-MOVABLE block.
 */
export function resetIsolationPfn(
  m: Machine,
  zoneId: number,
  pfn: number,
  checkSource: boolean,
  checkTarget: boolean,
): boolean {
  const z = m.zones[zoneId]
  if (pfn < z.startPfn || pfn >= z.endPfn) return false
  if (pageblockSkipPersistent(m, pfn)) return false
  if (checkSource && checkTarget && !getPageblockSkip(m, pfn)) return true
  if (!checkSource && checkTarget && getPfnblockMigratetype(m, pfn) !== MIGRATE_MOVABLE)
    return false
  let page = Math.max(pageblockStartPfn(m, pfn), z.startPfn)
  const endPage = Math.min(pageblockEndPfn(m, pfn) - 1, z.endPfn - 1)
  do {
    if (checkSource && (m.pg[compoundHead(m, page) << 2] & PG_lru) !== 0) {
      clearPageblockSkip(m, page)
      return true
    }
    if (checkTarget && (m.pg[page << 2] & PAGE_TYPE_BUDDY) !== 0) {
      clearPageblockSkip(m, page)
      return true
    }
    page += 1 << PAGE_ALLOC_COSTLY_ORDER
  } while (page <= endPage)
  return false
}

/**
 * compaction.c:__reset_isolation_suitable: only if `compact_blockskip_flush` (then cleared).
 * Walks the migrate side up from the zone start and the free side down from the zone end a
 * pageblock at a time until they cross; the first block found suitable on each side becomes
 * `compact_init_*_pfn` and the cached scanner position. With no such pair, the cached positions
 * are left where the walk met ("leave no distance").
 */
export function resetIsolationSuitable(m: Machine, zoneId: number): void {
  const s = compactionState(m)
  const z = m.zones[zoneId]
  if (s.blockskipFlush[zoneId] === 0) return
  s.blockskipFlush[zoneId] = 0
  let migratePfn = z.startPfn
  let freePfn = z.endPfn - 1
  let resetMigrate = freePfn
  let resetFree = migratePfn
  let sourceSet = false
  let freeSet = false
  for (; migratePfn < freePfn; migratePfn += m.pageblockNrPages, freePfn -= m.pageblockNrPages) {
    if (resetIsolationPfn(m, zoneId, migratePfn, true, sourceSet) && migratePfn < resetMigrate) {
      sourceSet = true
      resetMigrate = migratePfn
      s.initMigratePfn[zoneId] = resetMigrate
      s.cachedMigratePfn[zoneId * 2] = resetMigrate
      s.cachedMigratePfn[zoneId * 2 + 1] = resetMigrate
    }
    if (resetIsolationPfn(m, zoneId, freePfn, freeSet, true) && freePfn > resetFree) {
      freeSet = true
      resetFree = freePfn
      s.initFreePfn[zoneId] = resetFree
      s.cachedFreePfn[zoneId] = resetFree
    }
  }
  if (resetMigrate >= resetFree) {
    s.cachedMigratePfn[zoneId * 2] = migratePfn
    s.cachedMigratePfn[zoneId * 2 + 1] = migratePfn
    s.cachedFreePfn[zoneId] = freePfn
  }
}

/**
 * compaction.c:reset_isolation_suitable(pgdat), from kswapd_try_to_sleep: every populated zone
 * of the node (each resets only if flagged).
 */
export function resetIsolationSuitableNode(m: Machine, nid: number): void {
  for (const z of m.zones) {
    if (z.nid !== nid || z.presentPages === 0) continue
    resetIsolationSuitable(m, z.id)
  }
}
