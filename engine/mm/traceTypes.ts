/**
 * Typed trace events named after the kernel's tracepoints (include/trace/events/kmem.h), with
 * the kernel's field names. `page` is the `struct page *` a real trace prints, derived from
 * the x86_64 vmemmap base (0xffffea0000000000 + pfn * 64); `pfn` is -1 for a NULL page.
 */
export const TP_MM_PAGE_ALLOC = 0
export const TP_MM_PAGE_FREE = 1
export const TP_MM_PAGE_ALLOC_ZONE_LOCKED = 2
export const TP_MM_PAGE_ALLOC_EXTFRAG = 3
export const TP_MM_PAGE_PCPU_DRAIN = 4
export const NR_TRACE_EVENTS = 5

export const TRACE_EVENT_NAMES = [
  'mm_page_alloc',
  'mm_page_free',
  'mm_page_alloc_zone_locked',
  'mm_page_alloc_extfrag',
  'mm_page_pcpu_drain',
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

export type TraceEventOf<N extends TraceEventName> = Extract<TraceEvent, { name: N }>
export type TraceCallback = (ev: TraceEvent) => void
