/**
 * The steps the calibration workloads share (/work/shared/calibration README, "The workload"),
 * each as the guest's program drives the kernel:
 * - `fillAnon` [do_anonymous_page / alloc_anon_folio (6.12)]: the mapping is touched in address
 *   order; every new 2 MiB of virtual address first allocates its PTE page (`__pte_alloc`,
 *   unmovable GFP_KERNEL), then each folio (order 0, or an mTHP order with
 *   GFP_TRANSHUGE_LIGHT, falling back to order 0 as `alloc_anon_folio` does) becomes a mapped
 *   anon LRU folio.
 * - `fragmentAnon` [madvise(MADV_DONTNEED) → zap_pte_range → folios_put]: of every run of P
 *   pages of the mapping the first K stay, the others are unmapped and freed.
 * - `vmCounters` / `vmDelta`: the vmstat events a phase is compared on.
 */
import { allocPages } from '../mm/alloc'
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL, GFP_TRANSHUGE_LIGHT } from '../mm/gfp'
import { type Machine } from '../mm/machine'
import { NO_PAGE } from '../mm/memmap'
import { vmEventCount } from '../mm/vmstat'
import {
  VM_COMPACTFAIL,
  VM_COMPACTFREE_SCANNED,
  VM_COMPACTISOLATED,
  VM_COMPACTMIGRATE_SCANNED,
  VM_COMPACTSTALL,
  VM_COMPACTSUCCESS,
  VM_PGMIGRATE_FAIL,
  VM_PGMIGRATE_SUCCESS,
} from '../mm/vmstatItems'
import { folioOrder as folioOrderOf } from '../mm/folio'
import { makeAnonLruFolio } from '../migrate/anonFolio'
import { folioPutLru } from '../migrate/isolate'

/** The vmstat events the calibration compares, by their /proc/vmstat names. */
export const CALIBRATION_EVENTS = {
  compact_migrate_scanned: VM_COMPACTMIGRATE_SCANNED,
  compact_free_scanned: VM_COMPACTFREE_SCANNED,
  compact_isolated: VM_COMPACTISOLATED,
  compact_stall: VM_COMPACTSTALL,
  compact_success: VM_COMPACTSUCCESS,
  compact_fail: VM_COMPACTFAIL,
  pgmigrate_success: VM_PGMIGRATE_SUCCESS,
  pgmigrate_fail: VM_PGMIGRATE_FAIL,
} as const

export type CalibrationEvent = keyof typeof CALIBRATION_EVENTS
export type VmCounters = Record<CalibrationEvent, number>

export function vmCounters(m: Machine): VmCounters {
  const out = {} as VmCounters
  for (const [name, item] of Object.entries(CALIBRATION_EVENTS))
    out[name as CalibrationEvent] = vmEventCount(m, item)
  return out
}

/** `after − before` for every event. */
export function vmDelta(before: VmCounters, after: VmCounters): VmCounters {
  const out = {} as VmCounters
  for (const k of Object.keys(before) as CalibrationEvent[]) out[k] = after[k] - before[k]
  return out
}

export function freeKb(m: Machine): number {
  let n = 0
  for (const z of m.zones) n += z.nrFreePages
  return n * 4
}

/** Pages per pageblock of the first `n` pfns (index = pfn >> pageblock_order). */
export function perPageblock(m: Machine, pfns: ArrayLike<number>, n: number): number[] {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const b = pfns[i] >> m.pageblockOrder
    while (out.length <= b) out.push(0)
    out[b]++
  }
  return out
}

/** /proc/buddyinfo's counts: free blocks per zone and order (per-cpu pages are not free). */
export function buddyCounts(m: Machine): number[][] {
  return m.zones.map((z) =>
    Array.from(m.nrFree.subarray(z.id * m.nrOrders, (z.id + 1) * m.nrOrders)),
  )
}

export interface AnonFill {
  /** pfn of each page of the mapping, in address order (`n` of them). */
  pages: Int32Array
  n: number
  pageTablePages: number
  /** Folios of `folioOrder` obtained, and those that fell back to order-0 pages. */
  nrFolios: number
  nrFallback: number
}

/**
 * Touches `nrPages` of an anonymous mapping in address order (see the file comment). Stops at
 * the first allocation failure.
 */
export function fillAnon(m: Machine, nrPages: number, folioOrder = 0): AnonFill {
  const pages = new Int32Array(nrPages)
  const step = 1 << folioOrder
  let n = 0
  let pageTablePages = 0
  let nrFolios = 0
  let nrFallback = 0
  out: while (n + step <= nrPages) {
    if (n % 512 === 0) {
      if (allocPages(m, GFP_KERNEL, 0) === NO_PAGE) break
      pageTablePages++
    }
    if (folioOrder > 0) {
      const head = allocPages(m, GFP_TRANSHUGE_LIGHT, folioOrder)
      if (head !== NO_PAGE) {
        makeAnonLruFolio(m, head, 1)
        for (let i = 0; i < step; i++) pages[n++] = head + i
        nrFolios++
        continue
      }
      nrFallback++
    }
    for (let i = 0; i < step; i++) {
      const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
      if (pfn === NO_PAGE) break out
      makeAnonLruFolio(m, pfn, 1)
      pages[n++] = pfn
    }
  }
  return { pages, n, pageTablePages, nrFolios, nrFallback }
}

/**
 * Keeps the first `keep` of every `period` pages of the mapping and frees the others (whole
 * folios: with an mTHP fill, P and K are multiples of the folio size). Returns the kept pfns.
 */
export function fragmentAnon(
  m: Machine,
  fill: AnonFill,
  period: number,
  keep: number,
  folioOrder = 0,
): Int32Array {
  const step = 1 << folioOrder
  if (period % step !== 0 || keep % step !== 0)
    throw new RangeError(`fragmentAnon: P and K must be multiples of ${step} pages`)
  const kept = new Int32Array(fill.n)
  let nrKept = 0
  for (let i = 0; i < fill.n; i += step) {
    if (i % period < keep) {
      for (let j = 0; j < step; j++) kept[nrKept++] = fill.pages[i + j]
      continue
    }
    // A folio that fell back to order 0 is freed page by page.
    const whole = step > 1 && folioOrderOf(m, fill.pages[i]) === folioOrder
    for (let j = 0; j < (whole ? 1 : step); j++) {
      m.mapcount[fill.pages[i + j]] = 0
      folioPutLru(m, fill.pages[i + j])
    }
  }
  return kept.subarray(0, nrKept)
}

/** Where the kept pages sit within each period of pfns. */
export interface KeptPhase {
  phase: number
  /** Kept pages at that phase. */
  count: number
}

/**
 * The kept pages' phase as the guest's `kv.pb_kept_phase` (keptPhase.ts): the most common
 * `(pfn − i) mod period` over the kept pages, i being the page's index in the mapping.
 */
export function keptPhase(kept: ArrayLike<number>, period: number, keep: number): KeptPhase {
  if (!(keep > 0 && keep <= period)) throw new RangeError('keptPhase: keep must be in 1..period')
  const counts = new Int32Array(period)
  for (let j = 0; j < kept.length; j++) {
    const i = Math.floor(j / keep) * period + (j % keep)
    counts[(((kept[j] - i) % period) + period) % period]++
  }
  let phase = 0
  for (let p = 1; p < period; p++) if (counts[p] > counts[phase]) phase = p
  return { phase, count: counts[phase] }
}

