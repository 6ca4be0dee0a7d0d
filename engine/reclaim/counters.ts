/**
 * Reclaim's /proc/vmstat events and tracepoints. engine/mm's registry has no slots for them yet,
 * so they live on a per-machine side table with the kernel's names (`vmstat_text[]`); the LRU
 * gauges (nr_inactive_anon, …) are computed from the LRU lists (lru.ts). `reclaimVmstat(m)`
 * gives the lines to merge with engine/mm's `vmstat(m)` (engine/proc's `sortVmstat` orders them).
 */
import { type Machine } from '../mm/machine'

/** Indices into the side table, named after `enum vm_event_item`. */
export const PSWPIN = 0
export const PSWPOUT = 1
export const PGACTIVATE = 2
export const PGDEACTIVATE = 3
export const PGREFILL = 4
export const PGSTEAL_KSWAPD = 5
export const PGSTEAL_DIRECT = 6
export const PGSCAN_KSWAPD = 7
export const PGSCAN_DIRECT = 8
export const PGSCAN_ANON = 9
export const PGSCAN_FILE = 10
export const PGSTEAL_ANON = 11
export const PGSTEAL_FILE = 12
export const PAGEOUTRUN = 13
export const PGROTATED = 14
/** `ALLOCSTALL_DMA` .. `ALLOCSTALL_MOVABLE`: add the zone type. */
export const ALLOCSTALL = 15
export const OOM_KILL = 19
export const THP_SWPOUT = 20
export const THP_SWPOUT_FALLBACK = 21
export const KSWAPD_LOW_WMARK_HIT_QUICKLY = 22
export const KSWAPD_HIGH_WMARK_HIT_QUICKLY = 23
/** Node counters kept as events: `NR_VMSCAN_WRITE`, `NR_VMSCAN_IMMEDIATE`. */
export const NR_VMSCAN_WRITE = 24
export const NR_VMSCAN_IMMEDIATE = 25
export const NR_RECLAIM_EVENTS = 26

export const RECLAIM_EVENT_NAMES: readonly string[] = [
  'pswpin',
  'pswpout',
  'pgactivate',
  'pgdeactivate',
  'pgrefill',
  'pgsteal_kswapd',
  'pgsteal_direct',
  'pgscan_kswapd',
  'pgscan_direct',
  'pgscan_anon',
  'pgscan_file',
  'pgsteal_anon',
  'pgsteal_file',
  'pageoutrun',
  'pgrotated',
  'allocstall_dma',
  'allocstall_dma32',
  'allocstall_normal',
  'allocstall_movable',
  'oom_kill',
  'thp_swpout',
  'thp_swpout_fallback',
  'kswapd_low_wmark_hit_quickly',
  'kswapd_high_wmark_hit_quickly',
  'nr_vmscan_write',
  'nr_vmscan_immediate_reclaim',
]

/** Reclaim's tracepoints (include/trace/events/{vmscan,oom}.h), with the kernel's fields. */
export interface ReclaimTraceEvents {
  compact_retry: {
    order: number
    priority: number
    result: string
    retries: number
    max_retries: number
    ret: boolean
  }
  reclaim_retry_zone: {
    node: number
    zone: string
    order: number
    reclaimable: number
    available: number
    min_wmark: number
    no_progress_loops: number
    wmark_check: boolean
  }
  mm_vmscan_wakeup_kswapd: { nid: number; zid: number; order: number; gfp_flags: number }
  mm_vmscan_kswapd_wake: { nid: number; zid: number; order: number }
  mm_vmscan_kswapd_sleep: { nid: number }
  mm_vmscan_direct_reclaim_begin: { order: number; gfp_flags: number }
  mm_vmscan_direct_reclaim_end: { nr_reclaimed: number }
  mm_vmscan_lru_shrink_inactive: {
    nid: number
    nr_scanned: number
    nr_reclaimed: number
    nr_dirty: number
    nr_writeback: number
    nr_activate: number
    nr_ref_keep: number
    nr_unmap_fail: number
    priority: number
    file: boolean
  }
  mark_victim: { pid: number; comm: string }
}
export type ReclaimTraceName = keyof ReclaimTraceEvents
export type ReclaimTraceEvent = {
  [K in ReclaimTraceName]: { name: K } & ReclaimTraceEvents[K]
}[ReclaimTraceName]

interface ReclaimCounters {
  ev: Float64Array
  subs: Map<string, ((ev: ReclaimTraceEvent) => void)[]>
}

const tables = new WeakMap<Machine, ReclaimCounters>()

function countersOf(m: Machine): ReclaimCounters {
  let c = tables.get(m)
  if (c === undefined) {
    c = { ev: new Float64Array(NR_RECLAIM_EVENTS), subs: new Map() }
    tables.set(m, c)
  }
  return c
}

/** `count_vm_events(item, n)` for reclaim's items. */
export function countReclaimEvent(m: Machine, item: number, n: number): void {
  countersOf(m).ev[item] += n
}

/** Current value of one of reclaim's counters, by index or /proc/vmstat name. */
export function reclaimEventCount(m: Machine, item: number | string): number {
  const i = typeof item === 'number' ? item : RECLAIM_EVENT_NAMES.indexOf(item)
  if (i < 0) throw new RangeError(`unknown reclaim counter ${String(item)}`)
  return countersOf(m).ev[i]
}

/** Reclaim's events as /proc/vmstat `[name, value]` pairs. */
export function reclaimEventLines(m: Machine): [string, number][] {
  const ev = countersOf(m).ev
  return RECLAIM_EVENT_NAMES.map((n, i) => [n, ev[i]])
}

/** True if somebody listens to `name` (test before building an event). */
export function reclaimTraceOn(m: Machine, name: ReclaimTraceName): boolean {
  const l = tables.get(m)?.subs.get(name)
  return l !== undefined && l.length > 0
}

export function emitReclaimTrace(m: Machine, ev: ReclaimTraceEvent): void {
  const l = tables.get(m)?.subs.get(ev.name)
  if (l) for (const cb of l) cb(ev)
}

/** Subscribe to one of reclaim's tracepoints; returns the unsubscribe function. */
export function reclaimTraceSubscribe<K extends ReclaimTraceName>(
  m: Machine,
  name: K,
  cb: (ev: { name: K } & ReclaimTraceEvents[K]) => void,
): () => void {
  const subs = countersOf(m).subs
  const f = cb as unknown as (ev: ReclaimTraceEvent) => void
  subs.set(name, [...(subs.get(name) ?? []), f])
  return () => {
    subs.set(
      name,
      (subs.get(name) ?? []).filter((x) => x !== f),
    )
  }
}
