/**
 * Reclaim for the seed-004 variants and `reclaim_clean_pages_from_list`. `contigDirectReclaim`
 * is the 2011 patches' reclaim call (`__force_memory_reclaim` in v18 patch 07,
 * `__reclaim_pages` in v19–v24): `wake_all_kswapd` and one `try_to_free_pages` pass with
 * GFP_HIGHUSER_MOVABLE over `node_zonelist(0, ...)`, i.e. engine/reclaim's direct reclaim, which
 * works node-wide and so also frees pages in zones other than the one the caller cares about,
 * as Mel Gorman warned. `reclaimCleanPagesFromList` frees clean, unmapped page-cache folios of
 * an isolated list (PG_lru & PG_file & !PG_dirty, no writeback, not locked, evictable,
 * referenced only by the page cache and the isolation).
 */
import { folioPut } from '../mm/folio'
import { GFP_HIGHUSER_MOVABLE, gfpZone } from '../mm/gfp'
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
import { tryToFreePages } from '../reclaim/directReclaim'
import { wakeupKswapd } from '../reclaim/kswapd'
import { contigReclaimEnv, type ContigReq } from './request'
import { type ContigMigrateApi } from './types'

const BUSY = PG_dirty | PG_writeback | PG_locked | PG_unevictable | PG_mlocked | PG_movable_ops

/** `SWAP_CLUSTER_MAX`: what one `try_to_free_pages` pass aims to reclaim. */
export const SWAP_CLUSTER_MAX = 32

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

/** What one reclaim call of the seed-004 variants did. */
export interface ContigReclaimResult {
  nrReclaimed: number
  /** Pages the zone counters show freed outside the contiguous range's zone. */
  nrOtherZones: number
}

/**
 * The 2011 reclaim call (v18 `__force_memory_reclaim(order, zone)`, v24 `__reclaim_pages`):
 * `wake_all_kswapd(order, zonelist, high_zoneidx, zone_idx(zone))`, then
 * `try_to_free_pages(node_zonelist(0, GFP_HIGHUSER_MOVABLE), order, GFP_HIGHUSER_MOVABLE)`
 * (one pass: SWAP_CLUSTER_MAX pages, priority 12 down to 0, every zone of node 0). Reclaim
 * advances the request's clock by its own costs; callers account that time with `chargeSince`.
 */
export function contigDirectReclaim(req: ContigReq, order: number): ContigReclaimResult {
  const { m } = req
  const gfp = GFP_HIGHUSER_MOVABLE
  const env = contigReclaimEnv(req)
  const highest = gfpZone(gfp)
  const zonelist = m.zonelists[0]
  for (let i = 0; i < zonelist.length; i++) {
    const z = m.zones[zonelist[i]]
    if (z.type <= highest) wakeupKswapd(m, z.id, gfp, order, req.z.type, env)
  }
  const before = m.zones.map((z) => z.nrFreePages)
  const nrReclaimed = tryToFreePages(m, gfp, order, env, 0)
  let nrOtherZones = 0
  for (const z of m.zones)
    if (z !== req.z && z.nrFreePages > before[z.id]) nrOtherZones += z.nrFreePages - before[z.id]
  return { nrReclaimed, nrOtherZones }
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
