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
/** Reclaim (mm/vmscan.c, mm/page_io.c, mm/page_alloc.c, mm/oom_kill.c), engine/reclaim. */
export const VM_PSWPIN = 29
export const VM_PSWPOUT = 30
export const VM_PGACTIVATE = 31
export const VM_PGDEACTIVATE = 32
export const VM_PGREFILL = 33
export const VM_PGSTEAL_KSWAPD = 34
export const VM_PGSTEAL_DIRECT = 35
export const VM_PGSCAN_KSWAPD = 36
export const VM_PGSCAN_DIRECT = 37
export const VM_PGSCAN_ANON = 38
export const VM_PGSCAN_FILE = 39
export const VM_PGSTEAL_ANON = 40
export const VM_PGSTEAL_FILE = 41
export const VM_PAGEOUTRUN = 42
export const VM_PGROTATED = 43
/** `ALLOCSTALL_DMA` .. `ALLOCSTALL_MOVABLE`: add the zone type. */
export const VM_ALLOCSTALL = 44
export const VM_OOM_KILL = 48
export const VM_THP_SWPOUT = 49
export const VM_THP_SWPOUT_FALLBACK = 50
export const VM_KSWAPD_LOW_WMARK_HIT_QUICKLY = 51
export const VM_KSWAPD_HIGH_WMARK_HIT_QUICKLY = 52
/** Node counters `NR_VMSCAN_WRITE` / `NR_VMSCAN_IMMEDIATE`, which only grow: kept as events. */
export const VM_NR_VMSCAN_WRITE = 53
export const VM_NR_VMSCAN_IMMEDIATE = 54
/** `THP_SPLIT_PAGE_FAILED` / `THP_DEFERRED_SPLIT_PAGE` (PMD-size folios), mm/huge_memory.c. */
export const VM_THP_SPLIT_PAGE_FAILED = 55
export const VM_THP_DEFERRED_SPLIT_PAGE = 56
/** `HTLB_BUDDY_PGALLOC` / `HTLB_BUDDY_PGALLOC_FAIL`, mm/hugetlb.c:alloc_buddy_hugetlb_folio. */
export const VM_HTLB_BUDDY_PGALLOC = 57
export const VM_HTLB_BUDDY_PGALLOC_FAIL = 58
export const NR_VM_EVENTS = 59

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
  thp_split_page_failed: VM_THP_SPLIT_PAGE_FAILED,
  thp_deferred_split_page: VM_THP_DEFERRED_SPLIT_PAGE,
  pswpin: VM_PSWPIN,
  pswpout: VM_PSWPOUT,
  pgactivate: VM_PGACTIVATE,
  pgdeactivate: VM_PGDEACTIVATE,
  pgrefill: VM_PGREFILL,
  pgsteal_kswapd: VM_PGSTEAL_KSWAPD,
  pgsteal_direct: VM_PGSTEAL_DIRECT,
  pgscan_kswapd: VM_PGSCAN_KSWAPD,
  pgscan_direct: VM_PGSCAN_DIRECT,
  pgscan_anon: VM_PGSCAN_ANON,
  pgscan_file: VM_PGSCAN_FILE,
  pgsteal_anon: VM_PGSTEAL_ANON,
  pgsteal_file: VM_PGSTEAL_FILE,
  pageoutrun: VM_PAGEOUTRUN,
  pgrotated: VM_PGROTATED,
  allocstall_dma: VM_ALLOCSTALL,
  allocstall_dma32: VM_ALLOCSTALL + 1,
  allocstall_normal: VM_ALLOCSTALL + 2,
  allocstall_movable: VM_ALLOCSTALL + 3,
  oom_kill: VM_OOM_KILL,
  thp_swpout: VM_THP_SWPOUT,
  thp_swpout_fallback: VM_THP_SWPOUT_FALLBACK,
  kswapd_low_wmark_hit_quickly: VM_KSWAPD_LOW_WMARK_HIT_QUICKLY,
  kswapd_high_wmark_hit_quickly: VM_KSWAPD_HIGH_WMARK_HIT_QUICKLY,
  nr_vmscan_write: VM_NR_VMSCAN_WRITE,
  nr_vmscan_immediate_reclaim: VM_NR_VMSCAN_IMMEDIATE,
  htlb_buddy_alloc_success: VM_HTLB_BUDDY_PGALLOC,
  htlb_buddy_alloc_fail: VM_HTLB_BUDDY_PGALLOC_FAIL,
} as const
export type VmEventName = keyof typeof VM_EVENT_ITEMS

/** `NR_ISOLATED_ANON` / `NR_ISOLATED_FILE`: index `nid * NR_NODE_STAT_ITEMS + item` of `nodeStat`, in pages. */
export const NR_ISOLATED_ANON = 0
export const NR_ISOLATED_FILE = 1
/**
 * `NR_LRU_BASE + lru` (`NR_INACTIVE_ANON` .. `NR_UNEVICTABLE`, lru = LRU_INACTIVE_ANON 0,
 * LRU_ACTIVE_ANON 1, LRU_INACTIVE_FILE 2, LRU_ACTIVE_FILE 3, LRU_UNEVICTABLE 4): pages on each
 * LRU list of the node (engine/reclaim's lists). The zone items `nr_zone_inactive_anon` … sum
 * to the same machine-wide totals, so /proc/vmstat prints both from these.
 */
export const NR_LRU_BASE = 2
export const NR_INACTIVE_ANON = 2
export const NR_ACTIVE_ANON = 3
export const NR_INACTIVE_FILE = 4
export const NR_ACTIVE_FILE = 5
export const NR_UNEVICTABLE = 6
export const NR_NODE_STAT_ITEMS = 7
