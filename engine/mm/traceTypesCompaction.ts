/**
 * The `mm_compaction_*` tracepoints (include/trace/events/compaction.h) with the kernel's field
 * names. `idx` is the zone index (`zone_idx`), `ret`/`status` the `compact_result` name. The
 * types live in engine/mm's registry; engine/compaction emits them (trace.ts `emitTrace`).
 */

/** `enum compact_result` as `__print_symbolic(…, COMPACTION_STATUS)` prints it. */
export type CompactResultName =
  | 'not_suitable_zone'
  | 'skipped'
  | 'deferred'
  | 'no_suitable_page'
  | 'continue'
  | 'complete'
  | 'partial_skipped'
  | 'contended'
  | 'success'

/** `mm_compaction_isolate_template`. */
export interface CompactionIsolateEvent {
  name: 'mm_compaction_isolate_migratepages' | 'mm_compaction_isolate_freepages'
  start_pfn: number
  end_pfn: number
  nr_scanned: number
  nr_taken: number
}

/**
 * `mm_compaction_fast_isolate_freepages` [6.12] (trace_mm_compaction_fast_isolate_freepages in
 * fast_isolate_freepages): the search's lower bound `min_pfn` as `start_pfn`, `cc->free_pfn`
 * as `end_pfn`, free-list entries looked at and pages isolated.
 */
export interface CompactionFastIsolateFreepagesEvent {
  name: 'mm_compaction_fast_isolate_freepages'
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
  status: CompactResultName
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
  ret: CompactResultName
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
