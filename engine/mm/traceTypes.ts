/**
 * The one registry of tracepoints every engine module emits: typed events named after the
 * kernel's tracepoints, with the kernel's field names. Ids (`TP_*`) index `m.traceOn` and
 * `m.traceSubs`; `TRACE_EVENT_NAMES[id]` is the tracepoint's name.
 * - kmem (include/trace/events/kmem.h): emitted by engine/mm, below.
 * - migrate, page_isolation, cma: traceTypesMigrate.ts (engine/migrate, isolation, cma).
 * - compaction: traceTypesCompaction.ts (engine/compaction).
 * - vmscan, oom: traceTypesReclaim.ts (engine/reclaim).
 * `page` is the `struct page *` a real trace prints, derived from the x86_64 vmemmap base
 * (0xffffea0000000000 + pfn * 64); `pfn` is -1 for a NULL page.
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
} from './traceTypesCompaction'
import { type ReclaimTraceEventType } from './traceTypesReclaim'
import {
  type CmaAllocFinishEvent,
  type CmaAllocStartEvent,
  type CmaReleaseEvent,
  type MmMigratePagesEvent,
  type MmMigratePagesStartEvent,
  type TestPagesIsolatedEvent,
} from './traceTypesMigrate'

// kmem
export const TP_MM_PAGE_ALLOC = 0
export const TP_MM_PAGE_FREE = 1
export const TP_MM_PAGE_ALLOC_ZONE_LOCKED = 2
export const TP_MM_PAGE_ALLOC_EXTFRAG = 3
export const TP_MM_PAGE_PCPU_DRAIN = 4
// migrate
export const TP_MM_MIGRATE_PAGES_START = 5
export const TP_MM_MIGRATE_PAGES = 6
// page_isolation
export const TP_TEST_PAGES_ISOLATED = 7
// cma
export const TP_CMA_ALLOC_START = 8
export const TP_CMA_ALLOC_FINISH = 9
export const TP_CMA_ALLOC_BUSY_RETRY = 10
export const TP_CMA_RELEASE = 11
// compaction
export const TP_MM_COMPACTION_ISOLATE_MIGRATEPAGES = 12
export const TP_MM_COMPACTION_ISOLATE_FREEPAGES = 13
export const TP_MM_COMPACTION_MIGRATEPAGES = 14
export const TP_MM_COMPACTION_BEGIN = 15
export const TP_MM_COMPACTION_END = 16
export const TP_MM_COMPACTION_TRY_TO_COMPACT_PAGES = 17
export const TP_MM_COMPACTION_FINISHED = 18
export const TP_MM_COMPACTION_SUITABLE = 19
export const TP_MM_COMPACTION_DEFERRED = 20
export const TP_MM_COMPACTION_DEFER_COMPACTION = 21
export const TP_MM_COMPACTION_DEFER_RESET = 22
export const TP_MM_COMPACTION_KCOMPACTD_SLEEP = 23
export const TP_MM_COMPACTION_WAKEUP_KCOMPACTD = 24
export const TP_MM_COMPACTION_KCOMPACTD_WAKE = 25
// oom, vmscan
export const TP_COMPACT_RETRY = 26
export const TP_RECLAIM_RETRY_ZONE = 27
export const TP_MM_VMSCAN_WAKEUP_KSWAPD = 28
export const TP_MM_VMSCAN_KSWAPD_WAKE = 29
export const TP_MM_VMSCAN_KSWAPD_SLEEP = 30
export const TP_MM_VMSCAN_DIRECT_RECLAIM_BEGIN = 31
export const TP_MM_VMSCAN_DIRECT_RECLAIM_END = 32
export const TP_MM_VMSCAN_LRU_SHRINK_INACTIVE = 33
export const TP_MARK_VICTIM = 34
/** [6.12] `mm_compaction_fast_isolate_freepages` (appended after the reclaim ids). */
export const TP_MM_COMPACTION_FAST_ISOLATE_FREEPAGES = 35
export const NR_TRACE_EVENTS = 36

export const TRACE_EVENT_NAMES = [
  'mm_page_alloc',
  'mm_page_free',
  'mm_page_alloc_zone_locked',
  'mm_page_alloc_extfrag',
  'mm_page_pcpu_drain',
  'mm_migrate_pages_start',
  'mm_migrate_pages',
  'test_pages_isolated',
  'cma_alloc_start',
  'cma_alloc_finish',
  'cma_alloc_busy_retry',
  'cma_release',
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
  'compact_retry',
  'reclaim_retry_zone',
  'mm_vmscan_wakeup_kswapd',
  'mm_vmscan_kswapd_wake',
  'mm_vmscan_kswapd_sleep',
  'mm_vmscan_direct_reclaim_begin',
  'mm_vmscan_direct_reclaim_end',
  'mm_vmscan_lru_shrink_inactive',
  'mark_victim',
  'mm_compaction_fast_isolate_freepages',
] as const

export type TraceEventName = (typeof TRACE_EVENT_NAMES)[number]

/** `mm_page_alloc`: emitted by `__alloc_pages` for every request, successful or not. */
export interface MmPageAllocEvent {
  name: 'mm_page_alloc'
  page: string
  pfn: number
  order: number
  gfp_flags: number
  migratetype: number
}
/** `mm_page_free`: emitted by `free_pages_prepare`. */
export interface MmPageFreeEvent {
  name: 'mm_page_free'
  page: string
  pfn: number
  order: number
}
/** `mm_page_alloc_zone_locked`: a block taken from the buddy lists by `__rmqueue_smallest`. */
export interface MmPageAllocZoneLockedEvent {
  name: 'mm_page_alloc_zone_locked'
  page: string
  pfn: number
  order: number
  migratetype: number
  /** True when the allocation refills a per-cpu list. */
  percpu_refill: boolean
}
/** `mm_page_alloc_extfrag`: an allocation fell back to another migratetype's free list. */
export interface MmPageAllocExtfragEvent {
  name: 'mm_page_alloc_extfrag'
  page: string
  pfn: number
  alloc_order: number
  fallback_order: number
  pageblock_order: number
  alloc_migratetype: number
  fallback_migratetype: number
  /** `fallback_order < pageblock_order`. */
  fragmenting: boolean
  /** The pageblock now has the requested type. */
  change_ownership: boolean
}
/** `mm_page_pcpu_drain`: a block returned from a per-cpu list to the buddy (`free_pcppages_bulk`). */
export interface MmPagePcpuDrainEvent {
  name: 'mm_page_pcpu_drain'
  page: string
  pfn: number
  order: number
  migratetype: number
}

export type TraceEvent =
  | MmPageAllocEvent
  | MmPageFreeEvent
  | MmPageAllocZoneLockedEvent
  | MmPageAllocExtfragEvent
  | MmPagePcpuDrainEvent
  | MmMigratePagesStartEvent
  | MmMigratePagesEvent
  | TestPagesIsolatedEvent
  | CmaAllocStartEvent
  | CmaAllocFinishEvent
  | CmaReleaseEvent
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
  | ReclaimTraceEventType

/** The event type of tracepoint `N` (several tracepoints share a template, whose `name` is a union). */
export type TraceEventOf<N extends TraceEventName> = TraceEvent extends infer E
  ? E extends { name: infer K }
    ? N extends K
      ? Omit<E, 'name'> & { name: N }
      : never
    : never
  : never
export type TraceCallback = (ev: TraceEvent) => void
