/**
 * Per-zone compaction state (`struct zone`'s compaction fields, include/linux/mmzone.h), the
 * compaction vm events (`enum vm_event_item` COMPACT*) and the `mm_compaction_*` tracepoints'
 * subscribers. engine/mm's Zone and vmEvents have no slots for them yet, so they live here on a
 * side table keyed by the Machine; the report lists what should move into engine/mm.
 */
import { type Machine } from '../mm/machine'
import {
  type CompactionTraceEvent,
  type CompactionTraceEventOf,
  type CompactionTraceName,
  COMPACTION_TRACE_NAMES,
} from './traceTypes'

/** Indices into `CompactionState.events` (names as /proc/vmstat prints them). */
export const COMPACTION_EVENT_NAMES = [
  'compact_migrate_scanned',
  'compact_free_scanned',
  'compact_isolated',
  'compact_stall',
  'compact_fail',
  'compact_success',
  'compact_daemon_wake',
  'compact_daemon_migrate_scanned',
  'compact_daemon_free_scanned',
] as const
export const COMPACTMIGRATE_SCANNED = 0
export const COMPACTFREE_SCANNED = 1
export const COMPACTISOLATED = 2
export const COMPACTSTALL = 3
export const COMPACTFAIL = 4
export const COMPACTSUCCESS = 5
export const KCOMPACTD_WAKE = 6
export const KCOMPACTD_MIGRATE_SCANNED = 7
export const KCOMPACTD_FREE_SCANNED = 8

export interface CompactionState {
  /** Per zone: `compact_cached_free_pfn`. */
  cachedFreePfn: Float64Array
  /** Per zone × 2: `compact_cached_migrate_pfn[0]` (async), `[1]` (sync). */
  cachedMigratePfn: Float64Array
  /** Per zone: `compact_init_migrate_pfn`, `compact_init_free_pfn`. */
  initMigratePfn: Float64Array
  initFreePfn: Float64Array
  /** Per zone: `compact_considered`, `compact_defer_shift`, `compact_order_failed`. */
  considered: Int32Array
  deferShift: Int32Array
  orderFailed: Int32Array
  /** Per zone: `compact_blockskip_flush`. */
  blockskipFlush: Uint8Array
  /** Per node: `kcompactd_max_order`, `kcompactd_highest_zoneidx`, `proactive_compact_trigger`. */
  kcompactdMaxOrder: Int32Array
  kcompactdHighestZoneidx: Int32Array
  /** COMPACT* vm events, see COMPACTION_EVENT_NAMES. */
  events: Float64Array
  /** Per node: kcompactd's remaining proactive-compaction backoff (`proactive_defer`). */
  proactiveDefer: Int32Array
  traceOn: Uint8Array
  traceSubs: ((ev: CompactionTraceEvent) => void)[][]
}

const states = new WeakMap<Machine, CompactionState>()

/** The machine's compaction state, created on first use as the kernel initialises it. */
export function compactionState(m: Machine): CompactionState {
  let s = states.get(m)
  if (s) return s
  const nz = m.zones.length
  s = {
    cachedFreePfn: new Float64Array(nz),
    cachedMigratePfn: new Float64Array(nz * 2),
    initMigratePfn: new Float64Array(nz),
    initFreePfn: new Float64Array(nz),
    considered: new Int32Array(nz),
    deferShift: new Int32Array(nz),
    orderFailed: new Int32Array(nz),
    blockskipFlush: new Uint8Array(nz),
    kcompactdMaxOrder: new Int32Array(m.cfg.nrNodes),
    kcompactdHighestZoneidx: new Int32Array(m.cfg.nrNodes),
    events: new Float64Array(COMPACTION_EVENT_NAMES.length),
    proactiveDefer: new Int32Array(m.cfg.nrNodes),
    traceOn: new Uint8Array(COMPACTION_TRACE_NAMES.length),
    traceSubs: COMPACTION_TRACE_NAMES.map(() => []),
  }
  s.kcompactdHighestZoneidx.fill(3)
  for (const z of m.zones) {
    // __reset_isolation_suitable: the first and last pageblocks with valid pages (no holes here).
    s.initMigratePfn[z.id] = z.startPfn
    s.initFreePfn[z.id] = pageblockStartPfn(m, z.endPfn - 1)
    resetCachedPositions(m, s, z.id)
  }
  states.set(m, s)
  return s
}

export function pageblockStartPfn(m: Machine, pfn: number): number {
  return pfn - (pfn & (m.pageblockNrPages - 1))
}

export function pageblockEndPfn(m: Machine, pfn: number): number {
  return pageblockStartPfn(m, pfn) + m.pageblockNrPages
}

/** compaction.c:reset_cached_positions. */
export function resetCachedPositions(m: Machine, s: CompactionState, zoneId: number): void {
  const z = m.zones[zoneId]
  s.cachedMigratePfn[zoneId * 2] = s.initMigratePfn[zoneId]
  s.cachedMigratePfn[zoneId * 2 + 1] = s.initMigratePfn[zoneId]
  s.cachedFreePfn[zoneId] = pageblockStartPfn(m, z.endPfn - 1)
}

/** `count_compact_events()`. */
export function countCompactEvents(s: CompactionState, item: number, delta: number): void {
  s.events[item] += delta
}

/** The compaction counters as /proc/vmstat lines, in `vmstat_text[]` order. */
export function compactionVmstat(m: Machine): [name: string, value: number][] {
  const s = compactionState(m)
  return COMPACTION_EVENT_NAMES.map((n, i) => [n, s.events[i]])
}

/** Subscribe to a compaction tracepoint; returns the unsubscribe function. */
export function compactionTraceSubscribe<N extends CompactionTraceName>(
  m: Machine,
  name: N,
  cb: (ev: CompactionTraceEventOf<N>) => void,
): () => void {
  const s = compactionState(m)
  const id = COMPACTION_TRACE_NAMES.indexOf(name)
  if (id < 0) throw new Error(`unknown compaction trace event ${String(name)}`)
  const fn = cb as (ev: CompactionTraceEvent) => void
  s.traceSubs[id].push(fn)
  s.traceOn[id] = 1
  return () => {
    const subs = s.traceSubs[id]
    const i = subs.indexOf(fn)
    if (i >= 0) subs.splice(i, 1)
    s.traceOn[id] = subs.length > 0 ? 1 : 0
  }
}

/** Emit an event to the subscribers of tracepoint `id` (callers test `s.traceOn[id]` first). */
export function emitCompactionTrace(
  s: CompactionState,
  id: number,
  ev: CompactionTraceEvent,
): void {
  const subs = s.traceSubs[id]
  for (let i = 0; i < subs.length; i++) subs[i](ev)
}
