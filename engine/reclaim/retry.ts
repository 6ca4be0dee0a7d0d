/**
 * The slow path's retry decisions (mm/page_alloc.c): `should_reclaim_retry` and
 * `should_compact_retry`, with their tracepoints (`reclaim_retry_zone`, `compact_retry`).
 */
import { compactionZonelistSuitable } from '../compaction/suitable'
import {
  compactionFailed,
  compactionMadeProgress,
  compactionNeedsReclaim,
  compactionWithdrawn,
  type CompactPriority,
  type CompactResult,
  MIN_COMPACT_COSTLY_PRIORITY,
  MIN_COMPACT_PRIORITY,
} from '../compaction/types'
import { unreserveHighatomicPageblock } from '../mm/highatomic'
import { eraAtLeast, type Machine } from '../mm/machine'
import { PAGE_ALLOC_COSTLY_ORDER } from '../mm/pcpIndex'
import { zoneWatermarkOk } from '../mm/watermark'
import { emitReclaimTrace, reclaimTraceOn } from './counters'
import { zoneReclaimablePages } from './shrinkNode'
import { MAX_COMPACT_RETRIES, MAX_RECLAIM_RETRIES } from './types'

/** `struct alloc_context`, the fields the slow path uses. */
export interface AllocContext {
  zonelist: Int32Array
  highestZoneidx: number
  migratetype: number
}

/** The retry counters `__alloc_pages_slowpath` carries between loops. */
export interface RetryState {
  noProgressLoops: number
  compactionRetries: number
  compactPriority: CompactPriority
}

/**
 * mm/page_alloc.c:should_reclaim_retry: count a no-progress loop (always for costly orders),
 * give up after MAX_RECLAIM_RETRIES, else retry if some zone would meet MIN at `order` with all
 * its reclaimable pages freed. Before giving up, `unreserve_highatomic_pageblock(force)`: a
 * successful unreserve retries once more.
 */
export function shouldReclaimRetry(
  m: Machine,
  order: number,
  ac: AllocContext,
  allocFlags: number,
  didSomeProgress: boolean,
  st: RetryState,
): boolean {
  if (didSomeProgress && order <= PAGE_ALLOC_COSTLY_ORDER) st.noProgressLoops = 0
  else st.noProgressLoops++
  let ret = false
  if (st.noProgressLoops <= MAX_RECLAIM_RETRIES) {
    for (let i = 0; i < ac.zonelist.length; i++) {
      const z = m.zones[ac.zonelist[i]]
      if (z.type > ac.highestZoneidx) continue
      const reclaimable = zoneReclaimablePages(m, z.id)
      const available = reclaimable + z.nrFreePages
      const wmark = zoneWatermarkOk(
        m,
        z,
        order,
        z.wmarkMin + z.watermarkBoost,
        ac.highestZoneidx,
        allocFlags,
        available,
      )
      if (reclaimTraceOn(m, 'reclaim_retry_zone'))
        emitReclaimTrace(m, {
          name: 'reclaim_retry_zone',
          node: z.nid,
          zone: z.name,
          order,
          reclaimable,
          available,
          min_wmark: z.wmarkMin + z.watermarkBoost,
          no_progress_loops: st.noProgressLoops,
          wmark_check: wmark,
        })
      if (wmark) {
        ret = true
        break
      }
    }
  }
  if (!ret)
    return unreserveHighatomicPageblock(m, ac.zonelist, ac.highestZoneidx, ac.migratetype, true)
  return ret
}

/**
 * mm/page_alloc.c:should_compact_retry (CONFIG_COMPACTION), ≤6.4 (6.1): SUCCESS counts a retry; COMPLETE
 * and withdrawn results go to the priority check; SKIPPED retries iff reclaim could make
 * compaction suitable; otherwise retry while retries ≤ MAX_COMPACT_RETRIES (a quarter above
 * PAGE_ALLOC_COSTLY_ORDER). The priority check escalates (`prio--`, retries reset) down to
 * SYNC_LIGHT for costly orders, SYNC_FULL otherwise. [6.5+] (eras 6.6 on): SKIPPED as before;
 * SUCCESS retries while `++retries ≤ max`; every other result (and SUCCESS past the limit) goes
 * to the priority check. Traces `compact_retry`.
 */
export function shouldCompactRetry(
  m: Machine,
  order: number,
  ac: AllocContext,
  result: CompactResult,
  st: RetryState,
): boolean {
  if (order === 0) return false
  const retries = st.compactionRetries
  const priority = st.compactPriority
  const d = eraAtLeast(m, '6.6')
    ? compactRetryDecision65(m, order, ac, result, st)
    : compactRetryDecision61(m, order, ac, result, st)
  let ret = d.ret
  if (d.checkPriority) {
    const minPriority =
      order > PAGE_ALLOC_COSTLY_ORDER ? MIN_COMPACT_COSTLY_PRIORITY : MIN_COMPACT_PRIORITY
    if (st.compactPriority > minPriority) {
      st.compactPriority = (st.compactPriority - 1) as CompactPriority
      st.compactionRetries = 0
      ret = true
    }
  }
  if (reclaimTraceOn(m, 'compact_retry'))
    emitReclaimTrace(m, {
      name: 'compact_retry',
      order,
      priority,
      result,
      retries,
      max_retries: d.maxRetries,
      ret,
    })
  return ret
}

interface CompactRetryDecision {
  ret: boolean
  checkPriority: boolean
  maxRetries: number
}

function zonelistSuitable(m: Machine, order: number, ac: AllocContext): boolean {
  return compactionZonelistSuitable(m, Array.from(ac.zonelist), order, ac.highestZoneidx, (z) =>
    zoneReclaimablePages(m, z.id),
  )
}

/** should_compact_retry ≤6.4 (6.1): the compaction result helpers decide. */
function compactRetryDecision61(
  m: Machine,
  order: number,
  ac: AllocContext,
  result: CompactResult,
  st: RetryState,
): CompactRetryDecision {
  let maxRetries = MAX_COMPACT_RETRIES
  if (compactionMadeProgress(result)) st.compactionRetries++
  if (compactionFailed(result) || compactionWithdrawn(result))
    return { ret: false, checkPriority: true, maxRetries }
  if (compactionNeedsReclaim(result))
    return { ret: zonelistSuitable(m, order, ac), checkPriority: false, maxRetries }
  if (order > PAGE_ALLOC_COSTLY_ORDER) maxRetries = Math.floor(maxRetries / 4)
  const ret = st.compactionRetries <= maxRetries
  return { ret, checkPriority: !ret, maxRetries }
}

/**
 * should_compact_retry [6.5+] (Johannes Weiner, "mm: compaction: simplify
 * should_compact_retry()"): SKIPPED retries if reclaim can help; SUCCESS (the allocation lost a
 * race) retries while `++retries ≤ max_retries` (a quarter for costly orders); every other result
 * escalates the priority.
 */
function compactRetryDecision65(
  m: Machine,
  order: number,
  ac: AllocContext,
  result: CompactResult,
  st: RetryState,
): CompactRetryDecision {
  let maxRetries = MAX_COMPACT_RETRIES
  if (compactionNeedsReclaim(result))
    return { ret: zonelistSuitable(m, order, ac), checkPriority: false, maxRetries }
  if (compactionMadeProgress(result)) {
    if (order > PAGE_ALLOC_COSTLY_ORDER) maxRetries = Math.floor(maxRetries / 4)
    if (++st.compactionRetries <= maxRetries) return { ret: true, checkPriority: false, maxRetries }
  }
  return { ret: false, checkPriority: true, maxRetries }
}
