/**
 * The operations of the mid-run snapshot workload (midRunWorkload.testutil.ts) and the engine
 * environments they run in, built as engine/api's MmOps, ReclaimOps and ContigOps build them.
 */
import { cmaAlloc, cmaRelease, type CmaArea, cmaState } from '../cma'
import { compactMemory, type CompactEnv, wakeupKcompactd } from '../compaction'
import {
  allocContigRange,
  type ContigEnv,
  DEFAULT_CONTIG_COSTS,
  freeContigRange,
  MIGRATE_API,
} from '../contig'
import {
  allocMigrationTarget,
  isolateLruFolio,
  type LockHold,
  type LockTimeline,
  makeAnonLruFolio,
  makeFileLruFolio,
  migratePages,
  putbackMovablePages,
  type SimClock,
} from '../migrate'
import { folioPutLru } from '../migrate/isolate'
import {
  __GFP_COMP,
  folioAddMapcount,
  folioSetFlags,
  freePages,
  GFP_ATOMIC,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  GFP_NOWAIT,
  GFP_TRANSHUGE,
  type Machine,
  MIGRATE_MOVABLE,
  NO_PAGE,
  PG_dirty,
} from '../mm'
import {
  allocPagesReclaim,
  endWritebackUntil,
  kswapdPending,
  lruAdd,
  nrWritebackInflight,
  type ReclaimEnv,
  swapFree,
} from '../reclaim'
import { type Rng } from '../api/rng'
import {
  type VirtioMemDevice,
  type VirtioMemDeviceState,
  virtioMemRun,
  virtioMemSetRequestedSize,
} from '../virtioMem'
import { DEFAULT_COST_MODEL } from './costModel'
import { type PageLocksState } from './pageLocks'
import { type Scheduler, type Task } from './scheduler'
import { type SchedulerState } from './schedulerState'

export const COST = DEFAULT_COST_MODEL

export interface WorkerData {
  phase: 'op' | 'locked' | 'unlock'
  pfn: number
  holdNs: number
}

/** Everything of the run that is not machine state, as plain data. */
export interface WorkloadData {
  nOps: number
  opIndex: number
  rng: Uint32Array
  kernelLive: [pfn: number, order: number][]
  anon: number[]
  swapped: [slot: number, nrPages: number][]
  cma: [pfn: number, count: number][]
  contig: [start: number, end: number][]
  kswapdKicked: boolean
  kcompactdKicked: boolean
  /** Largest `nr_reserved_highatomic` seen. */
  highatomicPeak: number
  workers: WorkerData[]
  results: string[]
  lockHolds: LockHold[]
  virtio: VirtioMemDeviceState
  sched: SchedulerState | null
  locks: PageLocksState | null
}

/** The operations of the workload and the environments they run in. */
export abstract class MidRunOps {
  protected abstract rng: Rng
  protected kswapd!: Task
  protected kcompactd!: Task

  constructor(
    readonly m: Machine,
    readonly data: WorkloadData,
    readonly sched: Scheduler,
    protected readonly tl: LockTimeline,
    protected readonly dev: VirtioMemDevice,
  ) {}

  // ---- environments (as engine/api's MmOps, ReclaimOps and ContigOps build them) ----------

  protected migrate: typeof migratePages = (m, from, getNew, putNew, opts) =>
    migratePages(m, from, getNew, putNew, { ...opts, locks: this.tl })

  protected compactEnv(clock: SimClock): CompactEnv {
    return {
      clock,
      cost: COST,
      migratePages: this.migrate,
      locks: this.tl,
      compactionProactiveness: 20,
    }
  }

  protected reclaimEnv(clock: SimClock): ReclaimEnv {
    return {
      clock,
      cost: COST,
      compaction: { migratePages: this.migrate, locks: this.tl, compactionProactiveness: 20 },
      kswapdMode: 'wake-only',
      runKcompactd: false,
      onKcompactdWake: () => this.kickKcompactd(clock.nowNs),
    }
  }

  protected contigEnv(clock: SimClock): ContigEnv {
    return {
      clock,
      cost: { ...DEFAULT_CONTIG_COSTS, ...COST },
      migrate: {
        ...MIGRATE_API,
        migratePages: (m, from, g, p, opts) =>
          this.migrate(m, from, g, p, { ...opts, clock: opts.clock as SimClock }),
      },
      locks: this.tl,
    }
  }

  protected kickKcompactd(atNs: number): void {
    if (this.data.kcompactdKicked) return
    this.data.kcompactdKicked = true
    this.sched.kickKthread(this.kcompactd, atNs + COST.wakeupNs)
  }

  protected kickKswapd(atNs: number): void {
    if (kswapdPending(this.m).length === 0 || this.data.kswapdKicked) return
    this.data.kswapdKicked = true
    this.sched.kickKthread(this.kswapd, atNs + COST.wakeupNs)
  }

  protected rand(n: number): number {
    return this.rng.next() % n
  }

  protected alloc(gfp: number, order: number, clock: SimClock): { pfn: number; path: string } {
    const r = allocPagesReclaim(this.m, gfp, order, this.reclaimEnv(clock))
    this.kickKswapd(clock.nowNs)
    return { pfn: r.pfn, path: r.path }
  }

  protected op(pick: number, clock: SimClock): string {
    const m = this.m
    const d = this.data
    if (pick < 17) {
      const gfp = [GFP_KERNEL, GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT][this.rand(4)]
      const order = [0, 0, 0, 1, 2, 3][this.rand(6)]
      const r = this.alloc(gfp, order, clock)
      if (r.pfn !== NO_PAGE) d.kernelLive.push([r.pfn, order])
      const hr = m.zones[0].nrReservedHighatomic
      if (hr > d.highatomicPeak) d.highatomicPeak = hr
      return `alloc gfp=${gfp} order=${order} -> ${r.pfn} ${r.path}`
    }
    if (pick < 27 && d.kernelLive.length > 0) {
      const [pfn, order] = d.kernelLive.splice(this.rand(d.kernelLive.length), 1)[0]
      freePages(m, pfn, order)
      return `free ${pfn} order=${order}`
    }
    if (pick < 50) {
      const order = [0, 0, 0, 0, 2, 4, 9][this.rand(7)]
      // A THP fault with defrag=always (GFP_TRANSHUGE: direct compaction), mTHP and base pages.
      const gfp = order === 9 ? GFP_TRANSHUGE : GFP_HIGHUSER_MOVABLE | (order > 0 ? __GFP_COMP : 0)
      const r = this.alloc(gfp, order, clock)
      if (r.pfn === NO_PAGE) return `fault order=${order} failed ${r.path}`
      makeAnonLruFolio(m, r.pfn, 1)
      lruAdd(m, r.pfn)
      d.anon.push(r.pfn)
      return `fault order=${order} -> ${r.pfn} ${r.path}`
    }
    if (pick < 60 && d.anon.length > 0) {
      const head = d.anon.splice(this.rand(d.anon.length), 1)[0]
      folioAddMapcount(m, head, -1)
      folioPutLru(m, head)
      return `munmap ${head}`
    }
    if (pick < 72) {
      const r = this.alloc(GFP_HIGHUSER_MOVABLE, 0, clock)
      if (r.pfn === NO_PAGE) return `pagecache failed`
      makeFileLruFolio(m, r.pfn, 0)
      lruAdd(m, r.pfn)
      const dirty = this.rand(2) === 0
      if (dirty) folioSetFlags(m, r.pfn, PG_dirty, true)
      return `pagecache -> ${r.pfn} dirty=${dirty}`
    }
    return this.rareOp(pick, clock)
  }

  protected rareOp(pick: number, clock: SimClock): string {
    const m = this.m
    const d = this.data
    if (pick < 75 && d.anon.length > 0) {
      const list: number[] = []
      for (let k = 0; k < 8 && k < d.anon.length; k++) {
        const head = d.anon[this.rand(d.anon.length)]
        if (!list.includes(head) && isolateLruFolio(m, head)) list.push(head)
      }
      const getNew = allocMigrationTarget(m, {
        clock,
        cost: COST,
        allocate: (gfp, order) => this.alloc(gfp, order, clock).pfn,
      })
      const s = this.migrate(m, list, getNew, null, {
        mode: 'sync',
        reason: 'syscall_or_cpuset',
        clock,
        cost: COST,
      })
      putbackMovablePages(m, list)
      return `migrate ${list.length}: ok=${s.nrSucceeded} failed=${s.nrFailedPages}`
    }
    if (pick < 77) return `compact_memory ${compactMemory(m, this.compactEnv(clock)).join(',')}`
    if (pick < 79) {
      const order = [2, 4, 9][this.rand(3)]
      const woke = wakeupKcompactd(m, this.compactEnv(clock), 0, order, 3)
      if (woke) this.kickKcompactd(clock.nowNs)
      return `wakeup_kcompactd order=${order} ${woke}`
    }
    if (pick < 83) return this.cmaOp(clock)
    if (pick < 87) return this.contigOp(clock)
    if (pick < 89) {
      const pages = [0, 1024, 2048, 4096][this.rand(4)]
      virtioMemSetRequestedSize(this.dev, pages)
      const r = virtioMemRun(this.dev, this.contigEnv(clock))
      return `virtio_mem ${pages}: ${r.outcome} rc=${r.rc} plugged=${this.dev.pluggedPages}`
    }
    if (pick < 93 && d.swapped.length > 0) {
      const [slot, nr] = d.swapped.splice(this.rand(d.swapped.length), 1)[0]
      swapFree(m, slot, nr)
      return `swap_free ${slot}+${nr}`
    }
    if (pick < 97) {
      const done = endWritebackUntil(m, clock.nowNs)
      return `end_writeback done=${done} inflight=${nrWritebackInflight(m)}`
    }
    if (pick < 99) {
      clock.nowNs += 100e6
      return 'think 100 ms'
    }
    return this.burst(clock)
  }

  /**
   * A burst of 768 page faults, then an atomic order-2 allocation (below the low watermark: the
   * slow path's reserves, highatomic) and a THP fault (direct reclaim and compaction).
   */
  protected burst(clock: SimClock): string {
    const m = this.m
    let n = 0
    for (let k = 0; k < 768; k++) {
      const r = this.alloc(GFP_HIGHUSER_MOVABLE, 0, clock)
      if (r.pfn === NO_PAGE) break
      makeAnonLruFolio(m, r.pfn, 1)
      lruAdd(m, r.pfn)
      this.data.anon.push(r.pfn)
      n++
    }
    const a = this.alloc(GFP_ATOMIC, 2, clock)
    if (a.pfn !== NO_PAGE) this.data.kernelLive.push([a.pfn, 2])
    const hr = m.zones[0].nrReservedHighatomic
    if (hr > this.data.highatomicPeak) this.data.highatomicPeak = hr
    const t = this.alloc(GFP_TRANSHUGE, 9, clock)
    if (t.pfn !== NO_PAGE) {
      makeAnonLruFolio(m, t.pfn, 1)
      lruAdd(m, t.pfn)
      this.data.anon.push(t.pfn)
    }
    return `burst ${n} faults, atomic order 2 -> ${a.pfn} ${a.path}, thp -> ${t.pfn} ${t.path}`
  }

  protected cmaOp(clock: SimClock): string {
    const d = this.data
    const area = cmaState(this.m).areas[0] as CmaArea
    if (d.cma.length > 0 && this.rand(2) === 0) {
      const [pfn, count] = d.cma.splice(this.rand(d.cma.length), 1)[0]
      return `cma_release ${pfn}+${count} ${cmaRelease(this.m, area, pfn, count)}`
    }
    const count = [16, 64, 256][this.rand(3)]
    const r = cmaAlloc(this.m, area, count, this.rand(5), this.contigEnv(clock))
    if (r.pfn !== NO_PAGE && r.ret === 0) d.cma.push([r.pfn, count])
    return `cma_alloc ${count} -> ${r.pfn} ${r.outcome} migrated=${r.nrMigrated}`
  }

  protected contigOp(clock: SimClock): string {
    const d = this.data
    if (d.contig.length > 0 && this.rand(2) === 0) {
      const [start, end] = d.contig.splice(this.rand(d.contig.length), 1)[0]
      return `free_contig_range ${start} busy=${freeContigRange(this.m, start, end - start)}`
    }
    // A 2 MiB range below the CMA area or between it and the virtio-mem region.
    const blocks = [
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 25, 26, 27, 28,
    ]
    const start = blocks[this.rand(blocks.length)] * 512
    if (d.contig.some(([s]) => s === start)) return `contig ${start} already held`
    const r = allocContigRange(this.m, start, start + 512, MIGRATE_MOVABLE, this.contigEnv(clock))
    if (r.ret === 0) d.contig.push([start, start + 512])
    return `alloc_contig_range ${start}: ${r.outcome} migrated=${r.nrMigrated}`
  }
}
