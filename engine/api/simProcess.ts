/**
 * Simulated processes: an mm_struct reduced to what the physical-memory model needs, namely
 * which folios its page tables map. Mapping a fresh folio is what a fault on anonymous memory
 * does (do_anonymous_page → folio_add_new_anon_rmap): the folio becomes anonymous, its
 * mapcount rises and the page table holds a reference of its own. Unmapping
 * (zap_pte_range) drops both and flushes the TLB; exit_mmap unmaps everything with a single
 * flush at the end, as tlb_finish_mmu batches it.
 *
 * Virtual addresses are handed out upward from a mmap base, aligned to the folio size, so
 * traces and logs can show plausible addresses; the model keeps no page tables beyond the
 * per-process count of mappings of each folio.
 */
import {
  compoundHead,
  folioAddMapcount,
  folioGet,
  folioOrder,
  folioSetFlags,
  PG_anon,
  PG_swapbacked,
  type Machine,
} from '../mm'
import { folioPutLru } from '../migrate/isolate'
import type { Scheduler } from '../sched/scheduler'
import { assertLiveFolio } from './folioOps'

/** x86_64's mmap base for a 47-bit address space, rounded (TASK_SIZE / 3 * 2 region). */
const MMAP_BASE = 0x7f00_0000_0000
const PAGE_SIZE = 4096

interface SimProcess {
  pid: number
  name: string
  /** Head pfn → number of mappings in this process. */
  mapped: Map<number, number>
  nextVa: number
  exited: boolean
}

export class ProcessTable {
  private readonly procs: SimProcess[] = []

  constructor(
    private readonly m: Machine,
    private readonly sched: Scheduler,
    /** Pids of simulated processes start here (below the tasks' TASK_PID_BASE). */
    private readonly pidBase = 100,
  ) {}

  create(name: string): number {
    const pid = this.pidBase + this.procs.length
    this.procs.push({ pid, name, mapped: new Map(), nextVa: MMAP_BASE, exited: false })
    this.sched.charge(this.sched.cost.bookkeepingNs)
    return pid
  }

  private get(pid: number, what: string): SimProcess {
    const p = this.procs[pid - this.pidBase]
    if (!p) throw new RangeError(`${what}: no process with pid ${pid}`)
    if (p.exited) throw new Error(`${what}: process ${p.name} (pid ${p.pid}) has exited`)
    return p
  }

  /** Maps the folio once more into the process; returns its virtual address. */
  map(pid: number, pfn: number): number {
    const p = this.get(pid, 'map')
    assertLiveFolio(this.m, pfn, 'map')
    const head = compoundHead(this.m, pfn)
    const nrPages = 2 ** folioOrder(this.m, head)
    folioGet(this.m, head)
    folioAddMapcount(this.m, head, 1)
    folioSetFlags(this.m, head, PG_anon | PG_swapbacked, true)
    p.mapped.set(head, (p.mapped.get(head) ?? 0) + 1)
    const size = nrPages * PAGE_SIZE
    const va = Math.ceil(p.nextVa / size) * size
    p.nextVa = va + size
    this.sched.charge(this.sched.cost.pteMapNs * nrPages)
    return va
  }

  /** Removes one mapping of the folio from the process. */
  unmap(pid: number, pfn: number): void {
    const p = this.get(pid, 'unmap')
    const head = compoundHead(this.m, pfn)
    const n = p.mapped.get(head)
    if (!n)
      throw new Error(
        `unmap: folio at pfn 0x${head.toString(16)} is not mapped in ${p.name} (pid ${p.pid})`,
      )
    if (n === 1) p.mapped.delete(head)
    else p.mapped.set(head, n - 1)
    this.zap(head)
    this.sched.charge(this.sched.cost.tlbFlushNs)
  }

  /** exit_mmap: unmaps every folio; one TLB flush for the whole address space. */
  exit(pid: number): void {
    const p = this.get(pid, 'exit')
    for (const [head, n] of p.mapped) for (let i = 0; i < n; i++) this.zap(head)
    p.mapped.clear()
    p.exited = true
    this.sched.charge(this.sched.cost.tlbFlushNs)
  }

  /** Pages mapped by the process (its RSS), counting each mapping. */
  rssPages(pid: number): number {
    const p = this.get(pid, 'rssPages')
    let pages = 0
    for (const [head, n] of p.mapped) pages += n * 2 ** folioOrder(this.m, head)
    return pages
  }

  private zap(head: number): void {
    const nrPages = 2 ** folioOrder(this.m, head)
    folioAddMapcount(this.m, head, -1)
    this.sched.charge(this.sched.cost.pteUnmapNs * nrPages)
    folioPutLru(this.m, head)
  }

  /** remove_migration_ptes: every mapping of `src` now points at `dst`. */
  moved(src: number, dst: number): void {
    for (const p of this.procs) {
      const n = p.mapped.get(src)
      if (n === undefined) continue
      p.mapped.delete(src)
      p.mapped.set(dst, (p.mapped.get(dst) ?? 0) + n)
    }
  }

  /** A split large folio: each mapping of the head now maps every piece (PTE-mapped). */
  split(head: number, pieces: readonly number[]): void {
    for (const p of this.procs) {
      const n = p.mapped.get(head)
      if (n === undefined) continue
      for (const piece of pieces) p.mapped.set(piece, n)
    }
  }
}
