/**
 * Reclaim's tracepoints (include/trace/events/vmscan.h, oom.h), with the kernel's field names:
 * emitted by engine/reclaim (the allocation slow path's retry decisions, kswapd, direct reclaim,
 * shrink_inactive_list, the OOM killer's victim).
 */

/** `compact_retry` (oom.h): should_compact_retry's decision. */
export interface CompactRetryEvent {
  name: 'compact_retry'
  order: number
  priority: number
  result: string
  retries: number
  max_retries: number
  ret: boolean
}

/** `reclaim_retry_zone` (oom.h): should_reclaim_retry's check of one zone. */
export interface ReclaimRetryZoneEvent {
  name: 'reclaim_retry_zone'
  node: number
  zone: string
  order: number
  reclaimable: number
  available: number
  min_wmark: number
  no_progress_loops: number
  wmark_check: boolean
}

/** `mm_vmscan_wakeup_kswapd`: wakeup_kswapd woke a node's kswapd. */
export interface MmVmscanWakeupKswapdEvent {
  name: 'mm_vmscan_wakeup_kswapd'
  nid: number
  zid: number
  order: number
  gfp_flags: number
}

/** `mm_vmscan_kswapd_wake`: kswapd starts balance_pgdat. */
export interface MmVmscanKswapdWakeEvent {
  name: 'mm_vmscan_kswapd_wake'
  nid: number
  zid: number
  order: number
}

/** `mm_vmscan_kswapd_sleep`: kswapd goes back to sleep. */
export interface MmVmscanKswapdSleepEvent {
  name: 'mm_vmscan_kswapd_sleep'
  nid: number
}

/** `mm_vmscan_direct_reclaim_begin` (template mm_vmscan_direct_reclaim_begin_template). */
export interface MmVmscanDirectReclaimBeginEvent {
  name: 'mm_vmscan_direct_reclaim_begin'
  order: number
  gfp_flags: number
}

/** `mm_vmscan_direct_reclaim_end` (template mm_vmscan_direct_reclaim_end_template). */
export interface MmVmscanDirectReclaimEndEvent {
  name: 'mm_vmscan_direct_reclaim_end'
  nr_reclaimed: number
}

/** `mm_vmscan_lru_shrink_inactive`: one shrink_inactive_list pass. */
export interface MmVmscanLruShrinkInactiveEvent {
  name: 'mm_vmscan_lru_shrink_inactive'
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

/** `mark_victim` (oom.h): the OOM killer chose a victim. */
export interface MarkVictimEvent {
  name: 'mark_victim'
  pid: number
  comm: string
}

export type ReclaimTraceEventType =
  | CompactRetryEvent
  | ReclaimRetryZoneEvent
  | MmVmscanWakeupKswapdEvent
  | MmVmscanKswapdWakeEvent
  | MmVmscanKswapdSleepEvent
  | MmVmscanDirectReclaimBeginEvent
  | MmVmscanDirectReclaimEndEvent
  | MmVmscanLruShrinkInactiveEvent
  | MarkVictimEvent
