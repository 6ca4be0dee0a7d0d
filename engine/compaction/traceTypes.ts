/**
 * The `mm_compaction_*` tracepoints (include/trace/events/compaction.h) with the kernel's field
 * names. `idx` is the zone index (`zone_idx`), `ret`/`status` the `compact_result` name. The
 * event types and the ids live in engine/mm's trace registry (docs/dev/registry.md); the
 * `TP_*` names here are engine/mm's `TP_MM_COMPACTION_*` ids.
 */
import {
  type CompactionBeginEvent,
  type CompactionDeferEvent,
  type CompactionEndEvent,
  type CompactionFastIsolateFreepagesEvent,
  type CompactionIsolateEvent,
  type CompactionKcompactdSleepEvent,
  type CompactionKcompactdWakeEvent,
  type CompactionMigratepagesEvent,
  type CompactionSuitableEvent,
  type CompactionTryToCompactPagesEvent,
} from '../mm/traceTypesCompaction'
import {
  TP_MM_COMPACTION_BEGIN,
  TP_MM_COMPACTION_DEFER_COMPACTION,
  TP_MM_COMPACTION_DEFER_RESET,
  TP_MM_COMPACTION_DEFERRED,
  TP_MM_COMPACTION_END,
  TP_MM_COMPACTION_FAST_ISOLATE_FREEPAGES,
  TP_MM_COMPACTION_FINISHED,
  TP_MM_COMPACTION_ISOLATE_FREEPAGES,
  TP_MM_COMPACTION_ISOLATE_MIGRATEPAGES,
  TP_MM_COMPACTION_KCOMPACTD_SLEEP,
  TP_MM_COMPACTION_KCOMPACTD_WAKE,
  TP_MM_COMPACTION_MIGRATEPAGES,
  TP_MM_COMPACTION_SUITABLE,
  TP_MM_COMPACTION_TRY_TO_COMPACT_PAGES,
  TP_MM_COMPACTION_WAKEUP_KCOMPACTD,
  TRACE_EVENT_NAMES,
  type TraceEventName,
} from '../mm/traceTypes'

export type {
  CompactionBeginEvent,
  CompactionDeferEvent,
  CompactionEndEvent,
  CompactionFastIsolateFreepagesEvent,
  CompactionIsolateEvent,
  CompactionKcompactdSleepEvent,
  CompactionKcompactdWakeEvent,
  CompactionMigratepagesEvent,
  CompactionSuitableEvent,
  CompactionTryToCompactPagesEvent,
}

/** The `mm_compaction_*` names of engine/mm's registry (one list, kept there). */
export type CompactionTraceName = Extract<TraceEventName, `mm_compaction_${string}`>
export const COMPACTION_TRACE_NAMES: readonly CompactionTraceName[] = TRACE_EVENT_NAMES.filter(
  (n): n is CompactionTraceName => n.startsWith('mm_compaction_'),
)

export const TP_ISOLATE_MIGRATEPAGES = TP_MM_COMPACTION_ISOLATE_MIGRATEPAGES
export const TP_ISOLATE_FREEPAGES = TP_MM_COMPACTION_ISOLATE_FREEPAGES
export const TP_MIGRATEPAGES = TP_MM_COMPACTION_MIGRATEPAGES
export const TP_BEGIN = TP_MM_COMPACTION_BEGIN
export const TP_END = TP_MM_COMPACTION_END
export const TP_TRY_TO_COMPACT_PAGES = TP_MM_COMPACTION_TRY_TO_COMPACT_PAGES
export const TP_FINISHED = TP_MM_COMPACTION_FINISHED
export const TP_SUITABLE = TP_MM_COMPACTION_SUITABLE
export const TP_DEFERRED = TP_MM_COMPACTION_DEFERRED
export const TP_DEFER_COMPACTION = TP_MM_COMPACTION_DEFER_COMPACTION
export const TP_DEFER_RESET = TP_MM_COMPACTION_DEFER_RESET
export const TP_KCOMPACTD_SLEEP = TP_MM_COMPACTION_KCOMPACTD_SLEEP
export const TP_WAKEUP_KCOMPACTD = TP_MM_COMPACTION_WAKEUP_KCOMPACTD
export const TP_KCOMPACTD_WAKE = TP_MM_COMPACTION_KCOMPACTD_WAKE
export const TP_FAST_ISOLATE_FREEPAGES = TP_MM_COMPACTION_FAST_ISOLATE_FREEPAGES

export type CompactionTraceEvent =
  | CompactionIsolateEvent
  | CompactionMigratepagesEvent
  | CompactionBeginEvent
  | CompactionEndEvent
  | CompactionTryToCompactPagesEvent
  | CompactionSuitableEvent
  | CompactionDeferEvent
  | CompactionKcompactdSleepEvent
  | CompactionKcompactdWakeEvent
  | CompactionFastIsolateFreepagesEvent

/** The event type of tracepoint `N` (several tracepoints share a template). */
export type CompactionTraceEventOf<N extends CompactionTraceName> =
  CompactionTraceEvent extends infer E
    ? E extends { name: infer K }
      ? N extends K
        ? Omit<E, 'name'> & { name: N }
        : never
      : never
    : never
