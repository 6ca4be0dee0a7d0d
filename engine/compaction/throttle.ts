/**
 * compaction.c:too_many_isolated: the migrate scanner backs off while the node has more pages
 * isolated from the LRU (by reclaim, compaction, migration, alloc_contig) than half its LRU
 * pages. [6.5+] a `__GFP_FS` compactor counts only an eighth of the LRU, so that GFP_NOFS
 * compactors can isolate past the limit other compactors stopped at (Johannes Weiner, "mm:
 * compaction: avoid GFP_NOFS ABBA deadlock"; eras 6.6 on).
 */
import { __GFP_FS } from '../mm/gfp'
import { eraAtLeast, type Machine } from '../mm/machine'
import { PAGE_ALLOC, PG_head, PG_INFO, PG_lru, PG_unevictable } from '../mm/memmap'
import { nodePageState } from '../mm/vmstat'
import { NR_ISOLATED_ANON, NR_ISOLATED_FILE } from '../mm/vmstatItems'
import { type CompactControl } from './types'

/** `reclaim_throttle(pgdat, VMSCAN_THROTTLE_ISOLATED)`'s timeout: HZ/50. */
export const THROTTLE_ISOLATED_NS = 20_000_000

/**
 * Pages on the node's evictable LRU lists (NR_{IN,}ACTIVE_{ANON,FILE}): LRU folios, counted by
 * their pages. Counted from the memmap: engine/reclaim's gauges are kept only where reclaim runs.
 */
function nodeLruPages(m: Machine, nid: number): number {
  let n = 0
  for (const z of m.zones) {
    if (z.nid !== nid) continue
    for (let p = z.startPfn; p < z.endPfn; p++) {
      const f = m.pg[p << 2]
      if ((f & (PAGE_ALLOC | PG_lru)) !== (PAGE_ALLOC | PG_lru) || (f & PG_unevictable) !== 0)
        continue
      const nr = (f & PG_head) !== 0 ? 1 << (m.pg[(p << 2) + PG_INFO] & 0xff) : 1
      n += nr
      p += nr - 1
    }
  }
  return n
}

/** compaction.c:too_many_isolated (6.1: `pgdat` only; 6.5+: `cc`, with the __GFP_FS scaling). */
export function tooManyIsolated(m: Machine, cc: CompactControl): boolean {
  const nid = m.zones[cc.zoneId].nid
  const isolated = nodePageState(m, nid, NR_ISOLATED_ANON) + nodePageState(m, nid, NR_ISOLATED_FILE)
  // Nothing isolated is never too many: skip counting the LRU.
  if (isolated <= 0) return false
  let lru = nodeLruPages(m, nid)
  if (eraAtLeast(m, '6.6') && (cc.gfpMask & __GFP_FS) !== 0) lru = Math.floor(lru / 8)
  return isolated > Math.floor(lru / 2)
}
