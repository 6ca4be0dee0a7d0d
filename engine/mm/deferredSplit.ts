/**
 * The deferred split queue of large anonymous folios and the per-size mTHP counters
 * (mm/huge_memory.c, include/linux/huge_mm.h; 6.12 unless noted).
 *
 * - `deferred_split_folio(folio, partially_mapped)` puts a large anon folio on its node's
 *   `split_queue` (`_deferred_list`); `folio_unqueue_deferred_split` takes it off (free, split,
 *   migration of the source). The deferred-split shrinker (engine/reclaim/shrinker.ts) walks the
 *   queue from its head.
 * - [6.12] `PG_partially_mapped` ("mm: introduce a pageflag for partially mapped folios",
 *   Usama Arif's "mm: split underused THPs" series, dafff3f4c850): set when a PTE unmap leaves the
 *   folio partly mapped; counted `split_deferred` and `nr_anon_partially_mapped` per size, and
 *   `thp_deferred_split_page` for PMD-size folios. Before 6.12 a folio was queued without the flag
 *   and the shrinker split whatever was queued.
 * - The per-size counters `/sys/kernel/mm/transparent_hugepage/hugepages-<size>kB/stats/<item>`
 *   (`enum mthp_stat_item`, 6.12's 13 items), kept for orders 1..HPAGE_PMD_ORDER as
 *   `mod_mthp_stat` does (order 0 is ignored).
 *
 * State is per machine and plain data. The queue is an array of (pfn, seq) entries in list
 * order with lazy deletion: an entry is live while `pos[pfn] === seq`; dead entries are
 * compacted away when they outnumber the live ones.
 */
import { defineMachineState, peekMachineState } from './machineState'
import { type Machine, eraAtLeast } from './machine'
import {
  PAGE_ALLOC,
  PG_anon,
  PG_head,
  PG_partially_mapped,
  pageFlags,
  pageOrder,
  setPageFlags,
} from './memmap'
import { HPAGE_PMD_ORDER } from './pcpIndex'
import { VM_THP_DEFERRED_SPLIT_PAGE } from './vmstatItems'

/** `enum mthp_stat_item` (6.12), by the names of the files in `hugepages-<size>kB/stats/`. */
export const MTHP_STAT_ITEMS = [
  'anon_fault_alloc',
  'anon_fault_fallback',
  'anon_fault_fallback_charge',
  'swpout',
  'swpout_fallback',
  'shmem_alloc',
  'shmem_fallback',
  'shmem_fallback_charge',
  'split',
  'split_failed',
  'split_deferred',
  'nr_anon',
  'nr_anon_partially_mapped',
] as const
export type MthpStatItem = (typeof MTHP_STAT_ITEMS)[number]
export const MTHP_STAT_ANON_FAULT_ALLOC = 0
export const MTHP_STAT_ANON_FAULT_FALLBACK = 1
export const MTHP_STAT_SWPOUT = 3
export const MTHP_STAT_SWPOUT_FALLBACK = 4
export const MTHP_STAT_SPLIT = 8
export const MTHP_STAT_SPLIT_FAILED = 9
export const MTHP_STAT_SPLIT_DEFERRED = 10
export const MTHP_STAT_NR_ANON = 11
export const MTHP_STAT_NR_ANON_PARTIALLY_MAPPED = 12
const NR_MTHP_STAT_ITEMS = MTHP_STAT_ITEMS.length

/** One machine's deferred split queues (per node), shrinker state and mTHP counters. */
export interface DeferredSplitState {
  /** Per node: queue entries in list order (head first), pfn and seq side by side. */
  qPfn: number[][]
  qSeq: number[][]
  /** Per node: `split_queue_len`. */
  len: number[]
  /** Queued folio head pfn → the seq of its live entry. */
  pos: Record<number, number>
  nextSeq: number
  /** Per node: the shrinker's `nr_deferred` (scan work carried over, mm/shrinker.c). */
  nrDeferred: number[]
  /** `mthp_stats.stats[order][item]` summed over CPUs: index `order * 13 + item`. */
  mthp: number[]
}

const DEFERRED_SPLIT_KEY = 'mm.deferredSplit'

/** The machine's state (created empty on first use; snapshotted with the machine). */
export const deferredSplitState = defineMachineState(
  DEFERRED_SPLIT_KEY,
  (m: Machine): DeferredSplitState => {
    const n = m.cfg.nrNodes
    return {
      qPfn: Array.from({ length: n }, () => []),
      qSeq: Array.from({ length: n }, () => []),
      len: new Array<number>(n).fill(0),
      pos: {},
      nextSeq: 1,
      nrDeferred: new Array<number>(n).fill(0),
      mthp: new Array<number>((HPAGE_PMD_ORDER + 1) * NR_MTHP_STAT_ITEMS).fill(0),
    }
  },
)

function nidOf(m: Machine, pfn: number): number {
  return m.zones[m.pbZone[pfn >> m.pageblockOrder]].nid
}

/** `mod_mthp_stat(order, item, delta)`: ignored outside orders 1..PMD_ORDER. */
export function modMthpStat(m: Machine, order: number, item: number, delta: number): void {
  if (order <= 0 || order > HPAGE_PMD_ORDER) return
  deferredSplitState(m).mthp[order * NR_MTHP_STAT_ITEMS + item] += delta
}

/** `sum_mthp_stat(order, item)`. */
export function mthpStat(m: Machine, order: number, item: MthpStatItem | number): number {
  const i = typeof item === 'number' ? item : MTHP_STAT_ITEMS.indexOf(item)
  if (i < 0 || i >= NR_MTHP_STAT_ITEMS) throw new RangeError(`no mTHP stat item ${String(item)}`)
  if (!Number.isInteger(order) || order <= 0 || order > HPAGE_PMD_ORDER) return 0
  return deferredSplitState(m).mthp[order * NR_MTHP_STAT_ITEMS + i]
}

/** `folio_test_partially_mapped()`. */
export function folioTestPartiallyMapped(m: Machine, head: number): boolean {
  return (pageFlags(m, head) & PG_partially_mapped) !== 0
}

/** `!list_empty(&folio->_deferred_list)`. */
export function folioOnDeferredList(m: Machine, head: number): boolean {
  const s = peekMachineState<DeferredSplitState>(m, DEFERRED_SPLIT_KEY)
  return s !== undefined && s.pos[head] !== undefined
}

/** `split_queue_len` of node `nid` (`deferred_split_count`). */
export function deferredSplitCount(m: Machine, nid: number): number {
  const s = peekMachineState<DeferredSplitState>(m, DEFERRED_SPLIT_KEY)
  return s === undefined ? 0 : s.len[nid]
}

/**
 * `deferred_split_folio(folio, partially_mapped)` (6.12; `deferred_split_folio(folio)` before,
 * which had no flag): order ≤ 1 folios have no `_deferred_list`; a non-partially-mapped folio is
 * queued only with `split_underused_thp` (6.12, default on); a swap-cache folio is left to
 * reclaim (`inSwapCache`).
 */
export function deferredSplitFolio(
  m: Machine,
  head: number,
  partiallyMapped: boolean,
  inSwapCache = false,
): void {
  const order = pageOrder(m, head)
  if ((pageFlags(m, head) & PG_head) === 0 || order <= 1) return
  const flagged = eraAtLeast(m, '6.12')
  if (!partiallyMapped && !flagged) return
  if (inSwapCache) return
  const s = deferredSplitState(m)
  const queued = s.pos[head] !== undefined
  if (partiallyMapped && flagged && !folioTestPartiallyMapped(m, head)) {
    setPageFlags(m, head, pageFlags(m, head) | PG_partially_mapped)
    if (order >= HPAGE_PMD_ORDER) m.vmEvents[VM_THP_DEFERRED_SPLIT_PAGE]++
    modMthpStat(m, order, MTHP_STAT_SPLIT_DEFERRED, 1)
    modMthpStat(m, order, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, 1)
  } else if (!flagged && !queued) {
    // ≤6.11: counted when the folio is first queued.
    if (order >= HPAGE_PMD_ORDER) m.vmEvents[VM_THP_DEFERRED_SPLIT_PAGE]++
    modMthpStat(m, order, MTHP_STAT_SPLIT_DEFERRED, 1)
  }
  if (queued) return
  const nid = nidOf(m, head)
  const seq = s.nextSeq++
  s.pos[head] = seq
  s.qPfn[nid].push(head)
  s.qSeq[nid].push(seq)
  s.len[nid]++
}

/** Clear PG_partially_mapped with its counter (`folio_clear_partially_mapped` + mod_mthp_stat). */
function clearPartiallyMapped(m: Machine, head: number): void {
  if (!folioTestPartiallyMapped(m, head)) return
  setPageFlags(m, head, pageFlags(m, head) & ~PG_partially_mapped)
  modMthpStat(m, pageOrder(m, head), MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1)
}

/**
 * `__folio_unqueue_deferred_split()`: off the queue (`split_queue_len--`), PG_partially_mapped
 * cleared. Returns whether it was queued. Also the unqueue of a successful split
 * (`split_huge_page_to_list_to_order` under `folio_ref_freeze`).
 */
export function folioUnqueueDeferredSplit(m: Machine, head: number): boolean {
  const s = peekMachineState<DeferredSplitState>(m, DEFERRED_SPLIT_KEY)
  if (s === undefined || s.pos[head] === undefined) return false
  delete s.pos[head]
  s.len[nidOf(m, head)]--
  clearPartiallyMapped(m, head)
  return true
}

/** `pos` of a folio on a running `deferred_split_scan`'s on-stack list (still counted in len). */
const ON_SCAN_LIST = -1

/**
 * Take up to `nrToScan` queued folios off node `nid`'s queue head, in list order (the first loop
 * of `deferred_split_scan`, which moves them to its on-stack list). They stay "queued" for
 * everybody else (`split_queue_len` still counts them, `deferred_split_folio` leaves them, a
 * split or free takes them off) until `deferredSplitScanDone` puts the survivors back at the tail.
 */
export function deferredSplitTakeHead(m: Machine, nid: number, nrToScan: number): number[] {
  const s = deferredSplitState(m)
  const qp = s.qPfn[nid]
  const qs = s.qSeq[nid]
  const out: number[] = []
  let i = 0
  for (; i < qp.length && out.length < nrToScan; i++) {
    if (s.pos[qp[i]] !== qs[i]) continue
    out.push(qp[i])
  }
  qp.splice(0, i)
  qs.splice(0, i)
  for (const h of out) s.pos[h] = ON_SCAN_LIST
  return out
}

/**
 * The end of `deferred_split_scan`: `keep` (still partially mapped, not split) go back at the
 * tail (`list_splice_tail`), `drop` leave the queue (`list_del_init`, `split_queue_len -=
 * removed`). Folios a split or free already took off are skipped.
 */
export function deferredSplitScanDone(
  m: Machine,
  nid: number,
  keep: readonly number[],
  drop: readonly number[],
): void {
  const s = deferredSplitState(m)
  for (const h of drop) {
    if (s.pos[h] !== ON_SCAN_LIST) continue
    delete s.pos[h]
    s.len[nid]--
  }
  for (const h of keep) {
    if (s.pos[h] !== ON_SCAN_LIST) continue
    const seq = s.nextSeq++
    s.pos[h] = seq
    s.qPfn[nid].push(h)
    s.qSeq[nid].push(seq)
  }
  compactQueue(s, nid)
}

function compactQueue(s: DeferredSplitState, nid: number): void {
  const qp = s.qPfn[nid]
  const qs = s.qSeq[nid]
  if (qp.length <= 2 * s.len[nid] + 64) return
  let w = 0
  for (let r = 0; r < qp.length; r++) {
    if (s.pos[qp[r]] !== qs[r]) continue
    qp[w] = qp[r]
    qs[w] = qs[r]
    w++
  }
  qp.length = w
  qs.length = w
}

/**
 * What `free_pages_prepare` and `__folio_put` do for a large anon folio being freed:
 * `folio_unqueue_deferred_split` and `mod_mthp_stat(order, MTHP_STAT_NR_ANON, -1)`.
 */
export function freeLargeAnonFolio(m: Machine, head: number, order: number): void {
  const s = peekMachineState<DeferredSplitState>(m, DEFERRED_SPLIT_KEY)
  if (s === undefined) return
  if (s.pos[head] !== undefined) {
    delete s.pos[head]
    s.len[nidOf(m, head)]--
    compactQueue(s, nidOf(m, head))
  }
  if ((pageFlags(m, head) & PG_partially_mapped) !== 0)
    modMthpStat(m, order, MTHP_STAT_NR_ANON_PARTIALLY_MAPPED, -1)
  if ((pageFlags(m, head) & PG_anon) !== 0) modMthpStat(m, order, MTHP_STAT_NR_ANON, -1)
}

/**
 * Invariants of the queue (for engine/mm's checkInvariants): every queued folio is an allocated
 * large head of order > 1, `split_queue_len` counts the live entries of its node, and
 * PG_partially_mapped is set only on queued folios (`nr_anon_partially_mapped` of each order
 * counts them). Returns a message, or null.
 */
export function checkDeferredSplit(m: Machine): { pfn: number; message: string } | null {
  const s = peekMachineState<DeferredSplitState>(m, DEFERRED_SPLIT_KEY)
  if (s === undefined) return null
  const live = new Array<number>(m.cfg.nrNodes).fill(0)
  const flagged = new Array<number>(HPAGE_PMD_ORDER + 1).fill(0)
  for (const key of Object.keys(s.pos)) {
    const h = Number(key)
    const f = pageFlags(m, h)
    if ((f & (PAGE_ALLOC | PG_head)) !== (PAGE_ALLOC | PG_head) || pageOrder(m, h) <= 1)
      return { pfn: h, message: 'a folio on the deferred split queue is not a large folio head' }
    live[nidOf(m, h)]++
    if ((f & PG_partially_mapped) !== 0 && pageOrder(m, h) <= HPAGE_PMD_ORDER)
      flagged[pageOrder(m, h)]++
  }
  for (let p = 0; p < m.endPfn; p++)
    if ((m.pg[p << 2] & PG_partially_mapped) !== 0 && s.pos[p] === undefined)
      return { pfn: p, message: 'PG_partially_mapped on a folio that is not queued' }
  for (let nid = 0; nid < live.length; nid++)
    if (live[nid] !== s.len[nid])
      return {
        pfn: -1,
        message: `split_queue_len ${s.len[nid]} of node ${nid}, ${live[nid]} queued`,
      }
  for (let o = 2; o <= HPAGE_PMD_ORDER; o++)
    if (flagged[o] !== s.mthp[o * NR_MTHP_STAT_ITEMS + MTHP_STAT_NR_ANON_PARTIALLY_MAPPED])
      return {
        pfn: -1,
        message: `nr_anon_partially_mapped of order ${o} is ${s.mthp[o * NR_MTHP_STAT_ITEMS + MTHP_STAT_NR_ANON_PARTIALLY_MAPPED]}, ${flagged[o]} queued folios are`,
      }
  return null
}
