/**
 * The workload API's bindings to compaction, migration, the allocation slow path, CMA,
 * alloc_contig_range and virtio-mem. Every engine call here is synchronous: it runs on a
 * SimClock started at the calling task's clock, and the task is charged the elapsed simulated
 * ns (scheduler `charge`). Source-lock holds go to one LockTimeline per run, which the
 * scheduler's page locks consult (a task asking for a folio lock migration holds waits).
 */
import {
  compactMemory,
  type CompactEnv,
  type CompactPriority,
  type CompactResult,
  EXTFRAG_THRESHOLD_DEFAULT,
  HPAGE_FRAG_CHECK_INTERVAL_MSEC,
  kcompactdDoWork,
  kcompactdProactiveTick,
  releaseCapturedPage,
  tryToCompactPages,
  wakeupKcompactd,
} from '../compaction'
import {
  allocMigrationTarget,
  isolateLruFolio,
  LockTimeline,
  migratePages,
  type MigrateMode,
  type MigrateReason,
  type MigrateStats,
  putbackMovablePages,
  type SimClock,
} from '../migrate'
import {
  __GFP_COMP,
  __GFP_MOVABLE,
  compoundHead,
  folioPut,
  gfpToAllocFlags,
  type Machine,
} from '../mm'
import { createHugetlbPool, type HugetlbPool, setMaxHugePages } from '../hugetlb/pool'
import { DEFAULT_SWAPPINESS } from '../reclaim'
import { gfpToAllocFlagsCma } from '../mm/allocFlags'
import type { Scheduler } from '../sched/scheduler'
import type { Design } from './design'
import type { MmRecorder } from './mmRecorder'
import { ReclaimOps } from './reclaimOps'

const NSEC_PER_MSEC = 1_000_000

/** The compaction and reclaim sysctls the model honours (kernel defaults). */
export interface CompactionSysctls {
  extfragThreshold: number
  compactionProactiveness: number
  compactUnevictableAllowed: number
  /** vm.swappiness (0..200): anon versus file scan balance (get_scan_count). */
  swappiness: number
}

export function defaultCompactionSysctls(): CompactionSysctls {
  return {
    extfragThreshold: EXTFRAG_THRESHOLD_DEFAULT,
    compactionProactiveness: 20,
    compactUnevictableAllowed: 1,
    swappiness: DEFAULT_SWAPPINESS,
  }
}

export interface MigrateRequest {
  mode: MigrateMode
  reason: MigrateReason
  /** `mtc->gfp_mask` of alloc_migration_target. */
  gfp?: number
}

export class MmOps {
  readonly locks = new LockTimeline()
  readonly sysctls = defaultCompactionSysctls()
  /** Destinations a simulated PFN walker took a speculative reference on (seed 000). */
  readonly walkerRefs: number[] = []
  private walkerArmed = 0
  private kcompactd: { wake: (atNs: number) => void }[] = []
  private kcompactdStarted = false
  /** Per node: a wake-up of the kcompactd thread is queued. */
  private kcompactdKicked: boolean[] = []
  /** The slow path's reclaim side: kswapd threads, direct reclaim, OOM. */
  readonly reclaim: ReclaimOps
  /** The 2 MiB hstate's persistent pool (vm.nr_hugepages), plain data. */
  readonly hugetlb: HugetlbPool = createHugetlbPool()

  constructor(
    private readonly m: Machine,
    private readonly sched: Scheduler,
    readonly design: Design,
    private readonly rec: MmRecorder,
  ) {
    this.reclaim = new ReclaimOps(m, sched, this)
  }

  /** The run's recorder of engine series, histograms and events. */
  get recorder(): MmRecorder {
    return this.rec
  }

  get costModel(): Scheduler['cost'] {
    return this.sched.cost
  }

  /** Runs `fn` on a SimClock at the caller's time and charges the caller what it took. */
  timed<T>(fn: (clock: SimClock) => T): { value: T; startNs: number; latencyNs: number } {
    const startNs = this.sched.clockNs()
    const clock: SimClock = { nowNs: startNs }
    const value = fn(clock)
    const latencyNs = clock.nowNs - startNs
    this.sched.charge(latencyNs)
    return { value, startNs, latencyNs }
  }

  /** migrate_pages with the run's designs, recording what it measured. */
  private readonly migrate: typeof migratePages = (m, from, getNew, putNew, opts) => {
    const s = migratePages(m, from, getNew, putNew, {
      ...opts,
      allocateTarget: this.design.allocateTarget,
      batching: this.design.batching,
      deferredSplitRequeue: this.design.deferredSplitRequeue,
      locks: this.locks,
    })
    this.rec.migration(opts.clock.nowNs, s, opts.reason)
    return s
  }

  compactEnv(clock: SimClock): CompactEnv {
    return {
      clock,
      cost: this.sched.cost,
      migratePages: this.migrate,
      locks: this.locks,
      variants: this.design.compaction,
      extfragThreshold: this.sysctls.extfragThreshold,
      compactUnevictableAllowed: this.sysctls.compactUnevictableAllowed !== 0,
      compactionProactiveness: this.sysctls.compactionProactiveness,
      speculativeRefOnNewDst: (dst) => {
        if (this.walkerArmed <= 0) return false
        this.walkerArmed--
        this.walkerRefs.push(dst)
        return true
      },
    }
  }

  /** The contig/CMA/virtio-mem environment (migration through the run's designs). */
  migrateOptionsFor(clock: SimClock): { clock: SimClock; locks: LockTimeline } {
    return { clock, locks: this.locks }
  }

  /** The run's migrate_pages as alloc_contig_range's migration interface uses it. */
  get migrateFn(): typeof migratePages {
    return this.migrate
  }

  // ---- the allocation slow path -------------------------------------------------------

  /**
   * `__alloc_pages` with the whole slow path (engine/reclaim, mm/page_alloc.c): the fast path,
   * waking kswapd (a kernel thread that runs concurrently), async direct compaction for costly
   * and non-movable high orders, then direct reclaim, compaction at `compact_priority`,
   * should_reclaim_retry / should_compact_retry, and the OOM killer. Movable folio allocations
   * are compound (`__GFP_COMP`, as folio allocations are). Labels every allocation above order
   * 0 with the path that satisfied it (`alloc_path.*`).
   */
  allocPages(gfp: number, order: number): number {
    if (order > 0 && (gfp & __GFP_MOVABLE) !== 0) gfp |= __GFP_COMP
    return this.timed((clock) => this.reclaim.allocPages(gfp, order, clock).pfn).value
  }

  // ---- hugetlb ---------------------------------------------------------------------------

  /**
   * A write to /proc/sys/vm/nr_hugepages (mm/hugetlb.c:set_max_huge_pages): grow the pool one
   * order-9 `alloc_pool_huge_folio` at a time through the whole slow path (async compaction,
   * reclaim, sync-light compaction, should_compact_retry, deferral) until the count or the first
   * failure, or free pool pages down to it. Charged to the caller; returns the pool size.
   */
  setNrHugepages(count: number): number {
    const r = this.timed((clock) => {
      const env = this.reclaim.env(clock)
      return setMaxHugePages(this.m, env, this.hugetlb, count)
    })
    this.reclaim.kickKswapd(this.sched.clockNs())
    this.rec.compactionTotals(r.startNs + r.latencyNs)
    this.rec.event(r.startNs, 'nr_hugepages', {
      requested: count,
      obtained: r.value.nrHugepages,
      allocated: r.value.allocated,
      freed: r.value.freed,
      latencyNs: r.latencyNs,
    })
    return r.value.nrHugepages
  }

  /** Reading /proc/sys/vm/nr_hugepages: the pool's huge pages. */
  nrHugepages(): number {
    return this.hugetlb.pages.length
  }

  // ---- compaction entry points ----------------------------------------------------------

  /** `/proc/sys/vm/compact_memory`: compact_node on every node (SYNC, whole zones). */
  compactMemory(): { results: CompactResult[]; latencyNs: number } {
    const r = this.timed((clock) => compactMemory(this.m, this.compactEnv(clock)))
    this.rec.histograms.add('compact_memory_ns', r.latencyNs)
    this.rec.compactionTotals(r.startNs + r.latencyNs)
    this.rec.event(r.startNs, 'compact_memory', {
      latencyNs: r.latencyNs,
      results: r.value.join(','),
    })
    return { results: r.value, latencyNs: r.latencyNs }
  }

  /** try_to_compact_pages at a priority, without allocating (the caller allocates after). */
  tryToCompactPages(order: number, gfp: number, prio: CompactPriority): CompactResult {
    const allocFlags = gfpToAllocFlagsCma(gfp, gfpToAllocFlags(this.m, gfp, order))
    const r = this.timed((clock) => {
      const res = tryToCompactPages(this.m, this.compactEnv(clock), gfp, order, allocFlags, prio)
      // No allocation follows: a captured page goes back to the buddy allocator.
      releaseCapturedPage(this.m, gfp)
      return res
    })
    this.rec.compactionTotals(r.startNs + r.latencyNs)
    return r.value
  }

  /**
   * Starts kcompactd (one kernel thread per node): woken by `wakeKcompactd`, and every
   * HPAGE_FRAG_CHECK_INTERVAL_MSEC (500 ms) of simulated time for proactive compaction while
   * `vm.compaction_proactiveness` > 0.
   */
  startKcompactd(): void {
    if (this.kcompactdStarted) return
    this.kcompactdStarted = true
    const intervalNs = HPAGE_FRAG_CHECK_INTERVAL_MSEC * NSEC_PER_MSEC
    for (let nid = 0; nid < this.m.cfg.nrNodes; nid++) {
      const t = this.sched.spawnKthread(
        `kcompactd${nid}`,
        (reason) => {
          const startNs = this.sched.clockNs()
          const clock: SimClock = { nowNs: startNs }
          const env = this.compactEnv(clock)
          if (reason === 'wake') {
            this.kcompactdKicked[nid] = false
            const res = kcompactdDoWork(this.m, env, nid)
            this.rec.event(startNs, 'kcompactd', {
              nid,
              results: res.join(','),
              latencyNs: clock.nowNs - startNs,
            })
          } else if (this.sysctls.compactionProactiveness > 0) {
            const r = kcompactdProactiveTick(this.m, env, nid)
            if (r.ran) {
              this.rec.series('fragmentation_score', startNs, r.score)
              this.rec.event(startNs, 'proactive_compaction', {
                nid,
                prevScore: r.prevScore,
                score: r.score,
              })
            }
          }
          this.sched.charge(clock.nowNs - startNs)
          // Recorded at the wake-up: a daemon's clock may run past the end of the workload.
          this.rec.compactionTotals(startNs)
          return intervalNs
        },
        intervalNs,
      )
      this.kcompactd.push(t)
    }
  }

  /** `wakeup_kcompactd(pgdat, order, highest_zoneidx)` on the local node. */
  wakeKcompactd(order: number, highestZoneidx: number): boolean {
    const nid = this.m.localNid
    const clock: SimClock = { nowNs: this.sched.clockNs() }
    if (!wakeupKcompactd(this.m, this.compactEnv(clock), nid, order, highestZoneidx)) return false
    this.kickKcompactd(nid, this.sched.clockNs())
    return true
  }

  /** `wake_up_interruptible(&pgdat->kcompactd_wait)`: kcompactd runs `wakeupNs` after `atNs`. */
  kickKcompactd(nid: number, atNs: number): void {
    this.startKcompactd()
    if (this.kcompactdKicked[nid]) return
    this.kcompactdKicked[nid] = true
    this.kcompactd[nid].wake(atNs + this.sched.cost.wakeupNs)
  }

  /** Arms the simulated PFN walker: it takes a reference on the next `n` compaction targets. */
  armWalker(n: number): void {
    this.walkerArmed += n
  }

  /** The walker's `folio_put` of every reference it holds. */
  releaseWalker(): number {
    const n = this.walkerRefs.length
    for (const pfn of this.walkerRefs.splice(0)) folioPut(this.m, pfn)
    return n
  }

  // ---- migrate_pages for workloads ------------------------------------------------------

  /**
   * What move_pages(2) / mbind(MPOL_MF_MOVE) do: isolate each folio from the LRU
   * (`isolate_folio_to_list`: folio_isolate_lru + NR_ISOLATED), migrate_pages with
   * alloc_migration_target (whose allocation takes the slow path above), putback of the rest.
   */
  migrateFolios(
    heads: readonly number[],
    req: MigrateRequest,
  ): { stats: MigrateStats; notIsolated: number; latencyNs: number } {
    const m = this.m
    const r = this.timed((clock) => {
      const list: number[] = []
      let notIsolated = 0
      for (const pfn of heads) {
        clock.nowNs += this.sched.cost.lockNs
        if (isolateLruFolio(m, compoundHead(m, pfn))) list.push(compoundHead(m, pfn))
        else notIsolated++
      }
      const getNew = allocMigrationTarget(m, {
        clock,
        cost: this.sched.cost,
        gfp: req.gfp,
        allocate: (gfp, order) => {
          return this.reclaim.allocPages(gfp, order, clock).pfn
        },
      })
      const stats = this.migrate(m, list, getNew, null, {
        mode: req.mode,
        reason: req.reason,
        clock,
        cost: this.sched.cost,
      })
      putbackMovablePages(m, list)
      return { stats, notIsolated }
    })
    const s = r.value.stats
    this.rec.series('pages_migrated_per_request', r.startNs, s.nrSucceeded)
    this.rec.event(r.startNs, 'migrate_pages', {
      reason: req.reason,
      mode: req.mode,
      nr_succeeded: s.nrSucceeded,
      nr_failed_pages: s.nrFailedPages,
      retval: s.retval,
      wasted_targets: s.wastedTargets,
      latencyNs: r.latencyNs,
    })
    return { ...r.value, latencyNs: r.latencyNs }
  }
}
