/**
 * Per-zone compaction state (`struct zone`'s compaction fields, include/linux/mmzone.h) in the
 * machine's state registry (engine/mm/machineState.ts). The compaction vm events (`enum vm_event_item` COMPACT*) and
 * the `mm_compaction_*` tracepoints are engine/mm's registry (docs/dev/registry.md): the
 * counters are `m.vmEvents[VM_COMPACT*]`, the tracepoints `m.traceOn` / `emitTrace`.
 */
import { type Machine } from '../mm/machine'
import { defineMachineState } from '../mm/machineState'
import { emitTrace, traceSubscribe } from '../mm/trace'
import {
  VM_COMPACTFAIL,
  VM_COMPACTFREE_SCANNED,
  VM_COMPACTISOLATED,
  VM_COMPACTMIGRATE_SCANNED,
  VM_COMPACTSTALL,
  VM_COMPACTSUCCESS,
  VM_KCOMPACTD_FREE_SCANNED,
  VM_KCOMPACTD_MIGRATE_SCANNED,
  VM_KCOMPACTD_WAKE,
} from '../mm/vmstatItems'
import {
  type CompactionTraceEvent,
  type CompactionTraceEventOf,
  type CompactionTraceName,
} from './traceTypes'

/** The COMPACT* vm events as /proc/vmstat names them, in `vmstat_text[]` order. */
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
/** `enum vm_event_item` COMPACT*: engine/mm's `VM_*` indices into `m.vmEvents`. */
export const COMPACTMIGRATE_SCANNED = VM_COMPACTMIGRATE_SCANNED
export const COMPACTFREE_SCANNED = VM_COMPACTFREE_SCANNED
export const COMPACTISOLATED = VM_COMPACTISOLATED
export const COMPACTSTALL = VM_COMPACTSTALL
export const COMPACTFAIL = VM_COMPACTFAIL
export const COMPACTSUCCESS = VM_COMPACTSUCCESS
export const KCOMPACTD_WAKE = VM_KCOMPACTD_WAKE
export const KCOMPACTD_MIGRATE_SCANNED = VM_KCOMPACTD_MIGRATE_SCANNED
export const KCOMPACTD_FREE_SCANNED = VM_KCOMPACTD_FREE_SCANNED
const COMPACTION_EVENT_ITEMS = [
  COMPACTMIGRATE_SCANNED,
  COMPACTFREE_SCANNED,
  COMPACTISOLATED,
  COMPACTSTALL,
  COMPACTFAIL,
  COMPACTSUCCESS,
  KCOMPACTD_WAKE,
  KCOMPACTD_MIGRATE_SCANNED,
  KCOMPACTD_FREE_SCANNED,
]

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
  /** Per node: kcompactd's remaining proactive-compaction backoff (`proactive_defer`). */
  proactiveDefer: Int32Array
}

/** The machine's compaction state, created on first use as the kernel initialises it. */
export const compactionState = defineMachineState('compaction', createCompactionState)

function createCompactionState(m: Machine): CompactionState {
  const nz = m.zones.length
  const s: CompactionState = {
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
    proactiveDefer: new Int32Array(m.cfg.nrNodes),
  }
  s.kcompactdHighestZoneidx.fill(3)
  for (const z of m.zones) {
    // __reset_isolation_suitable: the first and last pageblocks with valid pages (no holes here).
    s.initMigratePfn[z.id] = z.startPfn
    s.initFreePfn[z.id] = pageblockStartPfn(m, z.endPfn - 1)
    resetCachedPositions(m, s, z.id)
  }
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

/** `count_compact_events()`: one add into engine/mm's vm events. */
export function countCompactEvents(m: Machine, item: number, delta: number): void {
  m.vmEvents[item] += delta
}

/** The compaction counters as /proc/vmstat lines, in `vmstat_text[]` order. */
export function compactionVmstat(m: Machine): [name: string, value: number][] {
  return COMPACTION_EVENT_NAMES.map((n, i) => [n, m.vmEvents[COMPACTION_EVENT_ITEMS[i]]])
}

/** Subscribe to a compaction tracepoint (engine/mm's `traceSubscribe`); returns the unsubscribe function. */
export function compactionTraceSubscribe<N extends CompactionTraceName>(
  m: Machine,
  name: N,
  cb: (ev: CompactionTraceEventOf<N>) => void,
): () => void {
  return traceSubscribe(m, name, cb as (ev: unknown) => void)
}

/** Emit an event to the subscribers of tracepoint `id` (callers test `m.traceOn[id]` first). */
export function emitCompactionTrace(m: Machine, id: number, ev: CompactionTraceEvent): void {
  emitTrace(m, id, ev)
}
