/**
 * mm/migrate.c:alloc_migration_target as a `get_new_folio` for callers other than compaction
 * (memory hotplug, mbind, alloc_contig_range, longterm pins): a folio of the source's order on
 * the source's node (or `nid`), from the page allocator.
 */
import { allocPages } from '../mm/alloc'
import {
  __GFP_COMP,
  __GFP_RECLAIM,
  __GFP_RETRY_MAYFAIL,
  GFP_HIGHUSER_MOVABLE,
  GFP_TRANSHUGE,
} from '../mm/gfp'
import { type Machine } from '../mm/machine'
import { NO_PAGE } from '../mm/memmap'
import { type CostModel } from '../sched/costModel'
import { pfnNid } from './isolate'
import { type SimClock } from './simClock'
import { type NewFolioFn } from './types'

export interface MigrationTargetControl {
  clock: SimClock
  cost: CostModel
  /** `mtc->gfp_mask`. Default GFP_HIGHUSER_MOVABLE | __GFP_RETRY_MAYFAIL. */
  gfp?: number
  /** `mtc->nid`: preferred node; default (NUMA_NO_NODE) the source's node. */
  nid?: number
  /**
   * The page allocator to call (`__folio_alloc`). Default: engine/mm's `allocPages` on `nid`'s
   * zonelist, charging `allocNs` (or `allocFailNs`). An allocator with a slow path (reclaim,
   * compaction) advances `clock` itself: under `allocateTarget: 'after-lock'` that time is
   * source lock-hold time.
   */
  allocate?: (gfp: number, order: number, nid: number) => number
}

/**
 * Build an `alloc_migration_target` callback. Large sources get `GFP_TRANSHUGE` without
 * `__GFP_RECLAIM` (consistent with regular THP allocations) and a compound folio of their order.
 * The preferred node is the allocation's local node (engine/mm allocates from `m.localNid`'s
 * zonelist, so it is switched for the call). Charges `allocNs`, or `allocFailNs` on failure.
 */
export function allocMigrationTarget(m: Machine, mtc: MigrationTargetControl): NewFolioFn {
  return (src: number, order: number): number => {
    let gfp = mtc.gfp ?? GFP_HIGHUSER_MOVABLE | __GFP_RETRY_MAYFAIL
    if (order > 0) gfp = (gfp & ~__GFP_RECLAIM) | GFP_TRANSHUGE | __GFP_COMP
    const nid = mtc.nid ?? pfnNid(m, src)
    if (mtc.allocate) return mtc.allocate(gfp, order, nid)
    const savedNid = m.localNid
    const prevOp = m.op
    m.localNid = nid
    const page = allocPages(m, gfp, order)
    m.localNid = savedNid
    m.op = prevOp
    mtc.clock.nowNs += page === NO_PAGE ? mtc.cost.allocFailNs : mtc.cost.allocNs
    return page
  }
}
