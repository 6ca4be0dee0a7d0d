/**
 * Direct reclaim (mm/vmscan.c:try_to_free_pages → do_try_to_free_pages → shrink_zones): the
 * allocating task reclaims SWAP_CLUSTER_MAX pages, lowering the priority from DEF_PRIORITY
 * towards 0, from every node of its zonelist, and stops early for a costly order once a zone
 * is ready for compaction (`compaction_ready`). Counts allocstall_<zone> per call.
 */
import { compactionSuitAllocationOrder } from '../compaction/suitable'
import { compactGap } from '../compaction/types'
import { __GFP_IO, gfpZone } from '../mm/gfp'
import { type Machine } from '../mm/machine'
import { PAGE_ALLOC_COSTLY_ORDER } from '../mm/pcpIndex'
import { drainAllPages } from '../mm/pcp'
import { zoneWatermarkOkSafe } from '../mm/watermark'
import { type Zone } from '../mm/zone'
import { ALLOCSTALL, countReclaimEvent, emitReclaimTrace, reclaimTraceOn } from './counters'
import { lruSync } from './lru'
import { shrinkNode } from './shrinkNode'
import {
  createScanControl,
  DEF_PRIORITY,
  reclaimCost,
  type ReclaimEnv,
  type ScanControl,
} from './types'
import { nextWritebackDoneNs, nrWritebackInflight } from './writeback'

/**
 * mm/vmscan.c:compaction_ready: the zone can already compact for `sc.order` (with a gap).
 * `compaction_suitable` compares the fragmentation index with `vm.extfrag_threshold`: at 1000
 * (calibration's hugetlb requests) it is never suitable, so reclaim runs.
 */
function compactionReady(m: Machine, z: Zone, sc: ScanControl, env: ReclaimEnv): boolean {
  if ((sc.gfpMask & __GFP_IO) === 0) return false
  const suitable = compactionSuitAllocationOrder(
    m,
    z,
    sc.order,
    sc.reclaimIdx,
    0,
    env.compaction?.extfragThreshold,
  )
  if (suitable === 'success') return true
  if (suitable === 'skipped') return false
  return zoneWatermarkOkSafe(
    m,
    z,
    0,
    z.wmarkHigh + z.watermarkBoost + compactGap(sc.order),
    sc.reclaimIdx,
    0,
  )
}

/** mm/vmscan.c:shrink_zones: each node of the zonelist once, zones ≤ reclaim_idx. */
function shrinkZones(m: Machine, zonelist: Int32Array, sc: ScanControl, env: ReclaimEnv): void {
  const done = new Set<number>()
  for (let i = 0; i < zonelist.length; i++) {
    const z = m.zones[zonelist[i]]
    if (z.type > sc.reclaimIdx || z.managedPages === 0) continue
    if (sc.order > PAGE_ALLOC_COSTLY_ORDER && compactionReady(m, z, sc, env)) {
      sc.compactionReady = true
      continue
    }
    if (done.has(z.nid)) continue
    done.add(z.nid)
    shrinkNode(m, z.nid, sc, env)
  }
}

/**
 * The reclaim throttle the model keeps (`reclaim_throttle(VMSCAN_THROTTLE_WRITEBACK)`): a
 * direct reclaimer that freed nothing while IO is in flight sleeps until the first IO
 * completes, at most HZ/10. Without it, the allocator's retries would all run before any
 * writeback could finish.
 */
function throttleOnWriteback(m: Machine, env: ReclaimEnv): void {
  if (nrWritebackInflight(m) === 0) return
  const limit = env.clock.nowNs + reclaimCost(env).throttleWritebackNs
  env.clock.nowNs = Math.max(env.clock.nowNs, Math.min(limit, nextWritebackDoneNs(m)))
}

/** mm/vmscan.c:do_try_to_free_pages. */
export function doTryToFreePages(
  m: Machine,
  zonelist: Int32Array,
  sc: ScanControl,
  env: ReclaimEnv,
): number {
  const initialPriority = sc.priority
  for (;;) {
    countReclaimEvent(m, ALLOCSTALL + sc.reclaimIdx, 1)
    do {
      sc.nrScanned = 0
      shrinkZones(m, zonelist, sc, env)
      if (sc.nrReclaimed >= sc.nrToReclaim || sc.compactionReady) break
      if (sc.priority < DEF_PRIORITY - 2) sc.mayWritepage = true
    } while (--sc.priority >= 0)
    if (sc.nrReclaimed > 0) return sc.nrReclaimed
    if (sc.compactionReady) return 1
    if (sc.skippedDeactivate) {
      sc.priority = initialPriority
      sc.forceDeactivate = true
      sc.skippedDeactivate = false
      continue
    }
    throttleOnWriteback(m, env)
    return 0
  }
}

/**
 * mm/vmscan.c:try_to_free_pages: direct reclaim for an allocation of `order` with `gfp` from
 * node `nid`'s zonelist (default: the running CPU's). Returns the pages reclaimed (1 when it
 * stopped because compaction can proceed).
 */
export function tryToFreePages(
  m: Machine,
  gfp: number,
  order: number,
  env: ReclaimEnv,
  nid: number = m.localNid,
): number {
  lruSync(m)
  if (reclaimTraceOn(m, 'mm_vmscan_direct_reclaim_begin'))
    emitReclaimTrace(m, { name: 'mm_vmscan_direct_reclaim_begin', order, gfp_flags: gfp })
  const sc = createScanControl({ gfpMask: gfp, reclaimIdx: gfpZone(gfp), order })
  const nr = doTryToFreePages(m, m.zonelists[nid], sc, env)
  if (reclaimTraceOn(m, 'mm_vmscan_direct_reclaim_end'))
    emitReclaimTrace(m, { name: 'mm_vmscan_direct_reclaim_end', nr_reclaimed: sc.nrReclaimed })
  return nr
}

/** What engine/contig's stand-in returned (engine/contig/reclaim.ts `ReclaimResult`). */
export interface ReclaimPagesResult {
  nrReclaimed: number
  nrOtherZones: number
  nrScanned: number
}

/**
 * Drop-in for engine/contig's `reclaimPages(m, target, nrPages)`: direct reclaim
 * (`try_to_free_pages` with GFP_KERNEL-like reclaim bits, zones up to `target`'s type on its
 * node) repeated until `nrPages` are reclaimed or a pass reclaims nothing, then
 * `drain_all_pages`. `nrOtherZones` counts pages the zone counters show freed outside `target`.
 */
export function reclaimPages(
  m: Machine,
  target: Zone,
  nrPages: number,
  env: ReclaimEnv,
  gfp = 0xcc0,
): ReclaimPagesResult {
  const before = m.zones.map((z) => z.nrFreePages)
  const res: ReclaimPagesResult = { nrReclaimed: 0, nrOtherZones: 0, nrScanned: 0 }
  lruSync(m)
  while (res.nrReclaimed < nrPages) {
    const sc = createScanControl({
      gfpMask: gfp,
      reclaimIdx: target.type,
      nrToReclaim: Math.max(32, nrPages - res.nrReclaimed),
    })
    const zl = Int32Array.from(
      m.zones
        .filter((z) => z.nid === target.nid)
        .map((z) => z.id)
        .reverse(),
    )
    doTryToFreePages(m, zl, sc, env)
    res.nrScanned += sc.nrScanned
    if (sc.nrReclaimed === 0) break
    res.nrReclaimed += sc.nrReclaimed
  }
  if (res.nrReclaimed > 0) drainAllPages(m, null)
  for (const z of m.zones)
    if (z !== target && z.nrFreePages > before[z.id])
      res.nrOtherZones += z.nrFreePages - before[z.id]
  return res
}
