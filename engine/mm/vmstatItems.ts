/**
 * Indices into `machine.vmEvents`: the `enum vm_event_item` counters and the node/numa
 * counters the model maintains, and into `machine.nodeStat` (per-node `enum node_stat_item`
 * gauges). Zone counters (nr_free_pages, …) live on the zones. One registry for every engine
 * module: migration, compaction and CMA count here with `countVmEvent` / `modNodePageState`
 * (vmstat.ts), and `vmstat(m)` prints them all in `vmstat_text[]` order.
 */
/** `PGALLOC_DMA` .. `PGALLOC_MOVABLE`: add the zone type. Counted in pages. */
export const VM_PGALLOC = 0
/** `PGFREE`, in pages. */
export const VM_PGFREE = 4
export const VM_NUMA_HIT = 5
export const VM_NUMA_MISS = 6
export const VM_NUMA_FOREIGN = 7
export const VM_NUMA_LOCAL = 8
export const VM_NUMA_OTHER = 9
/** Node counters `NR_FILE_DIRTY` ("nr_dirty") and `NR_WRITEBACK` ("nr_writeback"), in pages. */
export const VM_NR_DIRTY = 10
export const VM_NR_WRITEBACK = 11
/** `PGMIGRATE_SUCCESS` / `PGMIGRATE_FAIL` (pages), mm/migrate.c:migrate_pages. */
export const VM_PGMIGRATE_SUCCESS = 12
export const VM_PGMIGRATE_FAIL = 13
/** `THP_MIGRATION_SUCCESS` / `_FAIL` / `_SPLIT` (folios), mm/migrate.c:migrate_pages. */
export const VM_THP_MIGRATION_SUCCESS = 14
export const VM_THP_MIGRATION_FAIL = 15
export const VM_THP_MIGRATION_SPLIT = 16
/** `COMPACTMIGRATE_SCANNED` .. `KCOMPACTD_FREE_SCANNED` (mm/compaction.c `count_compact_event(s)`). */
export const VM_COMPACTMIGRATE_SCANNED = 17
export const VM_COMPACTFREE_SCANNED = 18
export const VM_COMPACTISOLATED = 19
export const VM_COMPACTSTALL = 20
export const VM_COMPACTFAIL = 21
export const VM_COMPACTSUCCESS = 22
export const VM_KCOMPACTD_WAKE = 23
export const VM_KCOMPACTD_MIGRATE_SCANNED = 24
export const VM_KCOMPACTD_FREE_SCANNED = 25
/** `CMA_ALLOC_SUCCESS` / `CMA_ALLOC_FAIL` (calls), mm/cma.c:cma_alloc. */
export const VM_CMA_ALLOC_SUCCESS = 26
export const VM_CMA_ALLOC_FAIL = 27
/** `THP_SPLIT_PAGE`, mm/huge_memory.c:split_huge_page_to_list. */
export const VM_THP_SPLIT_PAGE = 28
export const NR_VM_EVENTS = 29

/**
 * The `vm_event_item` slots above by their /proc/vmstat names (`vmstat_text[]`), for
 * `countVmEvent(m, 'compact_stall', 1)`-style callers outside hot loops and for tests.
 */
export const VM_EVENT_ITEMS = {
  pgmigrate_success: VM_PGMIGRATE_SUCCESS,
  pgmigrate_fail: VM_PGMIGRATE_FAIL,
  thp_migration_success: VM_THP_MIGRATION_SUCCESS,
  thp_migration_fail: VM_THP_MIGRATION_FAIL,
  thp_migration_split: VM_THP_MIGRATION_SPLIT,
  compact_migrate_scanned: VM_COMPACTMIGRATE_SCANNED,
  compact_free_scanned: VM_COMPACTFREE_SCANNED,
  compact_isolated: VM_COMPACTISOLATED,
  compact_stall: VM_COMPACTSTALL,
  compact_fail: VM_COMPACTFAIL,
  compact_success: VM_COMPACTSUCCESS,
  compact_daemon_wake: VM_KCOMPACTD_WAKE,
  compact_daemon_migrate_scanned: VM_KCOMPACTD_MIGRATE_SCANNED,
  compact_daemon_free_scanned: VM_KCOMPACTD_FREE_SCANNED,
  cma_alloc_success: VM_CMA_ALLOC_SUCCESS,
  cma_alloc_fail: VM_CMA_ALLOC_FAIL,
  thp_split_page: VM_THP_SPLIT_PAGE,
} as const
export type VmEventName = keyof typeof VM_EVENT_ITEMS

/** `NR_ISOLATED_ANON` / `NR_ISOLATED_FILE`: index `nid * NR_NODE_STAT_ITEMS + item` of `nodeStat`, in pages. */
export const NR_ISOLATED_ANON = 0
export const NR_ISOLATED_FILE = 1
export const NR_NODE_STAT_ITEMS = 2
