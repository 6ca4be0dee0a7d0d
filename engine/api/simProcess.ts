/**
 * Simulated processes: an mm_struct reduced to what the physical-memory model needs, namely
 * which folios its page tables map. Mapping a fresh folio is what a fault on anonymous memory
 * does (do_anonymous_page → folio_add_new_anon_rmap): the folio becomes anonymous, its
 * mapcount rises and the page table holds a reference of its own. Unmapping
 * (zap_pte_range) drops both and flushes the TLB; exit_mmap unmaps everything with a single
 * flush at the end, as tlb_finish_mmu batches it.
 *
 * Reclaim that swaps a folio out turns each of its mappings into a swap entry (kept per process
 * with the mapping count, key `-(slot + 1)`); a swap-in maps the new pages again. The OOM
 * killer (`oomKill`) picks the process with the largest `oom_badness` (resident pages plus swap
 * entries) and exits it.
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
  modMthpStat,
  pageFlags,
  PG_anon,
  PG_swapbacked,
  type Machine,
} from '../mm'
import { MTHP_STAT_NR_ANON } from '../mm/deferredSplit'
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
  /** Swap key `-(slot + 1)` → base pages of the entry and number of mappings. */
  swapped: Map<number, { nrPages: number; n: number }>
  nextVa: number
  exited: boolean
  /** Killed by the OOM killer (mark_oom_victim). */
  killed: boolean
}

export class ProcessTable {
  private readonly procs: SimProcess[] = []

  constructor(
    private readonly m: Machine,
    private readonly sched: Scheduler,
    /** Pids of simulated processes start here (below the tasks' TASK_PID_BASE). */
    private readonly pidBase = 100,
  ) {}

  /** Told when a process drops its last mapping of a swap entry (exit, OOM kill). */
  onSwapDropped: (key: number, nrPages: number) => void = () => {}

  create(name: string): number {
    const pid = this.pidBase + this.procs.length
    this.procs.push({
      pid,
      name,
      mapped: new Map(),
      swapped: new Map(),
      nextVa: MMAP_BASE,
      exited: false,
      killed: false,
    })
    this.sched.charge(this.sched.cost.bookkeepingNs)
    return pid
  }

  private get(pid: number, what: string): SimProcess {
    const p = this.procs[pid - this.pidBase]
    if (!p) throw new RangeError(`${what}: no process with pid ${pid}`)
    if (p.exited) {
      const how = p.killed ? 'was killed by the OOM killer' : 'has exited'
      throw new Error(`${what}: process ${p.name} (pid ${p.pid}) ${how}`)
    }
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
    // folio_add_new_anon_rmap on a folio that was not anon yet: one more anon folio of its size.
    if ((pageFlags(this.m, head) & PG_anon) === 0 && folioOrder(this.m, head) > 0)
      modMthpStat(this.m, folioOrder(this.m, head), MTHP_STAT_NR_ANON, 1)
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

  /**
   * exit_mmap: unmaps every folio and frees its swap entries (free_swap_and_cache); one TLB
   * flush for the whole address space. `charge`: false when the OOM killer reaps it inside
   * an allocation whose latency already counts the kill.
   */
  exit(pid: number, charge = true): void {
    const p = this.get(pid, 'exit')
    for (const [head, n] of p.mapped) for (let i = 0; i < n; i++) this.zap(head, charge)
    p.mapped.clear()
    p.exited = true
    const swapped = [...p.swapped]
    p.swapped.clear()
    for (const [key, e] of swapped) this.onSwapDropped(key, e.nrPages)
    if (charge) this.sched.charge(this.sched.cost.tlbFlushNs)
  }

  /** Pages mapped by the process (its RSS), counting each mapping. */
  rssPages(pid: number): number {
    return this.resident(this.get(pid, 'rssPages'))
  }

  /** Swap entries of the process (MM_SWAPENTS), in base pages. */
  swapPages(pid: number): number {
    return this.swapents(this.get(pid, 'swapPages'))
  }

  private resident(p: SimProcess): number {
    let pages = 0
    for (const [head, n] of p.mapped) pages += n * 2 ** folioOrder(this.m, head)
    return pages
  }

  private swapents(p: SimProcess): number {
    let pages = 0
    for (const e of p.swapped.values()) pages += e.n * e.nrPages
    return pages
  }

  /**
   * mm/oom_kill.c:out_of_memory → select_bad_process: the live process with the largest
   * `oom_badness` (rss + swap entries; no page-table pages in the model), killed and reaped
   * (exit_mmap). Null when no process holds memory.
   */
  oomKill(): { pid: number; comm: string; freedPages: number } | null {
    let victim: SimProcess | null = null
    let best = 0
    for (const p of this.procs) {
      if (p.exited) continue
      const points = this.resident(p) + this.swapents(p)
      if (points > best) {
        best = points
        victim = p
      }
    }
    if (victim === null) return null
    const freedPages = this.resident(victim)
    this.exit(victim.pid, false)
    victim.killed = true
    return { pid: victim.pid, comm: victim.name.slice(0, 15), freedPages }
  }

  private zap(head: number, charge = true): void {
    const nrPages = 2 ** folioOrder(this.m, head)
    folioAddMapcount(this.m, head, -1)
    if (charge) this.sched.charge(this.sched.cost.pteUnmapNs * nrPages)
    folioPutLru(this.m, head)
  }

  /** try_to_unmap into swap: each process's mappings of `head` become the swap entry. */
  unmapped(head: number, nrPages: number, slot: number): void {
    for (const p of this.procs) {
      const n = p.mapped.get(head)
      if (n === undefined) continue
      p.mapped.delete(head)
      if (slot >= 0) p.swapped.set(-(slot + 1), { nrPages, n })
    }
  }

  /** True if a live process still maps the swap entry `key`. */
  mapsSwap(key: number): boolean {
    return this.procs.some((p) => !p.exited && p.swapped.has(key))
  }

  /**
   * The swap entry `key` was faulted back into `pfns` (order-0 pages, each with one reference
   * and one mapping already): every process mapping it maps each page again (a reference and a
   * mapcount per mapping, as do_swap_page gives each fault). `preMapped`: the pages' existing
   * mapping is not the default process's, so the first process takes it over.
   */
  swappedIn(key: number, pfns: readonly number[], preMapped: boolean): void {
    let pre = preMapped ? 1 : 0
    for (const p of this.procs) {
      const e = p.swapped.get(key)
      if (e === undefined) continue
      p.swapped.delete(key)
      for (const pfn of pfns) {
        for (let i = pre; i < e.n; i++) {
          folioGet(this.m, pfn)
          folioAddMapcount(this.m, pfn, 1)
        }
        p.mapped.set(pfn, (p.mapped.get(pfn) ?? 0) + e.n)
      }
      pre = 0
    }
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
