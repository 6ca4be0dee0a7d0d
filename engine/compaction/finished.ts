/**
 * Termination of a compaction run (mm/compaction.c: `__compact_finished`, `compact_finished`)
 * and the proactive-compaction fragmentation score it consults.
 */
import { freeAreaEmpty } from '../mm/freeArea'
import { type Machine } from '../mm/machine'
import { MIGRATE_CMA, MIGRATE_MOVABLE } from '../mm/migratetype'
import { type Zone } from '../mm/zone'
import { findSuitableFallback, findSuitableFallbackClaim } from '../mm/fallback'
import { compactionState, emitCompactionTrace, resetCachedPositions } from './state'
import { zoneExtfragForOrder } from './suitable'
import { TP_FINISHED } from './traceTypes'
import { type CompactControl, type CompactEnv, type CompactResult } from './types'

/** `COMPACTION_HPAGE_ORDER`: pageblock order here (HPAGE_PMD_ORDER = 9). */
export function compactionHpageOrder(m: Machine): number {
  return m.pageblockOrder
}

/** compaction.c:fragmentation_score_zone: `extfrag_for_order(zone, COMPACTION_HPAGE_ORDER)`. */
export function fragmentationScoreZone(m: Machine, z: Zone): number {
  return zoneExtfragForOrder(m, z, compactionHpageOrder(m))
}

/** compaction.c:fragmentation_score_zone_weighted: `present * score / (node_present + 1)`. */
export function fragmentationScoreZoneWeighted(m: Machine, z: Zone): number {
  let nodePresent = 0
  for (const o of m.zones) if (o.nid === z.nid) nodePresent += o.presentPages
  return Math.floor((z.presentPages * fragmentationScoreZone(m, z)) / (nodePresent + 1))
}

/** compaction.c:fragmentation_score_node: sum of the weighted zone scores. */
export function fragmentationScoreNode(m: Machine, nid: number): number {
  let score = 0
  for (const z of m.zones) if (z.nid === nid) score += fragmentationScoreZoneWeighted(m, z)
  return score
}

/** compaction.c:fragmentation_score_wmark: low = max(100 - proactiveness, 5), high = min(low + 10, 100). */
export function fragmentationScoreWmark(proactiveness: number, low: boolean): number {
  const wmarkLow = Math.max(100 - proactiveness, 5)
  return low ? wmarkLow : Math.min(wmarkLow + 10, 100)
}

/** compaction.c:should_proactive_compact_node: proactiveness on, kswapd idle, node score above the high mark. */
export function shouldProactiveCompactNode(m: Machine, env: CompactEnv, nid: number): boolean {
  const p = env.compactionProactiveness ?? 20
  if (p === 0 || (env.kswapdIsRunning?.(nid) ?? false)) return false
  return fragmentationScoreNode(m, nid) > fragmentationScoreWmark(p, false)
}

/** compaction.c:compact_scanners_met: the free scanner reached the migrate scanner's pageblock. */
export function compactScannersMet(m: Machine, cc: CompactControl): boolean {
  return cc.freePfn >> m.pageblockOrder <= cc.migratePfn >> m.pageblockOrder
}

/**
 * compaction.c:__compact_finished:
 * 1. scanners met: reset the cached positions (a direct compactor asks for a skip-bit flush);
 *    COMPLETE if the whole zone was scanned, else PARTIAL_SKIPPED;
 * 2. proactive: kswapd running → PARTIAL_SKIPPED; score above the low mark → CONTINUE; else SUCCESS;
 * 3. order -1 → CONTINUE; 4. mid-pageblock → CONTINUE (finish the block first);
 * 5. a free block of order ≥ cc->order on the request's list (CMA too for MOVABLE), or one
 *    that fallback could claim → SUCCESS;
 * 6. otherwise NO_SUITABLE_PAGE; contention turns the last two outcomes into CONTENDED.
 */
export function __compactFinished(m: Machine, env: CompactEnv, cc: CompactControl): CompactResult {
  const z = m.zones[cc.zoneId]
  const s = compactionState(m)
  if (compactScannersMet(m, cc)) {
    resetCachedPositions(m, s, cc.zoneId)
    if (cc.directCompaction) s.blockskipFlush[cc.zoneId] = 1
    return cc.wholeZone ? 'complete' : 'partial_skipped'
  }
  let ret: CompactResult
  if (cc.proactiveCompaction) {
    if (env.kswapdIsRunning?.(z.nid) ?? false) return 'partial_skipped'
    const score = fragmentationScoreZone(m, z)
    ret =
      score > fragmentationScoreWmark(env.compactionProactiveness ?? 20, true)
        ? 'continue'
        : 'success'
  } else {
    if (cc.order < 0) return 'continue'
    if ((cc.migratePfn & (m.pageblockNrPages - 1)) !== 0) return 'continue'
    const mt = cc.migratetype
    for (let order = cc.order; order <= m.maxOrder; order++) {
      if (!freeAreaEmpty(m, z, order, mt)) return 'success'
      if (mt === MIGRATE_MOVABLE && !freeAreaEmpty(m, z, order, MIGRATE_CMA)) return 'success'
      const fb = m.claimSteal
        ? findSuitableFallbackClaim(m, z, order, mt, true)
        : findSuitableFallback(m, z, order, mt, true)
      if (fb >= 0) return 'success'
    }
    ret = 'no_suitable_page'
  }
  if (cc.contended) ret = 'contended'
  return ret
}

/** compaction.c:compact_finished: trace, and NO_SUITABLE_PAGE means CONTINUE. */
export function compactFinished(m: Machine, env: CompactEnv, cc: CompactControl): CompactResult {
  const ret = __compactFinished(m, env, cc)
  if (m.traceOn[TP_FINISHED] !== 0) {
    const z = m.zones[cc.zoneId]
    emitCompactionTrace(m, TP_FINISHED, {
      name: 'mm_compaction_finished',
      nid: z.nid,
      idx: z.type,
      order: cc.order,
      ret,
    })
  }
  return ret === 'no_suitable_page' ? 'continue' : ret
}
