/**
 * The host side of the workload API: binds the primitive call table (KernelSys) to the
 * memory model (engine/mm), the /proc formatters (engine/proc) and the scheduler
 * (engine/sched). Every call charges the calling task's simulated clock from the cost model.
 */
import { folioMarkYoung, mapNewAnonFolio, onFolioUnmapped, swapFree } from '../reclaim'
import { folioPutLru } from '../migrate/isolate'
import {
  __GFP_MOVABLE,
  compoundHead,
  folioAddMapcount,
  folioGet,
  folioMapcount,
  folioOrder,
  folioTryGet,
  freePages,
  NO_PAGE,
  pageFlags,
  PG_reserved,
  PG_lru,
  traceSubscribe,
  TRACE_EVENT_NAMES,
  type TraceEventName,
  zoneInfo,
  type Machine,
} from '../mm'
import type { VirtioMemDevice } from '../virtioMem'
import { ContigOps } from './contigOps'
import type { Design } from './design'
import { FolioHandles } from './folioHandles'
import { MmOps } from './mmOps'
import { createMmSys } from './mmSys'
import type { MmRecorder } from './mmRecorder'
import { vmSysctlGet, vmSysctlSet } from './vmSysctl'
import { allVmstat } from './vmstatAll'
import { readMthpStat, THP_STATS_PATH } from './thpSysfs'
import { formatBuddyinfo } from '../proc/buddyinfo'
import { formatExtfragIndex, formatUnusableIndex } from '../proc/extfrag'
import { formatPagetypeinfo } from '../proc/pagetypeinfo'
import { formatVmstat } from '../proc/vmstat'
import { PageLocks } from '../sched/pageLocks'
import type { Scheduler } from '../sched/scheduler'
import {
  allocationOrder,
  assertLiveFolio,
  assertPfn,
  markFolioDirty,
  mlockFolio,
  munlockFolio,
  pinFolio,
  setFolioLocked,
  setFolioWriteback,
  unpinFolio,
} from './folioOps'
import type { KernelSys } from './kernelSys'
import { ProcessTable } from './simProcess'
import type { Rng } from './rng'
import type { SeriesRecorder } from './series'
import { sysctlGet, sysctlSet } from './sysctl'

export interface KernelHooks {
  log(level: 'info' | 'warn', text: string): void
  /** The workload reported progress (0..1). */
  progress(fraction: number): void
}

export interface KernelDeps {
  machine: Machine
  sched: Scheduler
  rng: Rng
  series: SeriesRecorder
  hooks: KernelHooks
  design: Design
  recorder: MmRecorder
  virtioMem: VirtioMemDevice | null
}

/** The kernel files `procRead` serves, by path. */
export const PROC_FILES = [
  '/proc/buddyinfo',
  '/proc/pagetypeinfo',
  '/proc/vmstat',
  '/sys/kernel/debug/extfrag/unusable_index',
  '/sys/kernel/debug/extfrag/extfrag_index',
] as const

export function readProcFile(m: Machine, path: string): string {
  switch (path) {
    case '/proc/buddyinfo':
      return formatBuddyinfo(zoneInfo(m))
    case '/proc/pagetypeinfo':
      return formatPagetypeinfo(zoneInfo(m), { pageblockOrder: m.pageblockOrder })
    case '/proc/vmstat':
      return formatVmstat(allVmstat(m))
    case '/sys/kernel/debug/extfrag/unusable_index':
      return formatUnusableIndex(zoneInfo(m))
    case '/sys/kernel/debug/extfrag/extfrag_index':
      return formatExtfragIndex(zoneInfo(m))
  }
  const thp = THP_STATS_PATH.exec(path)
  if (thp) return `${readMthpStat(m, Number(thp[1]), thp[2])}\n`
  throw new RangeError(
    `no such file: ${path} (the model serves ${PROC_FILES.join(', ')} and ` +
      '/sys/kernel/mm/transparent_hugepage/hugepages-<size>kB/stats/<item>)',
  )
}

function checkOrder(m: Machine, order: number, what: string): void {
  if (!Number.isInteger(order) || order < 0 || order > m.maxOrder) {
    throw new RangeError(`${what}: order ${order} is not in 0..${m.maxOrder} (MAX_PAGE_ORDER)`)
  }
}

function checkGfp(gfp: number): void {
  if (!Number.isInteger(gfp) || gfp < 0 || gfp >= 2 ** 31) {
    throw new RangeError(
      `allocPages: gfp ${gfp} is not a GFP mask (use GFP_KERNEL, GFP_HIGHUSER_MOVABLE, ...)`,
    )
  }
}

export interface Kernel {
  sys: KernelSys
  locks: PageLocks
  ops: MmOps
  contig: ContigOps
  handles: FolioHandles
}

export function createKernel(deps: KernelDeps): Kernel {
  const { machine: m, sched, rng, series, hooks, recorder } = deps
  const cost = sched.cost
  const ops = new MmOps(m, sched, deps.design, recorder)
  const contig = new ContigOps(m, ops, recorder, deps.virtioMem)
  const handles = new FolioHandles(m)
  // A task asking for a folio's lock waits out migration's hold of it, also when its handle
  // has followed the folio to the destination (the hold was recorded on the source pfn).
  const locks = new PageLocks(
    sched,
    {
      freeAtNs(pfn, atNs) {
        let t = ops.locks.freeAtNs(pfn, atNs)
        const src = handles.movedFrom.get(pfn)
        if (src !== undefined) t = Math.max(t, ops.locks.freeAtNs(src, atNs))
        return t
      },
    },
    (_pfn, waitNs, external) => {
      recorder.histograms.add('folio_lock_wait_ns', waitNs)
      if (external) recorder.histograms.add('folio_lock_wait_migration_ns', waitNs)
    },
  )
  const procs = new ProcessTable(m, sched)
  handles.onMoved((src, dst) => procs.moved(src, dst))
  handles.onSplit((head, pieces) => procs.split(head, pieces))
  // try_to_unmap by reclaim: PTEs become swap entries (anon) or go (file).
  onFolioUnmapped(m, (head, nrPages, slot) => {
    handles.unmapped(head, nrPages, slot)
    procs.unmapped(head, nrPages, slot)
  })
  /** free_swap_and_cache once no mapping of the swap entry `key` is left. */
  function releaseSwap(key: number, nrPages: number): void {
    if (handles.defaultSwapped.has(key) || procs.mapsSwap(key)) return
    handles.dropSwap(key)
    swapFree(m, -key - 1, nrPages)
  }
  procs.onSwapDropped = releaseSwap
  ops.reclaim.oomKill = () => procs.oomKill()

  /**
   * The allocation's reference of a movable folio is the default process's mapping: dropping
   * it zaps that mapping too (folio_remove_rmap + the page table's put).
   */
  function putAllocationRef(pfn: number): void {
    const head = compoundHead(m, pfn)
    const range = handles.takeDefaultRange(head)
    if (range.length === 0) {
      folioPutLru(m, head)
      return
    }
    // zap_pte_range over the original allocation: every piece of a split folio goes too.
    for (const p of range) {
      if (p < 0) {
        const nrPages = handles.defaultSwapped.get(p) ?? 1
        handles.defaultSwapped.delete(p)
        releaseSwap(p, nrPages)
        continue
      }
      handles.defaultMapped.delete(p)
      folioAddMapcount(m, p, -1)
      sched.charge(cost.pteUnmapNs * 2 ** folioOrder(m, p))
      folioPutLru(m, p)
    }
  }
  const traceOffs = new Map<number, () => void>()
  let nextTraceId = 1

  /** Refuses to free a folio the model still considers locked or under writeback (bad_page). */
  function checkFreeable(pfn: number, what: string): void {
    pfn = compoundHead(m, pfn)
    if (m.refcount[pfn] !== 1) return
    if (locks.isLocked(pfn) || locks.isUnderWriteback(pfn)) {
      const state = locks.isLocked(pfn) ? 'locked' : 'under writeback'
      throw new Error(
        `${what}: BUG: Bad page state: freeing folio at pfn 0x${pfn.toString(16)} while ${state}`,
      )
    }
  }

  const sys: KernelSys = {
    allocPages(gfp, order) {
      checkGfp(gfp)
      checkOrder(m, order, 'allocPages')
      const pfn = ops.allocPages(gfp, order)
      if (pfn === NO_PAGE) return -1
      handles.allocated(pfn)
      if ((gfp & __GFP_MOVABLE) !== 0) {
        // do_anonymous_page: an anon LRU folio mapped once by the default process, with the
        // fault's per-size counters (and, 6.12, a THP's deferred-split queueing).
        mapNewAnonFolio(m, pfn, order)
        handles.defaultMapped.add(pfn)
        sched.charge(cost.pteMapNs * 2 ** order)
      }
      return pfn
    },
    freePages(pfn, order) {
      assertLiveFolio(m, pfn, 'freePages')
      checkOrder(m, order, 'freePages')
      checkFreeable(pfn, 'freePages')
      // A user folio's reference goes through folio_put (__page_cache_release takes it off the
      // LRU), also once its mapping was dropped: __free_pages of an LRU page is a bad page.
      const head = compoundHead(m, pfn)
      if (handles.defaultMapped.has(head) || (pageFlags(m, head) & PG_lru) !== 0)
        putAllocationRef(pfn)
      else freePages(m, pfn, order)
      sched.charge(cost.freeNs)
    },
    folioGet(pfn) {
      assertLiveFolio(m, pfn, 'folioGet')
      folioGet(m, pfn)
      sched.charge(cost.bookkeepingNs)
    },
    folioPut(pfn) {
      assertLiveFolio(m, pfn, 'folioPut')
      checkFreeable(pfn, 'folioPut')
      const last = m.refcount[compoundHead(m, pfn)] === 1
      putAllocationRef(pfn)
      sched.charge(last ? cost.freeNs : cost.bookkeepingNs)
    },
    folioRefCount(pfn) {
      assertPfn(m, pfn, 'folioRefCount')
      return m.refcount[compoundHead(m, pfn)]
    },
    folioOrder(pfn) {
      assertPfn(m, pfn, 'folioOrder')
      return allocationOrder(m, pfn)
    },
    getPageUnlessZero(pfn) {
      // PFN walkers do folio_try_get(page_folio(page)): get_page_unless_zero on the head.
      assertPfn(m, pfn, 'getPageUnlessZero')
      sched.charge(cost.bookkeepingNs)
      // A PG_reserved page is boot memory, no folio: isolate_migratepages_block (6.12) and the
      // other walkers take no reference on a page that is neither on the LRU nor __PageMovable.
      if ((pageFlags(m, pfn) & PG_reserved) !== 0) return -1
      return folioTryGet(m, pfn) ? compoundHead(m, pfn) : -1
    },
    pin(pfn) {
      pinFolio(m, pfn)
      sched.charge(cost.pinNs * 2 ** folioOrder(m, pfn))
    },
    unpin(pfn) {
      assertPfn(m, pfn, 'unpin')
      const nrPages = 2 ** folioOrder(m, pfn)
      unpinFolio(m, pfn)
      sched.charge(cost.pinNs * nrPages)
    },
    folioLock(pfn) {
      assertLiveFolio(m, pfn, 'folioLock')
      pfn = compoundHead(m, pfn)
      const p = locks.lock(pfn)
      setFolioLocked(m, pfn, true)
      return p
    },
    folioTrylock(pfn) {
      assertLiveFolio(m, pfn, 'folioTrylock')
      pfn = compoundHead(m, pfn)
      const ok = locks.trylock(pfn)
      if (ok) setFolioLocked(m, pfn, true)
      return ok
    },
    folioUnlock(pfn) {
      assertPfn(m, pfn, 'folioUnlock')
      pfn = compoundHead(m, pfn)
      locks.unlock(pfn)
      setFolioLocked(m, pfn, locks.isLocked(pfn))
    },
    folioStartWriteback(pfn) {
      assertLiveFolio(m, pfn, 'folioStartWriteback')
      pfn = compoundHead(m, pfn)
      locks.startWriteback(pfn)
      setFolioWriteback(m, pfn, true)
    },
    folioEndWriteback(pfn) {
      assertPfn(m, pfn, 'folioEndWriteback')
      pfn = compoundHead(m, pfn)
      locks.endWriteback(pfn)
      setFolioWriteback(m, pfn, false)
    },
    folioWaitWriteback(pfn) {
      assertLiveFolio(m, pfn, 'folioWaitWriteback')
      pfn = compoundHead(m, pfn)
      return locks.waitWriteback(pfn)
    },
    handleSwapped(id) {
      return handles.isSwapped(id)
    },
    handleOrder(id) {
      if (!handles.isSwapped(id)) return allocationOrder(m, handles.pfn(id))
      return Math.log2(handles.swapNrPages(handles.swapKey(id)))
    },
    handleRelease(id) {
      const key = handles.swapKey(id)
      if (key === 0) throw new Error('free: the folio is not swapped out')
      const range = handles.takeDefaultRange(key)
      if (range.length === 0)
        throw new Error('free: the swapped-out folio is not mapped by the workload')
      for (const p of range) {
        if (p >= 0) {
          handles.defaultMapped.delete(p)
          folioAddMapcount(m, p, -1)
          folioPutLru(m, p)
          continue
        }
        const nrPages = handles.defaultSwapped.get(p) ?? 1
        handles.defaultSwapped.delete(p)
        releaseSwap(p, nrPages)
      }
      handles.release(id)
      sched.charge(cost.freeNs)
    },
    touch(id) {
      // The access covers the whole allocation the handle came from (every PTE of the range):
      // each swapped-out piece is faulted in (do_swap_page), each resident one gets its
      // accessed bit (folio_mark_young).
      const key = handles.swapKey(id)
      const first = key !== 0 ? key : handles.pfn(id)
      if (first >= 0) assertLiveFolio(m, first, 'touch')
      // Contiguous swap slots of the range are read together (swap readahead).
      const entries = handles
        .rangeOf(first)
        .filter((p) => p < 0)
        .map((key) => ({ key, slot: -key - 1, nrPages: handles.swapNrPages(key) }))
        .sort((a, b) => a.slot - b.slot)
      for (let i = 0; i < entries.length;) {
        let j = i + 1
        while (
          j < entries.length &&
          entries[j].slot === entries[j - 1].slot + entries[j - 1].nrPages
        )
          j++
        const run = entries.slice(i, j)
        const nrPages = run.reduce((n, e) => n + e.nrPages, 0)
        const byDefault = run.map((e) => handles.defaultSwapped.has(e.key))
        const pfns = ops.timed((clock) => ops.reclaim.swapin(run[0].slot, nrPages, clock)).value
        if (pfns === null) throw new Error('touch: out of memory: swap-in failed (VM_FAULT_OOM)')
        let at = 0
        run.forEach((e, k) => {
          const mine = pfns.slice(at, at + e.nrPages)
          at += e.nrPages
          handles.swappedIn(e.key, mine)
          procs.swappedIn(e.key, mine, !byDefault[k])
        })
        i = j
      }
      const major = entries.length > 0
      const now = handles.swapKey(id) !== 0 ? handles.swapKey(id) : handles.pfn(id)
      for (const p of handles.rangeOf(now))
        if (p >= 0 && m.refcount[compoundHead(m, p)] > 0) folioMarkYoung(m, compoundHead(m, p))
      sched.charge(cost.bookkeepingNs)
      return major
    },
    folioMapcount(pfn) {
      assertPfn(m, pfn, 'folioMapcount')
      return folioMapcount(m, pfn)
    },
    processCreate(name) {
      return procs.create(name)
    },
    processMap(pid, pfn) {
      return procs.map(pid, pfn)
    },
    processUnmap(pid, pfn) {
      assertPfn(m, pfn, 'unmap')
      checkFreeable(pfn, 'unmap')
      procs.unmap(pid, pfn)
    },
    processExit(pid) {
      procs.exit(pid)
    },
    processRss(pid) {
      return procs.rssPages(pid)
    },
    markDirty(pfn) {
      markFolioDirty(m, pfn)
      sched.charge(cost.bookkeepingNs)
    },
    mlock(pfn) {
      mlockFolio(m, pfn)
      sched.charge(cost.mlockNs * 2 ** folioOrder(m, pfn))
    },
    munlock(pfn) {
      munlockFolio(m, pfn)
      sched.charge(cost.mlockNs * 2 ** folioOrder(m, pfn))
    },
    sysctlGet(name) {
      return vmSysctlGet(ops, name) ?? sysctlGet(m, name)
    },
    sysctlSet(name, value) {
      sched.charge(cost.bookkeepingNs)
      if (!vmSysctlSet(ops, name, value)) sysctlSet(m, name, value)
    },
    procRead(path) {
      sched.charge(cost.bookkeepingNs)
      return readProcFile(m, path)
    },
    vmstatValue(name) {
      for (const [k, v] of allVmstat(m)) if (k === name) return v
      throw new RangeError(`vmstat: no counter named ${JSON.stringify(name)}`)
    },
    traceOn(tracepoint, cb) {
      if (!(TRACE_EVENT_NAMES as readonly string[]).includes(tracepoint)) {
        throw new RangeError(
          `trace.on: no tracepoint ${JSON.stringify(tracepoint)} (the model emits ${TRACE_EVENT_NAMES.join(', ')})`,
        )
      }
      const off = traceSubscribe(m, tracepoint as TraceEventName, (ev: object) => {
        const fields: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(ev)) if (k !== 'name') fields[k] = v
        cb(tracepoint, sched.clockNs(), JSON.stringify(fields))
      })
      const id = nextTraceId++
      traceOffs.set(id, off)
      return id
    },
    traceOff(id) {
      traceOffs.get(id)?.()
      traceOffs.delete(id)
    },
    record(name, value) {
      series.record(name, sched.clockNs(), value)
    },
    rngNext() {
      return rng.next()
    },
    now() {
      return sched.clockNs()
    },
    sleep(ns) {
      return sched.sleep(ns)
    },
    spawn(name, fn, cpu, daemon) {
      return sched.spawn(name, fn, { cpu, daemon }).id
    },
    join(taskId) {
      const t = sched.tasks[taskId]
      if (!t) throw new RangeError(`join: no task ${taskId}`)
      return sched.join(t)
    },
    progress(fraction) {
      if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
        throw new RangeError(`progress(${fraction}): fraction must be within 0..1`)
      }
      hooks.progress(fraction)
    },
    log(level, text) {
      hooks.log(level, text)
    },
    ...createMmSys({ m, sched, ops, contig, handles, checkFreeable }),
  }
  return { sys, locks, ops, contig, handles }
}
