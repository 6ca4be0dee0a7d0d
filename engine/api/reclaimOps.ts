/**
 * The workload API's bindings to page reclaim (engine/reclaim): `__alloc_pages` with the whole
 * slow path (kswapd wakeup, direct compaction, direct reclaim, the retry logic, OOM), kswapd as
 * one kernel thread per node running concurrently with the workload in simulated time
 * (`kswapdMode: 'wake-only'` + `kswapdPending`/`kswapdRun`), kcompactd woken through the API's
 * own kcompactd thread, and the OOM killer's victim selection (the workload process with the
 * largest badness, mm/oom_kill.c:oom_badness). Every allocation above order 0 is labelled with
 * the path that produced it.
 */
import { type SimClock } from '../migrate'
import { NO_PAGE, type Machine } from '../mm'
import {
  type AllocPath as ReclaimAllocPath,
  allocPagesReclaim,
  type AllocResult,
  kswapdPending,
  kswapdRun,
  type OomControl,
  type OomVictim,
  type ReclaimEnv,
  swapinRange,
} from '../reclaim'
import type { Scheduler } from '../sched/scheduler'
import type { AllocPath } from './mmRecorder'
import type { MmOps } from './mmOps'

/** The run's label for each engine path; R2's names (`direct_compaction`, `failure`) stay. */
const PATH_LABEL: Record<ReclaimAllocPath, AllocPath> = {
  freelist: 'freelist',
  kswapd: 'kswapd',
  'direct-compaction': 'direct_compaction',
  'direct-reclaim': 'direct_reclaim',
  oom: 'oom',
  nofail: 'nofail',
  fail: 'failure',
}

export class ReclaimOps {
  private kswapd: { wake: (atNs: number) => void }[] = []
  /** Per node: a wake-up of the kswapd thread is queued. */
  private kswapdKicked: boolean[] = []
  /** The OOM killer's victim selection and kill (set by the kernel binding: process table). */
  oomKill: ((oc: OomControl) => OomVictim | null) | null = null

  constructor(
    private readonly m: Machine,
    private readonly sched: Scheduler,
    private readonly ops: MmOps,
  ) {}

  /** What engine/reclaim needs, on `clock`: the run's designs, sysctls and daemon threads. */
  env(clock: SimClock): ReclaimEnv {
    const { clock: _c, cost: _k, ...compaction } = this.ops.compactEnv(clock)
    const rec = this.ops.recorder
    return {
      clock,
      cost: this.sched.cost,
      variants: { swapoutLargeFolios: this.ops.design.swapLargeFolios },
      swappiness: this.ops.sysctls.swappiness,
      compaction,
      kswapdMode: 'wake-only',
      runKcompactd: false,
      onKcompactdWake: (nid) => this.ops.kickKcompactd(nid, clock.nowNs),
      // cond_resched() of the allocating task: a woken kswapd runs now (one CPU).
      onCondResched: () => this.runPendingKswapd(),
      onDirectCompact: (order, _result, success, latencyNs) =>
        rec.directCompaction(clock.nowNs - latencyNs, order, success, latencyNs),
      oomKill: (oc) => {
        const v = this.oomKill?.(oc) ?? null
        if (v !== null)
          rec.event(clock.nowNs, 'oom_kill', { pid: v.pid, comm: v.comm, pages: v.freedPages })
        return v
      },
    }
  }

  /**
   * mm/page_alloc.c:__alloc_pages on `clock` (the caller's): the result's path labels every
   * allocation above order 0 (counters `alloc_path.<path>` and `alloc_path.order<N>.<path>`).
   */
  allocPages(gfp: number, order: number, clock: SimClock): AllocResult {
    const t0 = clock.nowNs
    const r = allocPagesReclaim(this.m, gfp, order, this.env(clock))
    if (order > 0)
      this.ops.recorder.allocPath(
        t0,
        order,
        PATH_LABEL[r.pfn === NO_PAGE ? 'fail' : r.path],
        r.latencyNs,
      )
    if (r.directReclaimStalls > 0)
      this.ops.recorder.histograms.add('alloc_slowpath_reclaim_ns', r.latencyNs)
    this.kickKswapd(clock.nowNs)
    return r
  }

  /** mm/memory.c:do_swap_page for a swap entry of `nrPages` slots, on `clock` (null: OOM). */
  swapin(slot: number, nrPages: number, clock: SimClock): number[] | null {
    const t0 = clock.nowNs
    const pfns = swapinRange(this.m, slot, nrPages, this.env(clock))
    this.ops.recorder.histograms.add('swapin_ns', clock.nowNs - t0)
    this.kickKswapd(clock.nowNs)
    return pfns
  }

  /**
   * The allocating task's `cond_resched()`: every pending kswapd runs now, on its own clock, as
   * its thread would (the queued thread wake-up then finds nothing pending).
   */
  private runPendingKswapd(): void {
    for (const p of kswapdPending(this.m)) this.kswapdBody(p.nid)
  }

  /** Wakes the kswapd thread of every node whose kswapd a wake-only wakeup left pending. */
  kickKswapd(atNs: number): void {
    for (const p of kswapdPending(this.m)) {
      this.startKswapd()
      if (this.kswapdKicked[p.nid]) continue
      this.kswapdKicked[p.nid] = true
      this.kswapd[p.nid].wake(atNs + this.sched.cost.wakeupNs)
    }
  }

  /**
   * One kswapd run for `nid` if a wakeup is pending, from the scheduler's current time on
   * kswapd's own clock, recorded. Returns the clock at its end, or null if nothing was pending.
   */
  private kswapdBody(nid: number): number | null {
    const p = kswapdPending(this.m).find((x) => x.nid === nid)
    if (p === undefined) return null
    const startNs = this.sched.clockNs()
    const clock: SimClock = { nowNs: startNs }
    const r = kswapdRun(this.m, p.order, p.highestZoneidx, this.env(clock), nid)
    const rec = this.ops.recorder
    rec.series('kswapd_reclaimed', startNs, r.nrReclaimed)
    rec.histograms.add('kswapd_run_ns', r.durationNs)
    rec.event(startNs, 'kswapd', {
      nid,
      order: p.order,
      nr_reclaimed: r.nrReclaimed,
      balanced: r.balanced,
      latencyNs: r.durationNs,
    })
    return clock.nowNs
  }

  /**
   * mm/vmscan.c:kswapd: one kernel thread per node; each wake-up runs `kswapd_try_to_sleep`'s
   * loop (`balance_pgdat` until the node meets its HIGH watermark) on the thread's own clock,
   * so the workload is not charged and runs on meanwhile.
   */
  private startKswapd(): void {
    if (this.kswapd.length > 0) return
    for (let nid = 0; nid < this.m.cfg.nrNodes; nid++) {
      this.kswapdKicked.push(false)
      const t = this.sched.spawnKthread(
        `kswapd${nid}`,
        () => {
          this.kswapdKicked[nid] = false
          const startNs = this.sched.clockNs()
          const endNs = this.kswapdBody(nid)
          if (endNs === null) return null
          this.sched.charge(endNs - startNs)
          // A wakeup that came in while it ran (kswapd_try_to_sleep sees it and loops).
          this.kickKswapd(endNs)
          return null
        },
        null,
      )
      this.kswapd.push(t)
    }
  }
}
