/**
 * Compaction's entry points (mm/compaction.c, mm/page_alloc.c): direct compaction from the
 * allocation slow path (`compact_zone_order`, `try_to_compact_pages`,
 * `__alloc_pages_direct_compact`), `/proc/sys/vm/compact_memory` (`compact_node`), kcompactd
 * (`wakeup_kcompactd`, `kcompactd_do_work`) and proactive compaction (`proactive_compact_node`
 * and kcompactd's timer decision). Scheduling kcompactd as a task is the caller's business.
 */
import { getPageFromFreelist } from '../mm/alloc'
import { ALLOC_WMARK_MIN } from '../mm/allocFlags'
import { __GFP_IO, GFP_KERNEL, gfpMigratetype, gfpZone } from '../mm/gfp'
import { type Machine } from '../mm/machine'
import { NO_PAGE, PG_INFO } from '../mm/memmap'
import { prepNewPage } from '../mm/prep'
import { freePages } from '../mm/free'
import { drainAllPages } from '../mm/pcp'
import { compactZone } from './compactZone'
import { compactionDeferred, compactionDeferReset, deferCompaction } from './deferral'
import { fragmentationScoreNode, shouldProactiveCompactNode } from './finished'
import {
  compactionState,
  countCompactEvents,
  COMPACTFAIL,
  COMPACTSTALL,
  COMPACTSUCCESS,
  emitCompactionTrace,
  KCOMPACTD_FREE_SCANNED,
  KCOMPACTD_MIGRATE_SCANNED,
  KCOMPACTD_WAKE,
} from './state'
import { compactionSuitAllocationOrder } from './suitable'
import { TP_KCOMPACTD_WAKE, TP_TRY_TO_COMPACT_PAGES, TP_WAKEUP_KCOMPACTD } from './traceTypes'
import {
  COMPACT_MAX_DEFER_SHIFT,
  COMPACT_PRIO_ASYNC,
  type CompactControl,
  type CompactEnv,
  type CompactPriority,
  type CompactResult,
  compactResultRank,
  createCompactControl,
  defaultCompactionVariants,
  MIN_COMPACT_PRIORITY,
  type MigrateMode,
} from './types'

function newControl(
  m: Machine,
  env: CompactEnv,
  zoneId: number,
  order: number,
  mode: MigrateMode,
  gfp: number,
): CompactControl {
  const cc = createCompactControl(m, zoneId, order, mode, {
    ...defaultCompactionVariants(m),
    ...env.variants,
  })
  cc.gfpMask = gfp
  cc.searchOrder = order
  cc.migratetype = m.mobilityDisabled ? 0 : gfpMigratetype(gfp)
  return cc
}

/**
 * compaction.c:compact_zone_order: direct compaction of one zone at a priority. ASYNC runs
 * MIGRATE_ASYNC; SYNC_LIGHT and SYNC_FULL run MIGRATE_SYNC_LIGHT, and SYNC_FULL also scans the
 * whole zone ignoring skip bits and block suitability.
 */
export function compactZoneOrder(
  m: Machine,
  env: CompactEnv,
  zoneId: number,
  order: number,
  gfp: number,
  prio: CompactPriority,
  allocFlags: number,
  highestZoneidx: number,
): { result: CompactResult; cc: CompactControl } {
  const cc = newControl(
    m,
    env,
    zoneId,
    order,
    prio === COMPACT_PRIO_ASYNC ? 'async' : 'sync-light',
    gfp,
  )
  cc.allocFlags = allocFlags
  cc.highestZoneidx = highestZoneidx
  cc.directCompaction = true
  const full = prio === MIN_COMPACT_PRIORITY
  cc.wholeZone = full
  cc.ignoreSkipHint = full
  cc.ignoreBlockSuitable = full
  // current->capture_control while compact_zone runs (compaction_capture in __free_one_page).
  const capc = m.capc
  capc.zoneId = zoneId
  capc.order = order
  capc.migratetype = cc.migratetype
  capc.page = -1
  let result: CompactResult
  try {
    result = compactZone(m, env, cc)
  } finally {
    capc.zoneId = -1
  }
  // capc.page stays as try_to_compact_pages' `*capture` for its caller.
  cc.capturedPfn = capc.page
  // "compaction is skipped but the page is still captured out of luck": SUCCESS either way.
  if (cc.capturedPfn >= 0) result = 'success'
  return { result, cc }
}

/**
 * compaction.c:try_to_compact_pages: every zone of the local zonelist up to `gfp_zone(gfp)`,
 * skipping deferred zones (DEFERRED) unless SYNC_FULL; stop at the first SUCCESS (and
 * `compaction_defer_reset(false)`); a non-async COMPLETE/PARTIAL_SKIPPED defers the zone.
 * Returns the highest result (`enum compact_result` order), SKIPPED without `__GFP_IO`. A page
 * captured on the way (`*capture`) is left in `m.capc.page` for the caller: take it, or give it
 * back with `releaseCapturedPage`.
 */
export function tryToCompactPages(
  m: Machine,
  env: CompactEnv,
  gfp: number,
  order: number,
  allocFlags: number,
  prio: CompactPriority,
): CompactResult {
  if ((gfp & __GFP_IO) === 0) return 'skipped'
  if (m.traceOn[TP_TRY_TO_COMPACT_PAGES] !== 0)
    emitCompactionTrace(m, TP_TRY_TO_COMPACT_PAGES, {
      name: 'mm_compaction_try_to_compact_pages',
      order,
      gfp_mask: gfp,
      prio,
    })
  const highest = gfpZone(gfp)
  let rc: CompactResult = 'skipped'
  m.capc.page = -1
  const zonelist = m.zonelists[m.localNid]
  for (let i = 0; i < zonelist.length; i++) {
    const zoneId = zonelist[i]
    const z = m.zones[zoneId]
    if (z.type > highest || z.managedPages === 0) continue
    if (prio > MIN_COMPACT_PRIORITY && compactionDeferred(m, zoneId, order)) {
      if (compactResultRank('deferred') > compactResultRank(rc)) rc = 'deferred'
      continue
    }
    const status = compactZoneOrder(m, env, zoneId, order, gfp, prio, allocFlags, highest).result
    if (compactResultRank(status) > compactResultRank(rc)) rc = status
    if (status === 'success') {
      compactionDeferReset(m, zoneId, order, false)
      break
    }
    if (prio !== COMPACT_PRIO_ASYNC && (status === 'complete' || status === 'partial_skipped'))
      deferCompaction(m, zoneId, order)
  }
  return rc
}

/**
 * page_alloc.c:__alloc_pages_direct_compact: run `try_to_compact_pages`, then try the free
 * lists. Counts compact_stall (unless SKIPPED), compact_success (and resets the zone's
 * deferral with `alloc_success`) or compact_fail. Returns the page (or -1) and the result.
 */
export function allocPagesDirectCompact(
  m: Machine,
  env: CompactEnv,
  gfp: number,
  order: number,
  allocFlags: number,
  prio: CompactPriority,
): { pfn: number; result: CompactResult } {
  if (order === 0) return { pfn: NO_PAGE, result: 'skipped' }
  const result = tryToCompactPages(m, env, gfp, order, allocFlags, prio)
  if (result === 'skipped') return { pfn: NO_PAGE, result }
  const s = compactionState(m)
  countCompactEvents(m, COMPACTSTALL, 1)
  // A captured page is prepped (prep_new_page); otherwise try the free lists.
  let pfn = m.capc.page
  m.capc.page = -1
  if (pfn >= 0) prepNewPage(m, pfn, order, gfp)
  else pfn = getPageFromFreelist(m, gfp, order, allocFlags)
  env.clock.nowNs += env.cost.allocNs
  if (pfn !== NO_PAGE) {
    const zoneId = m.pbZone[pfn >> m.pageblockOrder]
    s.blockskipFlush[zoneId] = 0
    compactionDeferReset(m, zoneId, order, true)
    countCompactEvents(m, COMPACTSUCCESS, 1)
    return { pfn, result }
  }
  countCompactEvents(m, COMPACTFAIL, 1)
  return { pfn: NO_PAGE, result }
}

/**
 * compaction.c:compact_node: order -1, MIGRATE_SYNC, whole zone, skip bits ignored, every
 * populated zone of the node. Returns each zone's result.
 */
export function compactNode(m: Machine, env: CompactEnv, nid: number): CompactResult[] {
  const out: CompactResult[] = []
  for (const z of m.zones) {
    if (z.nid !== nid || z.presentPages === 0) continue
    const cc = newControl(m, env, z.id, -1, 'sync', GFP_KERNEL)
    cc.ignoreSkipHint = true
    cc.wholeZone = true
    out.push(compactZone(m, env, cc))
  }
  return out
}

/** Writing 1 to /proc/sys/vm/compact_memory (`compact_nodes`): `compact_node` on every node. */
export function compactMemory(m: Machine, env: CompactEnv): CompactResult[] {
  const out: CompactResult[] = []
  for (let nid = 0; nid < m.cfg.nrNodes; nid++) out.push(...compactNode(m, env, nid))
  return out
}

/** compaction.c:kcompactd_node_suitable: some zone up to the wanted index could be compacted. */
export function kcompactdNodeSuitable(m: Machine, env: CompactEnv, nid: number): boolean {
  const s = compactionState(m)
  const highest = s.kcompactdHighestZoneidx[nid]
  for (const z of m.zones) {
    if (z.nid !== nid || z.type > highest || z.presentPages === 0) continue
    if (
      compactionSuitAllocationOrder(
        m,
        z,
        s.kcompactdMaxOrder[nid],
        highest,
        ALLOC_WMARK_MIN,
        env.extfragThreshold,
      ) === 'continue'
    )
      return true
  }
  return false
}

/**
 * compaction.c:wakeup_kcompactd: ignore order 0, raise `kcompactd_max_order`, lower
 * `kcompactd_highest_zoneidx`; true if kcompactd should be woken (a zone is suitable).
 */
export function wakeupKcompactd(
  m: Machine,
  env: CompactEnv,
  nid: number,
  order: number,
  highestZoneidx: number,
): boolean {
  if (order === 0) return false
  const s = compactionState(m)
  if (s.kcompactdMaxOrder[nid] < order) s.kcompactdMaxOrder[nid] = order
  if (s.kcompactdHighestZoneidx[nid] > highestZoneidx)
    s.kcompactdHighestZoneidx[nid] = highestZoneidx
  if (!kcompactdNodeSuitable(m, env, nid)) return false
  if (m.traceOn[TP_WAKEUP_KCOMPACTD] !== 0)
    emitCompactionTrace(m, TP_WAKEUP_KCOMPACTD, {
      name: 'mm_compaction_wakeup_kcompactd',
      nid,
      order,
      highest_zoneidx: highestZoneidx,
    })
  return true
}

/**
 * compaction.c:kcompactd_do_work: MIGRATE_SYNC_LIGHT at `kcompactd_max_order` for each zone
 * up to the wanted index that is neither deferred nor unsuitable. SUCCESS resets the deferral;
 * COMPLETE/PARTIAL_SKIPPED drains the per-cpu lists and defers. Counts compact_daemon_*.
 */
export function kcompactdDoWork(m: Machine, env: CompactEnv, nid: number): CompactResult[] {
  const s = compactionState(m)
  const order = s.kcompactdMaxOrder[nid]
  const highest = s.kcompactdHighestZoneidx[nid]
  if (m.traceOn[TP_KCOMPACTD_WAKE] !== 0)
    emitCompactionTrace(m, TP_KCOMPACTD_WAKE, {
      name: 'mm_compaction_kcompactd_wake',
      nid,
      order,
      highest_zoneidx: highest,
    })
  countCompactEvents(m, KCOMPACTD_WAKE, 1)
  const out: CompactResult[] = []
  for (const z of m.zones) {
    if (z.nid !== nid || z.type > highest || z.presentPages === 0) continue
    if (compactionDeferred(m, z.id, order)) continue
    if (
      compactionSuitAllocationOrder(m, z, order, z.type, ALLOC_WMARK_MIN, env.extfragThreshold) !==
      'continue'
    )
      continue
    const cc = newControl(m, env, z.id, order, 'sync-light', GFP_KERNEL)
    cc.highestZoneidx = highest
    const status = compactZone(m, env, cc)
    if (status === 'success') {
      compactionDeferReset(m, z.id, order, false)
    } else if (status === 'partial_skipped' || status === 'complete') {
      drainAllPages(m, z)
      deferCompaction(m, z.id, order)
    }
    countCompactEvents(m, KCOMPACTD_MIGRATE_SCANNED, cc.totalMigrateScanned)
    countCompactEvents(m, KCOMPACTD_FREE_SCANNED, cc.totalFreeScanned)
    out.push(status)
  }
  if (s.kcompactdMaxOrder[nid] <= order) s.kcompactdMaxOrder[nid] = 0
  if (s.kcompactdHighestZoneidx[nid] >= highest) s.kcompactdHighestZoneidx[nid] = 3
  return out
}

/**
 * compaction.c:proactive_compact_node: every populated zone at order -1, SYNC_LIGHT, whole zone,
 * skip bits ignored, stopping when the zone's score falls to the low mark (`__compact_finished`).
 */
export function proactiveCompactNode(m: Machine, env: CompactEnv, nid: number): CompactResult[] {
  const out: CompactResult[] = []
  for (const z of m.zones) {
    if (z.nid !== nid || z.presentPages === 0) continue
    const cc = newControl(m, env, z.id, -1, 'sync-light', GFP_KERNEL)
    cc.ignoreSkipHint = true
    cc.wholeZone = true
    cc.proactiveCompaction = true
    out.push(compactZone(m, env, cc))
    countCompactEvents(m, KCOMPACTD_MIGRATE_SCANNED, cc.totalMigrateScanned)
    countCompactEvents(m, KCOMPACTD_FREE_SCANNED, cc.totalFreeScanned)
  }
  return out
}

/**
 * kcompactd's timeout path (compaction.c:kcompactd, every HPAGE_FRAG_CHECK_INTERVAL_MSEC = 500
 * ms): if the node score is above the high mark and no backoff is pending, compact
 * proactively; when the score did not drop, back off for 1 << COMPACT_MAX_DEFER_SHIFT wakeups.
 * Returns whether compaction ran and the node scores before and after.
 */
export function kcompactdProactiveTick(
  m: Machine,
  env: CompactEnv,
  nid: number,
): { ran: boolean; prevScore: number; score: number } {
  const s = compactionState(m)
  const prevScore = fragmentationScoreNode(m, nid)
  if (!shouldProactiveCompactNode(m, env, nid)) return { ran: false, prevScore, score: prevScore }
  if (s.proactiveDefer[nid] > 0) {
    s.proactiveDefer[nid]--
    return { ran: false, prevScore, score: prevScore }
  }
  proactiveCompactNode(m, env, nid)
  const score = fragmentationScoreNode(m, nid)
  s.proactiveDefer[nid] = score < prevScore ? 0 : 1 << COMPACT_MAX_DEFER_SHIFT
  return { ran: true, prevScore, score }
}

/** Interval of kcompactd's proactive check (`HPAGE_FRAG_CHECK_INTERVAL_MSEC`). */
export const HPAGE_FRAG_CHECK_INTERVAL_MSEC = 500

/**
 * Gives a page `try_to_compact_pages` captured back to the buddy allocator (`__free_pages` after
 * `prep_new_page`), for callers that compact without allocating. Returns its pfn or -1.
 */
export function releaseCapturedPage(m: Machine, gfp: number): number {
  const pfn = m.capc.page
  m.capc.page = -1
  if (pfn < 0) return -1
  const order = m.pg[(pfn << 2) + PG_INFO] & 0xff
  prepNewPage(m, pfn, order, gfp)
  freePages(m, pfn, order)
  return pfn
}
