/**
 * Tracepoints of migration (include/trace/events/migrate.h), page isolation
 * (include/trace/events/page_isolation.h) and CMA (include/trace/events/cma.h), with the
 * kernel's field names. Emitted by engine/migrate, engine/isolation and engine/cma through
 * engine/mm's registry (trace.ts).
 */

/** `enum migrate_reason`, spelled as `__print_symbolic(reason, MIGRATE_REASON)` prints them. */
export type MigrateReason =
  | 'compaction'
  | 'memory_failure'
  | 'memory_hotplug'
  | 'syscall_or_cpuset'
  | 'mempolicy_mbind'
  | 'numa_misplaced'
  | 'contig_range'
  | 'longterm_pin'
  | 'demotion'
export const MIGRATE_REASONS: readonly MigrateReason[] = [
  'compaction',
  'memory_failure',
  'memory_hotplug',
  'syscall_or_cpuset',
  'mempolicy_mbind',
  'numa_misplaced',
  'contig_range',
  'longterm_pin',
  'demotion',
]

/** `enum migrate_mode` as `__print_symbolic(mode, MIGRATE_MODE)` prints it. */
export type MigrateModeName = 'MIGRATE_ASYNC' | 'MIGRATE_SYNC_LIGHT' | 'MIGRATE_SYNC'

/** `mm_migrate_pages_start`: mm/migrate.c:migrate_pages on entry. */
export interface MmMigratePagesStartEvent {
  name: 'mm_migrate_pages_start'
  mode: MigrateModeName
  reason: MigrateReason
}

/**
 * `mm_migrate_pages`: migrate_pages on exit. Fields are named as TP_printk prints them
 * (`nr_succeeded=` …; the ring-buffer fields are `succeeded`, `failed`, …).
 */
export interface MmMigratePagesEvent {
  name: 'mm_migrate_pages'
  nr_succeeded: number
  nr_failed: number
  nr_thp_succeeded: number
  nr_thp_failed: number
  nr_thp_split: number
  mode: MigrateModeName
  reason: MigrateReason
}

/** `test_pages_isolated`: `ret` is "success" when fin_pfn >= end_pfn. */
export interface TestPagesIsolatedEvent {
  name: 'test_pages_isolated'
  start_pfn: number
  end_pfn: number
  fin_pfn: number
  ret: 'success' | 'fail'
}

/**
 * `cma_alloc_start`: the kernel's `name` field (the area) is `cma` here, since `name` is the
 * tracepoint's.
 */
export interface CmaAllocStartEvent {
  name: 'cma_alloc_start'
  cma: string
  count: number
  align: number
}

/** `cma_alloc_finish` / `cma_alloc_busy_retry` (`cma_alloc_class`; `errorno` from 6.2). */
export interface CmaAllocFinishEvent {
  name: 'cma_alloc_finish' | 'cma_alloc_busy_retry'
  cma: string
  pfn: number
  page: string
  count: number
  align: number
  errorno: number
}

/** `cma_release`. */
export interface CmaReleaseEvent {
  name: 'cma_release'
  cma: string
  pfn: number
  page: string
  count: number
}
