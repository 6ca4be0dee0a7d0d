/**
 * The `mm_compaction_*` tracepoints (include/trace/events/compaction.h) with the kernel's field
 * names. `idx` is the zone index (`zone_idx`), `ret`/`status` the `compact_result` name.
 */
import { type CompactResult } from './types'

export const COMPACTION_TRACE_NAMES = [
  'mm_compaction_isolate_migratepages',
  'mm_compaction_isolate_freepages',
  'mm_compaction_migratepages',
  'mm_compaction_begin',
  'mm_compaction_end',
  'mm_compaction_try_to_compact_pages',
  'mm_compaction_finished',
  'mm_compaction_suitable',
  'mm_compaction_deferred',
  'mm_compaction_defer_compaction',
  'mm_compaction_defer_reset',
  'mm_compaction_kcompactd_sleep',
  'mm_compaction_wakeup_kcompactd',
  'mm_compaction_kcompactd_wake',
] as const
export type CompactionTraceName = (typeof COMPACTION_TRACE_NAMES)[number]

export const TP_ISOLATE_MIGRATEPAGES = 0
export const TP_ISOLATE_FREEPAGES = 1
export const TP_MIGRATEPAGES = 2
export const TP_BEGIN = 3
export const TP_END = 4
export const TP_TRY_TO_COMPACT_PAGES = 5
export const TP_FINISHED = 6
export const TP_SUITABLE = 7
export const TP_DEFERRED = 8
export const TP_DEFER_COMPACTION = 9
export const TP_DEFER_RESET = 10
export const TP_KCOMPACTD_SLEEP = 11
export const TP_WAKEUP_KCOMPACTD = 12
export const TP_KCOMPACTD_WAKE = 13

/** `mm_compaction_isolate_template`. */
export interface CompactionIsolateEvent {
  name: 'mm_compaction_isolate_migratepages' | 'mm_compaction_isolate_freepages'
  start_pfn: number
  end_pfn: number
  nr_scanned: number
  nr_taken: number
}

/** `mm_compaction_migratepages`: `nr_failed = nr_migratepages - nr_succeeded`. */
export interface CompactionMigratepagesEvent {
  name: 'mm_compaction_migratepages'
  nr_migratepages: number
  nr_failed: number
}

/** `mm_compaction_begin`. */
export interface CompactionBeginEvent {
  name: 'mm_compaction_begin'
  zone_start: number
  migrate_pfn: number
  free_pfn: number
  zone_end: number
  sync: boolean
}

/** `mm_compaction_end`. */
export interface CompactionEndEvent {
  name: 'mm_compaction_end'
  zone_start: number
  migrate_pfn: number
  free_pfn: number
  zone_end: number
  sync: boolean
  status: CompactResult
}

/** `mm_compaction_try_to_compact_pages`. */
export interface CompactionTryToCompactPagesEvent {
  name: 'mm_compaction_try_to_compact_pages'
  order: number
  gfp_mask: number
  prio: number
}

/** `mm_compaction_suitable_template`: finished and suitable. */
export interface CompactionSuitableEvent {
  name: 'mm_compaction_finished' | 'mm_compaction_suitable'
  nid: number
  idx: number
  order: number
  ret: CompactResult
}

/** `mm_compaction_defer_template`: deferred, defer_compaction, defer_reset. */
export interface CompactionDeferEvent {
  name: 'mm_compaction_deferred' | 'mm_compaction_defer_compaction' | 'mm_compaction_defer_reset'
  nid: number
  idx: number
  order: number
  considered: number
  defer_shift: number
  order_failed: number
}

/** `mm_compaction_kcompactd_sleep`. */
export interface CompactionKcompactdSleepEvent {
  name: 'mm_compaction_kcompactd_sleep'
  nid: number
}

/** `kcompactd_wake_template`: wakeup_kcompactd and kcompactd_wake. */
export interface CompactionKcompactdWakeEvent {
  name: 'mm_compaction_wakeup_kcompactd' | 'mm_compaction_kcompactd_wake'
  nid: number
  order: number
  highest_zoneidx: number
}

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

/** The event type of tracepoint `N` (several tracepoints share a template). */
export type CompactionTraceEventOf<N extends CompactionTraceName> =
  CompactionTraceEvent extends infer E
    ? E extends { name: infer K }
      ? N extends K
        ? Omit<E, 'name'> & { name: N }
        : never
      : never
    : never
