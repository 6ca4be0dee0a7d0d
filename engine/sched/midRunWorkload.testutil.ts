/**
 * A resumable workload for mid-run snapshot tests (schedulerState.ts): two worker tasks pinned
 * to the two CPUs, and kswapd and kcompactd as kernel threads, drive a seeded sequence of
 * operations through the engine functions the workload API binds (engine/api/mmOps.ts,
 * reclaimOps.ts, contigOps.ts): allocations of several GFP types and orders with the whole slow
 * path (pcp, highatomic, kswapd, direct reclaim and compaction), anon and file LRU folios
 * (mTHP and THP included), frees, compact_memory, kcompactd wake-ups and proactive ticks,
 * migrate_pages, swap (asynchronous, so writeback is in flight), CMA alloc/release,
 * alloc_contig_range/free_contig_range, virtio-mem resizes, and folio locks with waits.
 *
 * Every task keeps its progress in data (`WorkloadData.workers`), so that its body, started
 * again on a restored scheduler, continues as the original coroutine would have after its
 * `await`. The whole run state (machine, scheduler, page locks, lock timeline, virtio-mem device,
 * RNG, the handles the workload follows through observers, and the results so far) is one
 * snapshot.
 */
import { cmaReserve } from '../cma'
import { kcompactdDoWork, kcompactdProactiveTick } from '../compaction'
import { LockTimeline, onFolioMoved, onFolioSplit, type SimClock } from '../migrate'
import {
  createMachine,
  type KernelEra,
  type Machine,
  parseMachineConfig,
  restoreSnapshot,
  setCurrentCpu,
  snapshot,
} from '../mm'
import { kswapdPending, kswapdRun, onFolioUnmapped, swapon } from '../reclaim'
import { Rng } from '../api/rng'
import {
  createVirtioMemDevice,
  type VirtioMemDevice,
  virtioMemDeviceFromState,
  virtioMemDeviceState,
} from '../virtioMem'
import { PageLocks, type PageLocksState } from './pageLocks'
import { CURRENT_REALM } from './realm'
import { Scheduler, type Task } from './scheduler'
import { type SchedulerState } from './schedulerState'
import { COST, MidRunOps, type WorkloadData } from './midRunOps.testutil'

const NR_WORKERS = 2
/** kcompactd's proactive interval, HPAGE_FRAG_CHECK_INTERVAL_MSEC (500 ms). */
const KCOMPACTD_INTERVAL_NS = 500e6

export class MidRunWorkload extends MidRunOps {
  protected rng: Rng
  /** Scheduler events fired by this object (not part of the run state). */
  steps = 0

  private constructor(
    m: Machine,
    data: WorkloadData,
    sched: Scheduler,
    readonly locks: PageLocks,
    tl: LockTimeline,
    dev: VirtioMemDevice,
  ) {
    super(m, data, sched, tl, dev)
    this.rng = Rng.fromState(data.rng)
    // The workload's "page tables" follow its folios (observers: attached again on restore).
    onFolioMoved(m, (src, dst) => {
      const i = data.anon.indexOf(src)
      if (i >= 0) data.anon[i] = dst
    })
    onFolioSplit(m, (head, pieces) => {
      if (data.anon.includes(head)) for (const p of pieces) if (p !== head) data.anon.push(p)
    })
    onFolioUnmapped(m, (head, nrPages, slot) => {
      const i = data.anon.indexOf(head)
      if (i >= 0) data.anon.splice(i, 1)
      if (slot >= 0) data.swapped.push([slot, nrPages])
    })
  }

  /** A fresh run: a 96 MiB machine of `era` with swap, a CMA area and a virtio-mem device. */
  static create(era: KernelEra, nOps: number, seed: number): MidRunWorkload {
    const m = createMachine(
      parseMachineConfig({
        zones: [{ type: 'Normal', sizeMiB: 96 }],
        nrCpus: 2,
        pcp: true,
        kernelEra: era,
      }),
    )
    swapon(m, { nrPages: 16384, synchronousIo: false })
    cmaReserve(m, [{ name: 'cma0', basePfn: 8192, nrPages: 2048 }])
    const dev = createVirtioMemDevice(m, {
      regionStartPfn: 24576 - 4096,
      regionPages: 4096,
      deviceBlockPages: 512,
      memoryBlockPages: 2048,
    })
    const sched = new Scheduler({
      realm: CURRENT_REALM,
      cost: COST,
      nrCpus: 2,
      onSwitch: switchCpu(m),
    })
    const tl = new LockTimeline()
    const data: WorkloadData = {
      nOps,
      opIndex: 0,
      rng: new Rng(seed).state(),
      kernelLive: [],
      anon: [],
      swapped: [],
      cma: [],
      contig: [],
      kswapdKicked: false,
      kcompactdKicked: false,
      highatomicPeak: 0,
      workers: [],
      results: [],
      lockHolds: [],
      virtio: virtioMemDeviceState(dev),
      sched: null,
      locks: null,
    }
    const w = new MidRunWorkload(m, data, sched, pageLocks(sched, tl), tl, dev)
    w.kswapd = sched.spawnKthread('kswapd0', () => w.kswapdBody(), null).task
    w.kcompactd = sched.spawnKthread(
      'kcompactd0',
      (r) => w.kcompactdBody(r),
      KCOMPACTD_INTERVAL_NS,
    ).task
    for (let i = 0; i < NR_WORKERS; i++) {
      data.workers.push({ phase: 'op', pfn: -1, holdNs: 0 })
      sched.spawn(`worker${i}`, w.workerBody(i), { cpu: i })
    }
    return w
  }

  /** The whole run as one snapshot (at a step boundary). */
  snapshot(): ArrayBuffer {
    const d = this.data
    d.rng = this.rng.state()
    d.lockHolds = this.tl.holds
    d.virtio = virtioMemDeviceState(this.dev)
    d.sched = this.sched.saveState()
    d.locks = this.locks.saveState()
    const buf = snapshot(this.m, d)
    d.sched = null
    d.locks = null
    return buf
  }

  /** A run restored from `snapshot()` into a fresh machine, scheduler and locks. */
  static restore(buf: ArrayBuffer): MidRunWorkload {
    const r = restoreSnapshot(buf)
    const m = r.machine
    const data = r.run as WorkloadData
    const tl = new LockTimeline()
    for (const h of data.lockHolds) tl.hold(h.pfn, h.startNs, h.endNs, h.reason)
    const dev = virtioMemDeviceFromState(m, data.virtio)
    let w: MidRunWorkload | null = null
    const self = (): MidRunWorkload => w as MidRunWorkload
    const sched = Scheduler.restore(
      { realm: CURRENT_REALM, cost: COST, nrCpus: 2, onSwitch: switchCpu(m) },
      data.sched as SchedulerState,
      {
        task: (t) => () => self().workerBody(Number(t.name.slice('worker'.length)))(),
        kthread: (t) =>
          t.name === 'kswapd0'
            ? () => self().kswapdBody()
            : (reason) => self().kcompactdBody(reason),
      },
    )
    const locks = pageLocks(sched, tl)
    locks.restoreState(data.locks as PageLocksState)
    data.sched = null
    data.locks = null
    w = new MidRunWorkload(m, data, sched, locks, tl, dev)
    w.kswapd = sched.tasks.find((t) => t.name === 'kswapd0') as Task
    w.kcompactd = sched.tasks.find((t) => t.name === 'kcompactd0') as Task
    return w
  }

  /** Runs up to `maxSteps` scheduler events (draining microtasks after each); false when done. */
  async run(maxSteps = Infinity): Promise<boolean> {
    for (let i = 0; i < maxSteps; i++) {
      if (this.sched.finished() || !this.sched.step()) return false
      this.steps++
      await new Promise((r) => setImmediate(r))
      if (this.sched.failure) throw this.sched.failure.error
    }
    return !this.sched.finished()
  }

  // ---- kernel threads ------------------------------------------------------------------

  private timed(fn: (clock: SimClock) => string): string {
    const clock: SimClock = { nowNs: this.sched.clockNs() }
    const out = fn(clock)
    this.sched.charge(clock.nowNs - this.sched.clockNs())
    return out
  }

  private kswapdBody(): null {
    this.data.kswapdKicked = false
    const p = kswapdPending(this.m).find((x) => x.nid === 0)
    if (p === undefined) return null
    this.log(
      'kswapd',
      this.timed((clock) => {
        const r = kswapdRun(this.m, p.order, p.highestZoneidx, this.reclaimEnv(clock), 0)
        this.kickKswapd(clock.nowNs)
        return `order=${p.order} reclaimed=${r.nrReclaimed} balanced=${r.balanced}`
      }),
    )
    return null
  }

  private kcompactdBody(reason: 'timer' | 'wake'): number {
    this.log(
      `kcompactd ${reason}`,
      this.timed((clock) => {
        const env = this.compactEnv(clock)
        if (reason === 'wake') {
          this.data.kcompactdKicked = false
          return kcompactdDoWork(this.m, env, 0).join(',')
        }
        const r = kcompactdProactiveTick(this.m, env, 0)
        return `ran=${r.ran} score=${r.prevScore}->${r.score}`
      }),
    )
    return KCOMPACTD_INTERVAL_NS
  }

  private log(what: string, out: string): void {
    this.data.results.push(`${this.sched.clockNs()} ${what}: ${out}`)
  }

  // ---- workers -------------------------------------------------------------------------

  private workerBody(w: number): () => Promise<void> {
    return async () => {
      for (;;) {
        const next = this.workerStep(w)
        if (next === null) return
        await next
      }
    }
  }

  /** One step of worker `w`: what it does next follows from its data alone. */
  private workerStep(w: number): Promise<void> | null {
    const st = this.data.workers[w]
    if (st.phase === 'locked') {
      st.phase = 'unlock'
      return this.sched.sleep(st.holdNs)
    }
    if (st.phase === 'unlock') {
      this.locks.unlock(st.pfn)
      this.log(`worker${w} unlock`, `pfn=${st.pfn}`)
      st.phase = 'op'
    }
    const d = this.data
    if (d.opIndex >= d.nOps) return null
    const i = d.opIndex++
    const pick = this.rand(100)
    if (pick < 6 && d.anon.length > 0) {
      st.pfn = d.anon[this.rand(d.anon.length)]
      st.holdNs = 1000 + this.rand(50_000)
      st.phase = 'locked'
      this.log(`op ${i} worker${w} lock`, `pfn=${st.pfn}`)
      return this.locks.lock(st.pfn)
    }
    this.log(
      `op ${i} worker${w}`,
      this.timed((clock) => this.op(pick, clock)),
    )
    return this.sched.sleep(this.rand(20_000))
  }
}

function switchCpu(m: Machine): (t: Task) => void {
  return (t) => setCurrentCpu(m, t.cpu >= 0 ? t.cpu : t.id % m.nrCpus)
}

function pageLocks(sched: Scheduler, tl: LockTimeline): PageLocks {
  return new PageLocks(sched, { freeAtNs: (pfn, atNs) => tl.freeAtNs(pfn, atNs) })
}
