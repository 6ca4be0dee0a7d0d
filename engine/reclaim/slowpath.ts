/**
 * mm/page_alloc.c:__alloc_pages with the whole slow path: wake kswapd, the MIN-watermark retry,
 * early async compaction for costly (or non-movable high-order) requests, then the loop of
 * direct reclaim (+ highatomic unreserve and drain), direct compaction at `compact_priority`,
 * `should_reclaim_retry`, `should_compact_retry`, the OOM killer and `__GFP_NOFAIL`. Each
 * result carries the path that produced the page and what the request went through, and the
 * caller's clock carries its latency.
 */
import { allocPagesDirectCompact } from '../compaction/entry'
import {
  type CompactEnv,
  type CompactResult,
  DEF_COMPACT_PRIORITY,
  INIT_COMPACT_PRIORITY,
} from '../compaction/types'
import { allocFlagsNofragment, getPageFromFreelist } from '../mm/alloc'
import {
  ALLOC_CPUSET,
  ALLOC_KSWAPD,
  ALLOC_MIN_RESERVE,
  ALLOC_NO_WATERMARKS,
  ALLOC_OOM,
  ALLOC_WMARK_HIGH,
  ALLOC_WMARK_LOW,
  gfpToAllocFlags,
  gfpToAllocFlagsCma,
} from '../mm/allocFlags'
import {
  __GFP_DIRECT_RECLAIM,
  __GFP_HARDWALL,
  __GFP_IO,
  __GFP_MEMALLOC,
  __GFP_NOFAIL,
  __GFP_NOMEMALLOC,
  __GFP_NORETRY,
  __GFP_RETRY_MAYFAIL,
  __GFP_THISNODE,
  gfpMigratetype,
  gfpZone,
} from '../mm/gfp'
import { unreserveHighatomicPageblock } from '../mm/highatomic'
import { type Machine } from '../mm/machine'
import { NO_PAGE } from '../mm/memmap'
import { MIGRATE_MOVABLE, MIGRATE_UNMOVABLE } from '../mm/migratetype'
import { drainAllPages } from '../mm/pcp'
import { PAGE_ALLOC_COSTLY_ORDER } from '../mm/pcpIndex'
import { traceMmPageAlloc } from '../mm/trace'
import { TP_MM_PAGE_ALLOC } from '../mm/traceTypes'
import { ZONE_NORMAL } from '../mm/zoneType'
import { countReclaimEvent, emitReclaimTrace, OOM_KILL, reclaimTraceOn } from './counters'
import { tryToFreePages } from './directReclaim'
import { kswapdPending, kswapdRun, wakeupKswapd } from './kswapd'
import { lruTrusted } from './lru'
import { type AllocContext, type RetryState, shouldCompactRetry, shouldReclaimRetry } from './retry'
import { type OomVictim, reclaimCost, type ReclaimEnv } from './types'

/** Which step produced the page. `'nofail'`: `__GFP_NOFAIL`'s reserve fallback. */
export type AllocPath =
  'freelist' | 'kswapd' | 'direct-compaction' | 'direct-reclaim' | 'oom' | 'nofail' | 'fail'

export interface AllocResult {
  pfn: number
  path: AllocPath
  order: number
  /** Simulated ns the request took (the caller's clock advanced by it). */
  latencyNs: number
  /** kswapd wakeups that ran, and what inline kswapd reclaimed (on its own clock). */
  kswapdWakes: number
  kswapdReclaimed: number
  /** Direct reclaim calls (allocstall) and pages they reclaimed. */
  directReclaimStalls: number
  directReclaimed: number
  /** Direct compaction runs that were not SKIPPED (compact_stall) and the last result. */
  compactStalls: number
  lastCompactResult: CompactResult | null
  /** Final `compact_priority` (2 ASYNC, 1 SYNC_LIGHT, 0 SYNC_FULL). */
  compactPriority: number
  /** Times should_reclaim_retry / should_compact_retry said retry. */
  reclaimRetries: number
  compactRetries: number
  /** no_progress_loops at the end. */
  noProgressLoops: number
  oomKills: OomVictim[]
}

/** Loops after which a request that can never succeed (NOFAIL, OOM without effect) gives up. */
const MAX_SLOWPATH_LOOPS = 10_000

function newResult(order: number): AllocResult {
  return {
    pfn: NO_PAGE,
    path: 'fail',
    order,
    latencyNs: 0,
    kswapdWakes: 0,
    kswapdReclaimed: 0,
    directReclaimStalls: 0,
    directReclaimed: 0,
    compactStalls: 0,
    lastCompactResult: null,
    compactPriority: DEF_COMPACT_PRIORITY,
    reclaimRetries: 0,
    compactRetries: 0,
    noProgressLoops: 0,
    oomKills: [],
  }
}

/** `__gfp_pfmemalloc_flags()`. */
function pfmemallocFlags(gfp: number, env: ReclaimEnv): number {
  if ((gfp & __GFP_NOMEMALLOC) !== 0) return 0
  if ((gfp & __GFP_MEMALLOC) !== 0 || env.pfMemalloc === true) return ALLOC_NO_WATERMARKS
  if (env.oomVictim === true) return ALLOC_OOM
  return 0
}

/** `wake_all_kswapds()`: every node of the zonelist once. */
function wakeAllKswapds(
  m: Machine,
  gfp: number,
  order: number,
  ac: AllocContext,
  env: ReclaimEnv,
  res: AllocResult,
): void {
  const seen = new Set<number>()
  for (let i = 0; i < ac.zonelist.length; i++) {
    const z = m.zones[ac.zonelist[i]]
    if (z.type > ac.highestZoneidx || z.managedPages === 0 || seen.has(z.nid)) continue
    seen.add(z.nid)
    const run = wakeupKswapd(m, z.id, gfp, order, ac.highestZoneidx, env)
    if (run !== null) {
      res.kswapdWakes++
      res.kswapdReclaimed += run.nrReclaimed
    }
  }
}

function compactEnvOf(env: ReclaimEnv): CompactEnv {
  return { ...env.compaction, clock: env.clock, cost: env.cost }
}

/** `__alloc_pages_direct_compact()` plus the result bookkeeping. */
function directCompact(
  m: Machine,
  gfp: number,
  order: number,
  allocFlags: number,
  prio: number,
  env: ReclaimEnv,
  res: AllocResult,
): number {
  const t0 = env.clock.nowNs
  const r = lruTrusted(m, () =>
    allocPagesDirectCompact(m, compactEnvOf(env), gfp, order, allocFlags, prio as 0 | 1 | 2),
  )
  if (order > 0) {
    res.lastCompactResult = r.result
    if (r.result !== 'skipped') {
      res.compactStalls++
      env.onDirectCompact?.(order, r.result, r.pfn !== NO_PAGE, env.clock.nowNs - t0)
      // __alloc_pages_direct_compact: COMPACTFAIL, then cond_resched().
      if (r.pfn === NO_PAGE) condResched(m, env)
    }
  }
  return r.pfn
}

/**
 * `cond_resched()` in the slow path: a kswapd woken by `wake_all_kswapds` that has not run yet
 * (`'wake-only'` mode) gets the CPU here, as on a one-CPU machine where the allocating task
 * yields to it. `env.onCondResched` lets a scheduler run its own kswapd thread; without it
 * kswapd runs inline on its own clock. Its `kswapd_try_to_sleep` may then clear the skip bits
 * that this task's compaction asked to flush (`reset_isolation_suitable`).
 */
export function condResched(m: Machine, env: ReclaimEnv): void {
  if (env.kswapdMode !== 'wake-only') return
  if (env.onCondResched !== undefined) {
    env.onCondResched()
    return
  }
  for (const p of kswapdPending(m))
    kswapdRun(m, p.order, p.highestZoneidx, { ...env, clock: { nowNs: env.clock.nowNs } }, p.nid)
}

/** `__alloc_pages_cpuset_fallback()`. */
function cpusetFallback(
  m: Machine,
  gfp: number,
  order: number,
  flags: number,
  nid: number,
): number {
  const p = getPageFromFreelist(m, gfp, order, flags | ALLOC_CPUSET, nid)
  return p !== NO_PAGE ? p : getPageFromFreelist(m, gfp, order, flags, nid)
}

/**
 * `__alloc_pages_may_oom()`: a last HIGH-watermark attempt, then `out_of_memory` unless the
 * request is costly, __GFP_RETRY_MAYFAIL/__GFP_THISNODE or for lowmem. `env.oomKill` picks
 * and kills a victim (counted as oom_kill); NOFAIL then gets the reserves.
 */
function mayOom(
  m: Machine,
  gfp: number,
  order: number,
  ac: AllocContext,
  nid: number,
  env: ReclaimEnv,
  res: AllocResult,
): { pfn: number; progress: boolean } {
  let pfn = getPageFromFreelist(
    m,
    (gfp | __GFP_HARDWALL) & ~__GFP_DIRECT_RECLAIM,
    order,
    ALLOC_WMARK_HIGH | ALLOC_CPUSET,
    nid,
  )
  if (pfn !== NO_PAGE) return { pfn, progress: false }
  if (order > PAGE_ALLOC_COSTLY_ORDER) return { pfn, progress: false }
  if ((gfp & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE)) !== 0) return { pfn, progress: false }
  if (ac.highestZoneidx < ZONE_NORMAL) return { pfn, progress: false }
  let progress = false
  const victim = env.oomKill?.({ gfp, order, nid }) ?? null
  if (victim !== null) {
    countReclaimEvent(m, OOM_KILL, 1)
    env.clock.nowNs += reclaimCost(env).oomKillNs
    res.oomKills.push(victim)
    if (reclaimTraceOn(m, 'mark_victim'))
      emitReclaimTrace(m, { name: 'mark_victim', pid: victim.pid, comm: victim.comm })
    progress = true
  } else if ((gfp & __GFP_NOFAIL) !== 0) {
    progress = true
  }
  if (progress && (gfp & __GFP_NOFAIL) !== 0)
    pfn = cpusetFallback(m, gfp, order, ALLOC_NO_WATERMARKS, nid)
  return { pfn, progress }
}

function done(
  m: Machine,
  gfp: number,
  order: number,
  env: ReclaimEnv,
  res: AllocResult,
  startNs: number,
): AllocResult {
  env.clock.nowNs += res.pfn !== NO_PAGE ? env.cost.allocNs : env.cost.allocFailNs
  res.latencyNs = env.clock.nowNs - startNs
  if (m.traceOn[TP_MM_PAGE_ALLOC] !== 0)
    traceMmPageAlloc(
      m,
      res.pfn,
      order,
      gfp,
      m.mobilityDisabled ? MIGRATE_UNMOVABLE : gfpMigratetype(gfp),
    )
  return res
}

/**
 * mm/page_alloc.c:__alloc_pages_slowpath for an allocation whose fast path failed. `nid` is
 * the preferred node (default: the running CPU's).
 */
export function allocPagesSlowpath(
  m: Machine,
  gfp: number,
  order: number,
  env: ReclaimEnv,
  nid: number = m.localNid,
): AllocResult {
  const startNs = env.clock.nowNs
  const res = newResult(order)
  if (order < 0 || order > m.maxOrder) return done(m, gfp, order, env, res, startNs)
  m.op = 'alloc_pages_slowpath'
  // No lruSync here: the LRU is read only by reclaim (try_to_free_pages and kswapd sync on
  // entry), and most slow-path allocations are served by the MIN retry without reclaiming.
  slowpath(m, gfp, order, env, nid, res)
  return done(m, gfp, order, env, res, startNs)
}

function slowpath(
  m: Machine,
  gfp: number,
  order: number,
  env: ReclaimEnv,
  nid: number,
  res: AllocResult,
): void {
  const canDirectReclaim = (gfp & __GFP_DIRECT_RECLAIM) !== 0
  const canCompact = (gfp & __GFP_IO) !== 0
  const costly = order > PAGE_ALLOC_COSTLY_ORDER
  const ac: AllocContext = {
    zonelist: m.zonelists[nid],
    highestZoneidx: gfpZone(gfp),
    migratetype: m.mobilityDisabled ? MIGRATE_UNMOVABLE : gfpMigratetype(gfp),
  }
  const st: RetryState = {
    noProgressLoops: 0,
    compactionRetries: 0,
    compactPriority: DEF_COMPACT_PRIORITY,
  }
  let compactResult: CompactResult = 'skipped'
  let allocFlags = gfpToAllocFlags(m, gfp, order)
  // After an OOM kill, the page the retry finds is the kill's doing.
  let afterOom = false
  const got = (pfn: number, path: AllocPath): boolean => {
    if (pfn === NO_PAGE) return false
    res.pfn = pfn
    res.path = path
    res.compactPriority = st.compactPriority
    res.noProgressLoops = st.noProgressLoops
    return true
  }
  if ((allocFlags & ALLOC_KSWAPD) !== 0) wakeAllKswapds(m, gfp, order, ac, env, res)
  if (got(getPageFromFreelist(m, gfp, order, allocFlags, nid), 'kswapd')) return
  let nopage = false
  if (
    canDirectReclaim &&
    canCompact &&
    (costly || (order > 0 && ac.migratetype !== MIGRATE_MOVABLE)) &&
    pfmemallocFlags(gfp, env) === 0
  ) {
    const pfn = directCompact(m, gfp, order, allocFlags, INIT_COMPACT_PRIORITY, env, res)
    compactResult = res.lastCompactResult ?? 'skipped'
    if (got(pfn, 'direct-compaction')) return
    if (costly && (gfp & __GFP_NORETRY) !== 0) {
      if (compactResult === 'skipped' || compactResult === 'deferred') nopage = true
      else if ((gfp & __GFP_THISNODE) !== 0) nopage = true
      else st.compactPriority = INIT_COMPACT_PRIORITY
    }
  }
  for (let loops = 0; !nopage && loops < MAX_SLOWPATH_LOOPS; loops++) {
    if ((allocFlags & ALLOC_KSWAPD) !== 0) wakeAllKswapds(m, gfp, order, ac, env, res)
    const reserve = pfmemallocFlags(gfp, env)
    if (reserve !== 0) allocFlags = gfpToAllocFlagsCma(gfp, reserve) | (allocFlags & ALLOC_KSWAPD)
    if (got(getPageFromFreelist(m, gfp, order, allocFlags, nid), afterOom ? 'oom' : 'kswapd'))
      return
    if (!canDirectReclaim || env.pfMemalloc === true) break
    // __alloc_pages_direct_reclaim
    const progress = tryToFreePages(m, gfp, order, env, nid)
    res.directReclaimStalls++
    res.directReclaimed += progress
    if (progress > 0) {
      if (got(getPageFromFreelist(m, gfp, order, allocFlags, nid), 'direct-reclaim')) return
      unreserveHighatomicPageblock(m, ac.zonelist, ac.highestZoneidx, ac.migratetype, false)
      drainAllPages(m, null)
      if (got(getPageFromFreelist(m, gfp, order, allocFlags, nid), 'direct-reclaim')) return
    }
    const cpfn = directCompact(m, gfp, order, allocFlags, st.compactPriority, env, res)
    if (order > 0) compactResult = res.lastCompactResult ?? compactResult
    if (got(cpfn, 'direct-compaction')) return
    if ((gfp & __GFP_NORETRY) !== 0) break
    if (costly && (!canCompact || (gfp & __GFP_RETRY_MAYFAIL) === 0)) break
    if (shouldReclaimRetry(m, order, ac, allocFlags, progress > 0, st)) {
      res.reclaimRetries++
      continue
    }
    if (progress > 0 && canCompact && shouldCompactRetry(m, order, ac, compactResult, st)) {
      res.compactRetries++
      continue
    }
    const oom = mayOom(m, gfp, order, ac, nid, env, res)
    if (got(oom.pfn, 'oom')) return
    if (
      env.oomVictim === true &&
      ((allocFlags & ALLOC_OOM) !== 0 || (gfp & __GFP_NOMEMALLOC) !== 0)
    )
      break
    if (oom.progress) {
      afterOom = true
      st.noProgressLoops = 0
      continue
    }
    break
  }
  res.compactPriority = st.compactPriority
  res.noProgressLoops = st.noProgressLoops
  if ((gfp & __GFP_NOFAIL) !== 0 && canDirectReclaim) {
    // NOFAIL never fails in the kernel (it loops); the model gives it the reserves once more.
    got(cpusetFallback(m, gfp, order, ALLOC_MIN_RESERVE, nid), 'nofail')
  }
}

/**
 * `__alloc_pages()` with reclaim: the fast path at the LOW watermark (ALLOC_NOFRAGMENT where
 * it applies; a boosted zone the fast path clears wakes kswapd as `rmqueue` does), then
 * `allocPagesSlowpath`. `path: 'freelist'` when the fast path served it.
 */
export function allocPagesReclaim(
  m: Machine,
  gfp: number,
  order: number,
  env: ReclaimEnv,
  nid: number = m.localNid,
): AllocResult {
  const startNs = env.clock.nowNs
  if (order >= 0 && order <= m.maxOrder) {
    const zl = m.zonelists[nid]
    const highest = gfpZone(gfp)
    let preferred = -1
    for (let i = 0; i < zl.length && preferred < 0; i++)
      if (m.zones[zl[i]].type <= highest) preferred = zl[i]
    if (preferred >= 0) {
      const boosted = m.zones.map((z) => z.boostedWatermark)
      const flags = gfpToAllocFlagsCma(
        gfp,
        ALLOC_WMARK_LOW | allocFlagsNofragment(m, m.zones[preferred], gfp),
      )
      const pfn = getPageFromFreelist(m, gfp, order, flags, nid)
      for (const z of m.zones)
        if (boosted[z.id] && !z.boostedWatermark) wakeupKswapd(m, z.id, 0, 0, z.type, env)
      if (pfn !== NO_PAGE) {
        const res = newResult(order)
        res.pfn = pfn
        res.path = 'freelist'
        return done(m, gfp, order, env, res, startNs)
      }
    }
  }
  const res = allocPagesSlowpath(m, gfp, order, env, nid)
  res.latencyNs = env.clock.nowNs - startNs
  return res
}
