/**
 * A minimal page reclaim for the seed-004 variants and for `reclaim_clean_pages_from_list`:
 * it frees clean, unmapped page-cache folios (PG_lru & PG_file & !PG_dirty, no writeback, not
 * locked, evictable, referenced only by the page cache). It stands in for mm/vmscan.c
 * `try_to_free_pages` until the engine has a reclaim module (issue 5), which should replace
 * `reclaimPages`. No anon reclaim (no swap), no LRU ageing: folios are taken in pfn order from a
 * per-machine cursor over the node's zones, so reclaim also hits zones other than the one the
 * caller cares about, as Mel Gorman warned for the 2011 patch.
 */
import { folioPut } from '../mm/folio'
import { type Machine } from '../mm/machine'
import {
  PAGE_ALLOC,
  PG_active,
  PG_dirty,
  PG_file,
  PG_head,
  PG_locked,
  PG_lru,
  PG_mlocked,
  PG_movable_ops,
  PG_referenced,
  PG_unevictable,
  PG_writeback,
  pageFlags,
  pageOrder,
  setPageFlags,
} from '../mm/memmap'
import { drainAllPages } from '../mm/pcp'
import { type Zone } from '../mm/zone'
import { type ContigMigrateApi } from './types'

const BUSY = PG_dirty | PG_writeback | PG_locked | PG_unevictable | PG_mlocked | PG_movable_ops

/** `SWAP_CLUSTER_MAX`: what one `try_to_free_pages` pass aims to reclaim. */
export const SWAP_CLUSTER_MAX = 32

const cursors = new WeakMap<Machine, number>()

function nrPagesOf(m: Machine, head: number): number {
  return (pageFlags(m, head) & PG_head) !== 0 ? 1 << pageOrder(m, head) : 1
}

/**
 * A clean unmapped page-cache folio whose only references are the page cache's (one per page,
 * as `filemap_add_folio` takes them) plus `extraRefs` (the isolation's).
 */
function reclaimable(m: Machine, head: number, extraRefs: number): boolean {
  const f = pageFlags(m, head)
  if ((f & PAGE_ALLOC) === 0 || (f & PG_file) === 0 || (f & BUSY) !== 0 || m.mapcount[head] !== 0)
    return false
  return m.refcount[head] === nrPagesOf(m, head) + extraRefs
}

/** `__remove_mapping`: freeze the references to the last one, take it off the LRU, free. */
function dropFolio(m: Machine, head: number): void {
  setPageFlags(m, head, pageFlags(m, head) & ~(PG_lru | PG_active | PG_referenced))
  m.refcount[head] = 1
  folioPut(m, head)
}

export interface ReclaimResult {
  /** Base pages freed. */
  nrReclaimed: number
  /** Of which outside `target`. */
  nrOtherZones: number
  /** Pfns examined. */
  nrScanned: number
}

/**
 * Reclaim at least `nrPages` base pages from the node of `target` (all its zones, in pfn
 * order from where the last call stopped), then `drain_all_pages` so the freed pages reach the
 * buddy lists and NR_FREE_PAGES, as `__alloc_pages_direct_reclaim` drains after a reclaim that
 * did not yet make the allocation succeed.
 */
export function reclaimPages(m: Machine, target: Zone, nrPages: number): ReclaimResult {
  const zones = m.zones.filter((z) => z.nid === target.nid)
  const lo = zones[0].startPfn
  const hi = zones[zones.length - 1].endPfn
  let pfn = cursors.get(m) ?? lo
  if (pfn < lo || pfn >= hi) pfn = lo
  const res: ReclaimResult = { nrReclaimed: 0, nrOtherZones: 0, nrScanned: 0 }
  for (let seen = 0; seen < hi - lo && res.nrReclaimed < nrPages;) {
    const f = pageFlags(m, pfn)
    const step = (f & PAGE_ALLOC) !== 0 ? nrPagesOf(m, pfn) : 1
    res.nrScanned++
    if ((f & PG_lru) !== 0 && reclaimable(m, pfn, 0)) {
      const inTarget = pfn >= target.startPfn && pfn < target.endPfn
      dropFolio(m, pfn)
      res.nrReclaimed += step
      if (!inTarget) res.nrOtherZones += step
    }
    seen += step
    pfn += step
    if (pfn >= hi) pfn = lo
  }
  cursors.set(m, pfn)
  if (res.nrReclaimed > 0) drainAllPages(m, null)
  return res
}

/**
 * mm/vmscan.c:reclaim_clean_pages_from_list: isolated clean page-cache folios need no
 * migration; drop them (their isolation reference and the cache's) and take them off `list`.
 * Returns base pages reclaimed.
 */
export function reclaimCleanPagesFromList(
  m: Machine,
  list: number[],
  api: ContigMigrateApi,
): number {
  let n = 0
  for (let i = list.length - 1; i >= 0; i--) {
    const head = list[i]
    if (!reclaimable(m, head, 1)) continue
    const nr = nrPagesOf(m, head)
    api.modIsolated(m, m.zones[m.pbZone[head >> m.pageblockOrder]].nid, true, -nr)
    list.splice(i, 1)
    dropFolio(m, head)
    n += nr
  }
  return n
}
