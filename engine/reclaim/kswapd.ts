/**
 * kswapd (mm/vmscan.c): `wakeup_kswapd`, `pgdat_balanced`, `balance_pgdat` (reclaim until a
 * zone up to the requested index meets its HIGH watermark plus boost; boosted reclaim neither
 * writes back nor swaps, and resets the boost at the end), and the sleep path
 * (`kswapd_try_to_sleep`: `reset_isolation_suitable` and `wakeup_kcompactd` once balanced).
 * kswapd runs synchronously here, on its own clock per node; a scheduler may run `kswapdRun`
 * as a task instead (`kswapdMode: 'wake-only'` records the wakeups in `kswapdPending`).
 */
import { resetIsolationSuitableNode } from '../compaction/compactZone'
import { kcompactdDoWork, wakeupKcompactd } from '../compaction/entry'
import { type CompactEnv, compactGap } from '../compaction/types'
import { __GFP_DIRECT_RECLAIM, GFP_KERNEL } from '../mm/gfp'
import { type Machine } from '../mm/machine'
import { defineMachineState } from '../mm/machineState'
import { zoneWatermarkOkSafe } from '../mm/watermark'
import { MAX_NR_ZONES } from '../mm/zoneType'
import { countReclaimEvent, emitReclaimTrace, PAGEOUTRUN, reclaimTraceOn } from './counters'
import { lruOf, lruSync, lruTrusted } from './lru'
import { shrinkNode } from './shrinkNode'
import {
  createScanControl,
  DEF_PRIORITY,
  MAX_RECLAIM_RETRIES,
  type ReclaimEnv,
  SWAP_CLUSTER_MAX,
} from './types'

interface KswapdState {
  /** Per node: `kswapd_order` and `kswapd_highest_zoneidx` (MAX_NR_ZONES = none). */
  order: Int32Array
  highestZoneidx: Int32Array
  /** Per node: kswapd's own clock. */
  clockNs: Float64Array
  /** Per node: a wakeup is pending (`waitqueue_active` was true and we woke it). */
  pending: Uint8Array
  running: Uint8Array
}

const stateOf = defineMachineState('reclaim.kswapd', (m: Machine): KswapdState => {
  const n = m.cfg.nrNodes
  return {
    order: new Int32Array(n),
    highestZoneidx: new Int32Array(n).fill(MAX_NR_ZONES),
    clockNs: new Float64Array(n),
    pending: new Uint8Array(n),
    running: new Uint8Array(n),
  }
})

/** Nodes with a pending kswapd wakeup (`'wake-only'` mode), for a scheduler. */
export function kswapdPending(
  m: Machine,
): { nid: number; order: number; highestZoneidx: number }[] {
  const s = stateOf(m)
  const out = []
  for (let nid = 0; nid < m.cfg.nrNodes; nid++)
    if (s.pending[nid] !== 0)
      out.push({ nid, order: s.order[nid], highestZoneidx: s.highestZoneidx[nid] })
  return out
}

/** `kswapd_is_running()`, for compaction's proactive mode. */
export function kswapdIsRunning(m: Machine, nid: number): boolean {
  return stateOf(m).running[nid] !== 0
}

/** mm/vmscan.c:pgdat_balanced: some zone ≤ idx meets HIGH (+ boost) at `order`. */
export function pgdatBalanced(
  m: Machine,
  nid: number,
  order: number,
  highestZoneidx: number,
): boolean {
  let any = false
  for (const z of m.zones) {
    if (z.nid !== nid || z.type > highestZoneidx || z.managedPages === 0) continue
    any = true
    if (zoneWatermarkOkSafe(m, z, order, z.wmarkHigh + z.watermarkBoost, highestZoneidx, 0))
      return true
  }
  return !any
}

/** `pgdat_watermark_boosted()`. */
function pgdatWatermarkBoosted(m: Machine, nid: number, highestZoneidx: number): boolean {
  return m.zones.some((z) => z.nid === nid && z.type <= highestZoneidx && z.watermarkBoost > 0)
}

function compactEnvOf(env: ReclaimEnv): CompactEnv {
  return { ...env.compaction, clock: env.clock, cost: env.cost }
}

/**
 * mm/vmscan.c:balance_pgdat: one kswapd run for node `nid`. Returns the order it ended at
 * (0 once twice the order's pages were reclaimed) and the pages it reclaimed.
 */
export function balancePgdat(
  m: Machine,
  nid: number,
  order: number,
  highestZoneidx: number,
  env: ReclaimEnv,
): { order: number; nrReclaimed: number } {
  countReclaimEvent(m, PAGEOUTRUN, 1)
  const zones = m.zones.filter(
    (z) => z.nid === nid && z.type <= highestZoneidx && z.managedPages > 0,
  )
  const zoneBoosts = zones.map((z) => z.watermarkBoost)
  let nrBoostReclaim = zoneBoosts.reduce((a, b) => a + b, 0)
  const boosted = nrBoostReclaim > 0
  const sc = createScanControl({ gfpMask: GFP_KERNEL, order, isKswapd: true })
  restart: for (;;) {
    sc.priority = DEF_PRIORITY
    do {
      const nrReclaimed = sc.nrReclaimed
      let raisePriority = true
      sc.reclaimIdx = highestZoneidx
      const balanced = pgdatBalanced(m, nid, sc.order, highestZoneidx)
      if (!balanced && nrBoostReclaim > 0) {
        nrBoostReclaim = 0
        continue restart
      }
      if (nrBoostReclaim === 0 && balanced) break restart
      if (nrBoostReclaim > 0 && sc.priority === DEF_PRIORITY - 2) raisePriority = false
      // Boosted reclaim relieves fragmentation pressure without IO.
      sc.mayWritepage = nrBoostReclaim === 0
      sc.maySwap = nrBoostReclaim === 0
      if (sc.priority < DEF_PRIORITY - 2) sc.mayWritepage = true
      sc.nrScanned = 0
      // kswapd_shrink_node
      sc.nrToReclaim = 0
      for (const z of zones)
        sc.nrToReclaim += Math.max(z.wmarkHigh + z.watermarkBoost, SWAP_CLUSTER_MAX)
      shrinkNode(m, nid, sc, env)
      if (sc.order > 0 && sc.nrReclaimed >= compactGap(sc.order)) sc.order = 0
      if (sc.nrScanned >= sc.nrToReclaim) raisePriority = false
      const progress = sc.nrReclaimed - nrReclaimed
      nrBoostReclaim -= Math.min(nrBoostReclaim, progress)
      if (nrBoostReclaim > 0 && progress === 0) break
      if (raisePriority || progress === 0) sc.priority--
    } while (sc.priority >= 1)
    if (sc.nrReclaimed === 0) lruOf(m).kswapdFailures[nid]++
    break
  }
  if (boosted) {
    zones.forEach((z, i) => {
      z.watermarkBoost -= Math.min(z.watermarkBoost, zoneBoosts[i])
    })
    const ce = compactEnvOf(env)
    if (wakeupKcompactd(m, ce, nid, m.pageblockOrder, highestZoneidx)) {
      if (env.runKcompactd !== false) lruTrusted(m, () => kcompactdDoWork(m, ce, nid))
      else env.onKcompactdWake?.(nid)
    }
  }
  return { order: sc.order, nrReclaimed: sc.nrReclaimed }
}

/** What one `kswapdRun` did. */
export interface KswapdRunResult {
  nrReclaimed: number
  /** balance_pgdat runs. */
  runs: number
  balanced: boolean
  /** kcompactd was woken at sleep time (and run, unless `runKcompactd: false`). */
  kcompactdWoken: boolean
  /** Simulated ns kswapd spent (on `env.clock`). */
  durationNs: number
}

/**
 * The kswapd thread for node `nid` from a wakeup until it sleeps: `balance_pgdat` until the
 * node is balanced at `order` (or hopeless: MAX_RECLAIM_RETRIES failed runs), then
 * `kswapd_try_to_sleep`: `reset_isolation_suitable` + `wakeup_kcompactd(order)`.
 * `env.clock` is kswapd's clock.
 */
export function kswapdRun(
  m: Machine,
  order: number,
  highestZoneidx: number,
  env: ReclaimEnv,
  nid: number = m.localNid,
): KswapdRunResult {
  const s = stateOf(m)
  const l = lruOf(m)
  const start = env.clock.nowNs
  lruSync(m)
  s.running[nid] = 1
  s.pending[nid] = 0
  if (reclaimTraceOn(m, 'mm_vmscan_kswapd_wake'))
    emitReclaimTrace(m, { name: 'mm_vmscan_kswapd_wake', nid, zid: highestZoneidx, order })
  let nrReclaimed = 0
  let runs = 0
  let allocOrder = order
  let reclaimOrder = order
  while (l.kswapdFailures[nid] < MAX_RECLAIM_RETRIES && runs < 4 * MAX_RECLAIM_RETRIES) {
    if (runs > 0 && pgdatBalanced(m, nid, reclaimOrder, highestZoneidx)) break
    const r = balancePgdat(m, nid, allocOrder, highestZoneidx, env)
    runs++
    nrReclaimed += r.nrReclaimed
    reclaimOrder = r.order
    if (pgdatBalanced(m, nid, reclaimOrder, highestZoneidx)) break
    if (r.nrReclaimed === 0 && runs > 1) allocOrder = reclaimOrder
  }
  s.running[nid] = 0
  s.order[nid] = 0
  s.highestZoneidx[nid] = MAX_NR_ZONES
  const balanced = pgdatBalanced(m, nid, reclaimOrder, highestZoneidx)
  let kcompactdWoken = false
  if (balanced || l.kswapdFailures[nid] >= MAX_RECLAIM_RETRIES) {
    const ce = compactEnvOf(env)
    resetIsolationSuitableNode(m, nid)
    kcompactdWoken = wakeupKcompactd(m, ce, nid, allocOrder, highestZoneidx)
    if (kcompactdWoken && env.runKcompactd !== false)
      lruTrusted(m, () => kcompactdDoWork(m, ce, nid))
    else if (kcompactdWoken) env.onKcompactdWake?.(nid)
    if (reclaimTraceOn(m, 'mm_vmscan_kswapd_sleep'))
      emitReclaimTrace(m, { name: 'mm_vmscan_kswapd_sleep', nid })
  }
  s.clockNs[nid] = env.clock.nowNs
  return { nrReclaimed, runs, balanced, kcompactdWoken, durationNs: env.clock.nowNs - start }
}

/**
 * mm/vmscan.c:wakeup_kswapd for `zoneId`'s node: raise kswapd_order and lower the index; a
 * hopeless node or one already balanced (and not boosted) is not woken, but kcompactd is for
 * requests that cannot reclaim directly. Returns the kswapd run when it ran inline.
 */
export function wakeupKswapd(
  m: Machine,
  zoneId: number,
  gfp: number,
  order: number,
  highestZoneidx: number,
  env: ReclaimEnv,
): KswapdRunResult | null {
  const z = m.zones[zoneId]
  if (z.managedPages === 0) return null
  const s = stateOf(m)
  const nid = z.nid
  if (s.highestZoneidx[nid] === MAX_NR_ZONES || s.highestZoneidx[nid] < highestZoneidx)
    s.highestZoneidx[nid] = highestZoneidx
  if (s.order[nid] < order) s.order[nid] = order
  if (s.running[nid] !== 0) return null
  if (
    lruOf(m).kswapdFailures[nid] >= MAX_RECLAIM_RETRIES ||
    (pgdatBalanced(m, nid, order, highestZoneidx) && !pgdatWatermarkBoosted(m, nid, highestZoneidx))
  ) {
    if ((gfp & __GFP_DIRECT_RECLAIM) === 0) {
      const ce = compactEnvOf(env)
      if (wakeupKcompactd(m, ce, nid, order, highestZoneidx)) {
        if (env.runKcompactd === false) env.onKcompactdWake?.(nid)
        else
          lruTrusted(m, () =>
            kcompactdDoWork(
              m,
              { ...ce, clock: { nowNs: Math.max(s.clockNs[nid], env.clock.nowNs) } },
              nid,
            ),
          )
      }
    }
    return null
  }
  if (reclaimTraceOn(m, 'mm_vmscan_wakeup_kswapd'))
    emitReclaimTrace(m, {
      name: 'mm_vmscan_wakeup_kswapd',
      nid,
      zid: z.type,
      order,
      gfp_flags: gfp,
    })
  if (env.kswapdMode === 'wake-only') {
    s.pending[nid] = 1
    return null
  }
  const clock = { nowNs: Math.max(s.clockNs[nid], env.clock.nowNs) }
  return kswapdRun(m, s.order[nid], s.highestZoneidx[nid], { ...env, clock }, nid)
}
