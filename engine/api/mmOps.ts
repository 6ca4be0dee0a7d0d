/**
 * The workload API's bindings to compaction, migration, the allocation slow path, CMA,
 * alloc_contig_range and virtio-mem. Every engine call here is synchronous: it runs on a
 * SimClock started at the calling task's clock, and the task is charged the elapsed simulated
 * ns (scheduler `charge`). Source-lock holds go to one LockTimeline per run, which the
 * scheduler's page locks consult (a task asking for a folio lock migration holds waits).
 */
import {
  allocPagesDirectCompact,
  compactMemory,
  COMPACT_PRIO_ASYNC,
  COMPACT_PRIO_SYNC_FULL,
  COMPACT_PRIO_SYNC_LIGHT,
  type CompactEnv,
  type CompactPriority,
  type CompactResult,
  EXTFRAG_THRESHOLD_DEFAULT,
  HPAGE_FRAG_CHECK_INTERVAL_MSEC,
  kcompactdDoWork,
  kcompactdProactiveTick,
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
  __GFP_DIRECT_RECLAIM,
  __GFP_KSWAPD_RECLAIM,
  __GFP_MOVABLE,
  __GFP_NORETRY,
  __GFP_RETRY_MAYFAIL,
  allocPages,
  compoundHead,
  folioPut,
  gfpToAllocFlags,
  gfpZone,
  NO_PAGE,
  type Machine,
} from '../mm'
import { gfpToAllocFlagsCma } from '../mm/allocFlags'
import type { Scheduler } from '../sched/scheduler'
import type { Design } from './design'
import type { MmRecorder } from './mmRecorder'

/** `PAGE_ALLOC_COSTLY_ORDER`. */
const PAGE_ALLOC_COSTLY_ORDER = 3
const NSEC_PER_MSEC = 1_000_000

/** The compaction sysctls the model honours (kernel defaults). */
export interface CompactionSysctls {
  extfragThreshold: number
  compactionProactiveness: number
  compactUnevictableAllowed: number
}

export function defaultCompactionSysctls(): CompactionSysctls {
  return {
    extfragThreshold: EXTFRAG_THRESHOLD_DEFAULT,
    compactionProactiveness: 20,
    compactUnevictableAllowed: 1,
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

  constructor(
    private readonly m: Machine,
    private readonly sched: Scheduler,
    readonly design: Design,
    private readonly rec: MmRecorder,
  ) {}

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
   * `__alloc_pages` with the compaction part of `__alloc_pages_slowpath` (mm/page_alloc.c):
   * the fast path and its retry (engine/mm allocPages); for a caller that may direct-reclaim,
   * a high order: wake kcompactd (kswapd would), async direct compaction first for costly
   * orders and non-movable high orders, then — after direct reclaim, which the model lacks —
   * compaction at DEF_COMPACT_PRIORITY (sync-light); `__GFP_NORETRY` costly requests stop after
   * an async attempt that was skipped or deferred and never go beyond async; non-costly orders
   * get one last attempt at MIN_COMPACT_PRIORITY (sync-full, should_compact_retry's
   * escalation). Movable folio allocations are compound (`__GFP_COMP`, as folio allocations are).
   * Labels every allocation above order 0 with the path that satisfied it.
   */
  allocPages(gfp: number, order: number): number {
    if (order > 0 && (gfp & __GFP_MOVABLE) !== 0) gfp |= __GFP_COMP
    const {
      value: pfn,
      startNs,
      latencyNs,
    } = this.timed((clock) => this.slowpath(gfp, order, clock))
    return order > 0 ? (this.label(startNs, order, pfn, latencyNs), pfn.pfn) : pfn.pfn
  }

  private label(
    startNs: number,
    order: number,
    r: { pfn: number; path: 'freelist' | 'direct_compaction' },
    latencyNs: number,
  ): void {
    this.rec.allocPath(startNs, order, r.pfn === NO_PAGE ? 'failure' : r.path, latencyNs)
  }

  private slowpath(
    gfp: number,
    order: number,
    clock: SimClock,
  ): { pfn: number; path: 'freelist' | 'direct_compaction' } {
    const m = this.m
    const cost = this.sched.cost
    let pfn = allocPages(m, gfp, order)
    if (pfn !== NO_PAGE) {
      clock.nowNs += cost.allocNs
      return { pfn, path: 'freelist' }
    }
    if (order === 0 || (gfp & __GFP_DIRECT_RECLAIM) === 0) {
      if (order > 0 && (gfp & __GFP_KSWAPD_RECLAIM) !== 0) this.wakeKcompactd(order, gfpZone(gfp))
      clock.nowNs += cost.allocFailNs
      return { pfn, path: 'freelist' }
    }
    if ((gfp & __GFP_KSWAPD_RECLAIM) !== 0) this.wakeKcompactd(order, gfpZone(gfp))
    const allocFlags = gfpToAllocFlagsCma(gfp, gfpToAllocFlags(gfp, order, m.allocHarder))
    const costly = order > PAGE_ALLOC_COSTLY_ORDER
    const movable = (gfp & __GFP_MOVABLE) !== 0
    let prio: CompactPriority = COMPACT_PRIO_SYNC_LIGHT
    const attempt = (p: CompactPriority): number => {
      const t0 = clock.nowNs
      const r = allocPagesDirectCompact(m, this.compactEnv(clock), gfp, order, allocFlags, p)
      if (r.result !== 'skipped') {
        this.rec.directCompaction(t0, order, r.pfn !== NO_PAGE, clock.nowNs - t0)
      }
      lastResult = r.result
      return r.pfn
    }
    let lastResult: CompactResult = 'skipped'
    if (costly || !movable) {
      pfn = attempt(COMPACT_PRIO_ASYNC)
      if (pfn !== NO_PAGE) return { pfn, path: 'direct_compaction' }
      if (costly && (gfp & __GFP_NORETRY) !== 0) {
        if (lastResult === 'skipped' || lastResult === 'deferred') return this.fail(clock)
        prio = COMPACT_PRIO_ASYNC
      }
    }
    pfn = attempt(prio)
    if (pfn !== NO_PAGE) return { pfn, path: 'direct_compaction' }
    if ((gfp & __GFP_NORETRY) !== 0) return this.fail(clock)
    if (costly && (gfp & __GFP_RETRY_MAYFAIL) === 0) return this.fail(clock)
    if (!costly) {
      pfn = attempt(COMPACT_PRIO_SYNC_FULL)
      if (pfn !== NO_PAGE) return { pfn, path: 'direct_compaction' }
    }
    return this.fail(clock)
  }

  private fail(clock: SimClock): { pfn: number; path: 'freelist' } {
    clock.nowNs += this.sched.cost.allocFailNs
    return { pfn: NO_PAGE, path: 'freelist' }
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
    const allocFlags = gfpToAllocFlagsCma(gfp, gfpToAllocFlags(gfp, order, this.m.allocHarder))
    const r = this.timed((clock) =>
      tryToCompactPages(this.m, this.compactEnv(clock), gfp, order, allocFlags, prio),
    )
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
    this.startKcompactd()
    this.kcompactd[nid].wake(this.sched.clockNs() + this.sched.cost.wakeupNs)
    return true
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
          const t0 = clock.nowNs
          const res = this.slowpath(gfp, order, clock)
          if (order > 0) this.label(t0, order, res, clock.nowNs - t0)
          return res.pfn
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
