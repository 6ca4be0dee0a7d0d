/**
 * Reclaim for the seed-004 variants and `reclaim_clean_pages_from_list`. `reclaimPages` is
 * engine/reclaim's direct reclaim (mm/vmscan.c:try_to_free_pages over the node's LRU lists:
 * clean file folios dropped, dirty ones written back, anon swapped when a swap device exists);
 * it works node-wide, so it also frees pages in zones other than the one the caller cares
 * about, as Mel Gorman warned for the 2011 patch. `reclaimCleanPagesFromList` frees clean,
 * unmapped page-cache folios of an isolated list (PG_lru & PG_file & !PG_dirty, no writeback,
 * not locked, evictable, referenced only by the page cache and the isolation).
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
import { reclaimPages as reclaimPagesLru, type ReclaimPagesResult } from '../reclaim/directReclaim'
import { type CostModel } from '../sched/costModel'
import { type Zone } from '../mm/zone'
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

export type ReclaimResult = ReclaimPagesResult

/**
 * `try_to_free_pages` for alloc_contig_range's callers (engine/reclaim `reclaimPages`: LRU
 * reclaim of the target's node, zones up to its type, until `nrPages` are reclaimed or a pass
 * reclaims nothing, then `drain_all_pages`). Reclaim advances `env.clock` by its own costs;
 * callers account that time with `chargeSince` rather than charging it again.
 */
export function reclaimPages(
  m: Machine,
  target: Zone,
  nrPages: number,
  env: { clock: { nowNs: number }; cost: CostModel },
): ReclaimResult {
  return reclaimPagesLru(m, target, nrPages, { clock: env.clock, cost: env.cost })
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
