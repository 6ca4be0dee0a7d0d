/**
 * Reclaim's /proc/vmstat events and tracepoints, in engine/mm's registry: the counters are
 * `m.vmEvents` slots (engine/mm/vmstatItems.ts `VM_PSWPIN` …), printed by engine/mm's
 * `vmstat(m)` in `vmstat_text[]` order; the tracepoints are `TP_COMPACT_RETRY` …
 * `TP_MARK_VICTIM` (engine/mm/traceTypesReclaim.ts), reachable with `traceSubscribe`. The
 * names below keep reclaim's call sites short (`countReclaimEvent(m, PSWPOUT, nr)`).
 */
import { type Machine } from '../mm/machine'
import { emitTrace, traceSubscribe } from '../mm/trace'
import { TRACE_EVENT_NAMES, type TraceEventName } from '../mm/traceTypes'
import { type ReclaimTraceEventType } from '../mm/traceTypesReclaim'
import {
  VM_ALLOCSTALL,
  VM_EVENT_ITEMS,
  VM_KSWAPD_HIGH_WMARK_HIT_QUICKLY,
  VM_KSWAPD_LOW_WMARK_HIT_QUICKLY,
  VM_NR_VMSCAN_IMMEDIATE,
  VM_NR_VMSCAN_WRITE,
  VM_OOM_KILL,
  VM_PAGEOUTRUN,
  VM_PGACTIVATE,
  VM_PGDEACTIVATE,
  VM_PGREFILL,
  VM_PGROTATED,
  VM_PGSCAN_ANON,
  VM_PGSCAN_DIRECT,
  VM_PGSCAN_FILE,
  VM_PGSCAN_KSWAPD,
  VM_PGSTEAL_ANON,
  VM_PGSTEAL_DIRECT,
  VM_PGSTEAL_FILE,
  VM_PGSTEAL_KSWAPD,
  VM_PSWPIN,
  VM_PSWPOUT,
  VM_THP_SWPOUT,
  VM_THP_SWPOUT_FALLBACK,
  type VmEventName,
} from '../mm/vmstatItems'

/** `enum vm_event_item` slots of reclaim (engine/mm `VM_*` indices). */
export const PSWPIN = VM_PSWPIN
export const PSWPOUT = VM_PSWPOUT
export const PGACTIVATE = VM_PGACTIVATE
export const PGDEACTIVATE = VM_PGDEACTIVATE
export const PGREFILL = VM_PGREFILL
export const PGSTEAL_KSWAPD = VM_PGSTEAL_KSWAPD
export const PGSTEAL_DIRECT = VM_PGSTEAL_DIRECT
export const PGSCAN_KSWAPD = VM_PGSCAN_KSWAPD
export const PGSCAN_DIRECT = VM_PGSCAN_DIRECT
export const PGSCAN_ANON = VM_PGSCAN_ANON
export const PGSCAN_FILE = VM_PGSCAN_FILE
export const PGSTEAL_ANON = VM_PGSTEAL_ANON
export const PGSTEAL_FILE = VM_PGSTEAL_FILE
export const PAGEOUTRUN = VM_PAGEOUTRUN
export const PGROTATED = VM_PGROTATED
/** `ALLOCSTALL_DMA` .. `ALLOCSTALL_MOVABLE`: add the zone type. */
export const ALLOCSTALL = VM_ALLOCSTALL
export const OOM_KILL = VM_OOM_KILL
export const THP_SWPOUT = VM_THP_SWPOUT
export const THP_SWPOUT_FALLBACK = VM_THP_SWPOUT_FALLBACK
export const KSWAPD_LOW_WMARK_HIT_QUICKLY = VM_KSWAPD_LOW_WMARK_HIT_QUICKLY
export const KSWAPD_HIGH_WMARK_HIT_QUICKLY = VM_KSWAPD_HIGH_WMARK_HIT_QUICKLY
/** Node counters kept as events: `NR_VMSCAN_WRITE`, `NR_VMSCAN_IMMEDIATE`. */
export const NR_VMSCAN_WRITE = VM_NR_VMSCAN_WRITE
export const NR_VMSCAN_IMMEDIATE = VM_NR_VMSCAN_IMMEDIATE

/** Reclaim's /proc/vmstat event names (`vmstat_text[]`). */
export const RECLAIM_EVENT_NAMES: readonly VmEventName[] = [
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
export type ReclaimTraceEvents = {
  [E in ReclaimTraceEventType as E['name']]: Omit<E, 'name'>
}
export type ReclaimTraceName = keyof ReclaimTraceEvents
export type ReclaimTraceEvent = {
  [K in ReclaimTraceName]: { name: K } & ReclaimTraceEvents[K]
}[ReclaimTraceName]

const TP_ID = new Map<string, number>(TRACE_EVENT_NAMES.map((n, id) => [n, id]))

function tpId(name: ReclaimTraceName): number {
  return TP_ID.get(name) as number
}

/** `count_vm_events(item, n)` for reclaim's items. */
export function countReclaimEvent(m: Machine, item: number, n: number): void {
  m.vmEvents[item] += n
}

/** Current value of one of reclaim's counters, by `VM_*` index or /proc/vmstat name. */
export function reclaimEventCount(m: Machine, item: number | string): number {
  const i = typeof item === 'number' ? item : VM_EVENT_ITEMS[item as VmEventName]
  if (i === undefined || !RECLAIM_EVENT_NAMES.some((n) => VM_EVENT_ITEMS[n] === i))
    throw new RangeError(`unknown reclaim counter ${String(item)}`)
  return m.vmEvents[i]
}

/** Reclaim's events as /proc/vmstat `[name, value]` pairs. */
export function reclaimEventLines(m: Machine): [string, number][] {
  return RECLAIM_EVENT_NAMES.map((n) => [n, m.vmEvents[VM_EVENT_ITEMS[n]]])
}

/** True if somebody listens to `name` (test before building an event). */
export function reclaimTraceOn(m: Machine, name: ReclaimTraceName): boolean {
  return m.traceOn[tpId(name)] !== 0
}

export function emitReclaimTrace(m: Machine, ev: ReclaimTraceEvent): void {
  emitTrace(m, tpId(ev.name), ev)
}

/** Subscribe to one of reclaim's tracepoints (engine/mm `traceSubscribe`). */
export function reclaimTraceSubscribe<K extends ReclaimTraceName>(
  m: Machine,
  name: K,
  cb: (ev: { name: K } & ReclaimTraceEvents[K]) => void,
): () => void {
  return traceSubscribe(m, name as TraceEventName, cb as never)
}
