/**
 * # engine/mm: Linux physical memory at page granularity
 *
 * A model of the kernel's page allocator (mm/page_alloc.c) that kernel developers can compare
 * with their machines: nodes and zones, pageblocks and migratetypes, the buddy free lists, the
 * per-cpu lists, watermarks, fallback and pageblock claiming, the highatomic reserve, folios
 * with references, mapcount, pins and flags, /proc/vmstat counters and tracepoints.
 *
 * ## Shape
 * Free functions take the `Machine` first (bitECS style). All per-page state is in typed arrays,
 * never a JS object per page: the four fields every list operation touches (flags, order and
 * list migratetype, intrusive next/prev links) interleaved in `m.pg` (16 bytes per page, one
 * cache line per page touched; read them with `pageFlags`/`pageOrder`/`pageListMt`), plus plain
 * `m.refcount`, `m.mapcount`, `m.pincount` arrays (see memmap.ts); per-pageblock state in
 * `m.pbFlags`; free lists in `m.faHead/faTail/faCount` indexed by (zone, order, migratetype).
 * 28 bytes per page: a 64 GiB machine (16M pages) peaks well under 1 GiB of RSS. Behaviour that
 * changed between kernels follows `cfg.kernelEra` (see `KernelEra`; default '6.12').
 *
 * ## Entry points
 * - `parseMachineConfig(input)` → `createMachine(cfg)`; `boot: 'allocated'` (every page an
 *   unused allocated order-0 page, flagged PAGE_BOOT) with `setPageblockMigratetype`,
 *   `initFreeBlock` (place a free block exactly, no merging) and `reservePages` (PG_reserved,
 *   not managed) builds an exact imported state; `initCmaReservedPageblock` activates CMA.
 * - `allocPages(m, gfp, order)` (`__alloc_pages` fast path + one slow-path-flags retry),
 *   `allocPagesNode(m, gfp, order, nid)` (`alloc_pages_node`, node `nid` preferred),
 *   `allocPagesFlags(m, gfp, order, allocFlags)` (`get_page_from_freelist` with explicit flags,
 *   e.g. ALLOC_NO_WATERMARKS), `freePages(m, pfn, order)` (`__free_pages`).
 * - Folios: `folioGet`, `folioPut` (`__page_cache_release` at the last reference), `folioTryGet`,
 *   `getPageUnlessZero`, `folioPin`/`folioUnpin` (FOLL_LONGTERM), `folioAddMapcount`,
 *   `folioSetFlags(m, pfn, PG_dirty | PG_lru, true)`, `folioTrylock`/`folioUnlock`.
 * - Pageblocks: `getPfnblockMigratetype`, `setPageblockMigratetype`, `setPageblockIsolate`,
 *   `moveFreepagesBlock`, `moveFreepagesBlockIsolate` (the free-page half of
 *   `set/unset_migratetype_isolate`), skip bits. Per-cpu: `drainAllPages`, `setCurrentCpu`.
 * - Observability: `zoneInfo`, `vmstat`, `traceSubscribe`, `checkInvariants`, `snapshot` /
 *   `restoreMachine`.
 * - Per-operation scratch state (`rmqueue_mode`, `can_steal`, move counts) lives on the
 *   Machine, never at module level: any number of machines may run in one process.
 *
 * ## The vmstat and trace registry (one for the whole engine)
 * Every engine module counts and traces through engine/mm, so that `vmstat(m)` prints all
 * counters in `vmstat_text[]` order and `traceSubscribe(m, name, cb)` reaches every tracepoint.
 * See docs/dev/registry.md.
 * - Counters: `countVmEvent(m, VM_COMPACTSTALL, 1)` adds to a `vm_event_item` slot
 *   (vmstatItems.ts: VM_PGMIGRATE_SUCCESS/FAIL, VM_THP_MIGRATION_SUCCESS/FAIL/SPLIT,
 *   VM_COMPACTMIGRATE_SCANNED, VM_COMPACTFREE_SCANNED, VM_COMPACTISOLATED, VM_COMPACTSTALL,
 *   VM_COMPACTFAIL, VM_COMPACTSUCCESS, VM_KCOMPACTD_WAKE, VM_KCOMPACTD_MIGRATE_SCANNED,
 *   VM_KCOMPACTD_FREE_SCANNED, VM_CMA_ALLOC_SUCCESS/FAIL, VM_THP_SPLIT_PAGE, and the allocator's
 *   own); `vmEventCount(m, item)` reads one. Per-node gauges: `modNodePageState(m, nid,
 *   NR_ISOLATED_ANON, delta)`, `nodePageState`, `globalNodePageState`.
 * - Tracepoints: ids `TP_*` (traceTypes.ts; kmem, migrate, page_isolation, cma and the 14
 *   `mm_compaction_*` events with the kernel's fields). Emit with
 *   `if (m.traceOn[TP_X] !== 0) emitTrace(m, TP_X, { name: 'x', ...fields })`: one typed-array
 *   load and nothing built when nobody subscribed. `traceEnabled(m, TP_X)` is the same test.
 * - Hot loops import these from the defining modules (./vmstat, ./trace, ./traceTypes,
 *   ./vmstatItems), not through this index: sucrase compiles re-exports into getters.
 *
 * ## Where the model departs from the kernel
 * - No memory holes; zones are pageblock-aligned and contiguous; no PCI hole below 4 GiB.
 * - Boot keeps the first MiB, the kernel image and the memmap reserved (`cfg.reserve`, see
 *   ./reserve); the kernel's other memblock allocations (page tables, percpu first chunk, early
 *   hash tables: ~0.7 MiB on the 256 MiB guests) are not reserved, and the image is one range
 *   (the kernel frees its init sections and alignment gaps in place). Nothing else is
 *   allocated by the "kernel" unless a workload does it.
 * - No kswapd, direct reclaim, compaction or OOM in `allocPages`: after the fast path fails,
 *   one retry with `gfp_to_alloc_flags` (MIN watermark, reserves) is made. A boosted watermark
 *   (`ZONE_BOOSTED_WATERMARK`) is cleared on the next allocation as the kernel does when it
 *   wakes kswapd, but the boost itself stays until reclaim exists to reset it.
 * - Per-cpu lists follow 6.1's `nr_pcp_free`/`free_factor` and batch rules in every era (the
 *   6.6+ high_min/high_max auto-tuning is not modelled); the pcp lock never fails.
 * - Era 6.1 is the 6.1 stable kernel (Debian 6.1.192), which has 6.3's ALLOC_NON_BLOCK and
 *   ALLOC_RESERVES; its one `__GFP_ATOMIC` test left (`zone_watermark_fast`'s boost-free retry)
 *   is modelled as GFP_ATOMIC's `__GFP_HIGH` without `__GFP_DIRECT_RECLAIM`: the model's gfp
 *   has no `__GFP_ATOMIC` bit.
 * - NR_FREE_PAGES accounting follows list membership (equal to both eras' kernel rules; the
 *   kernel's ≤6.9 accounting races are not reproduced). PGFREE is counted for every free.
 * - `page` in trace events is a synthetic vmemmap address (0xffffea0000000000 + 64 * pfn).
 * - Flags outside `enum pageflags` (anon, file, movable_ops, per-cpu, allocated head) are model
 *   bits; tails of compound pages are not marked (`compoundHead` finds the head by alignment).
 * - Merging at `order >= pageblock_order` of two different mergeable types (6.10+) relabels every
 *   pageblock the buddy covers, not only its first (identical at the default orders).
 * - Mobility grouping is disabled only below 6 pageblocks of memory, as `build_all_zonelists` does.
 */
export * from './migratetype'
export type { ZoneInfo } from './zoneInfo'
export {
  GFP_KERNEL,
  GFP_USER,
  GFP_HIGHUSER,
  GFP_HIGHUSER_MOVABLE,
  GFP_ATOMIC,
  GFP_NOWAIT,
  GFP_NOIO,
  GFP_NOFS,
  GFP_DMA,
  GFP_DMA32,
  GFP_TRANSHUGE,
  GFP_TRANSHUGE_LIGHT,
  __GFP_DMA,
  __GFP_HIGHMEM,
  __GFP_MOVABLE,
  __GFP_RECLAIMABLE,
  __GFP_COMP,
  __GFP_HIGH,
  __GFP_NOWARN,
  __GFP_NORETRY,
  __GFP_RETRY_MAYFAIL,
  __GFP_NOFAIL,
  __GFP_ZERO,
  __GFP_DMA32,
  __GFP_IO,
  __GFP_FS,
  __GFP_DIRECT_RECLAIM,
  __GFP_KSWAPD_RECLAIM,
  __GFP_RECLAIM,
  __GFP_WRITE,
  __GFP_MEMALLOC,
  __GFP_NOMEMALLOC,
  __GFP_HARDWALL,
  __GFP_THISNODE,
  __GFP_ACCOUNT,
  gfpMigratetype,
  gfpZone,
} from './gfp'
export {
  type MachineConfig,
  type ZoneConfig,
  type KernelEra,
  KERNEL_ERAS,
  ConfigError,
  parseMachineConfig,
} from './config'
export { type Machine, eraAtLeast, setCurrentCpu, cpuToNode, pfnZone } from './machine'
export {
  type ReserveConfig,
  type ReservedRange,
  defaultKernelImageKiB,
  reservedRanges,
  reservedSummary,
} from './reserve'
export { type Zone } from './zone'
export {
  ZONE_DMA,
  ZONE_DMA32,
  ZONE_NORMAL,
  ZONE_MOVABLE,
  MAX_NR_ZONES,
  ZONE_NAMES,
} from './zoneType'
export {
  createMachine,
  type CreateMachineOptions,
  initFreeBlock,
  reservePages,
  recomputeWatermarks,
} from './boot'
export { allocPagesNode } from './alloc'
export { putPageTestzero } from './free'
export { freePagesPrepare, prepNewPage } from './prep'
export { findSuitableFallback, findSuitableFallbackClaim, canStealFallback } from './fallback'
export { moveFreepagesBlockLegacy, prepMoveFreepagesBlock } from './moveFreepages'
export { moveToFreeList } from './freeArea'
export { freePcppagesBulk } from './pcp'
export {
  NO_PAGE,
  PG_locked,
  PG_referenced,
  PG_uptodate,
  PG_dirty,
  PG_lru,
  PG_active,
  PG_workingset,
  PG_slab,
  PG_reserved,
  PG_private,
  PG_writeback,
  PG_head,
  PG_reclaim,
  PG_swapbacked,
  PG_unevictable,
  PG_mlocked,
  PG_isolated,
  PG_anon,
  PG_movable_ops,
  PG_file,
  PAGE_TYPE_BUDDY,
  PAGE_TYPE_OFFLINE,
  PAGE_PCP,
  PAGE_ALLOC,
  PAGE_EXTRA,
  PAGE_BOOT,
  GUP_PIN_COUNTING_BIAS,
  PG_STRIDE,
  PG_INFO,
  PG_NEXT,
  PG_PREV,
  FOLIO_FLAGS_MASK,
  PAGE_FLAGS_CHECK_AT_FREE,
  pageFlags,
  pageOrder,
  pageListMt,
  pageNext,
  pagePrev,
  setPageFlags,
  setPageOrder,
} from './memmap'
export {
  ALLOC_WMARK_MIN,
  ALLOC_WMARK_LOW,
  ALLOC_WMARK_HIGH,
  ALLOC_NO_WATERMARKS,
  ALLOC_OOM,
  ALLOC_NON_BLOCK,
  ALLOC_MIN_RESERVE,
  ALLOC_CPUSET,
  ALLOC_CMA,
  ALLOC_NOFRAGMENT,
  ALLOC_HIGHATOMIC,
  ALLOC_KSWAPD,
  ALLOC_WMARK_MASK,
  WMARK_MIN,
  WMARK_LOW,
  WMARK_HIGH,
  WMARK_PROMO,
  gfpToAllocFlags,
  gfpToAllocFlagsCma,
} from './allocFlags'
export { allocPages, allocPagesFlags, getPageFromFreelist } from './alloc'
export { freePages, freeThePage } from './free'
export {
  compoundHead,
  folioOrder,
  folioNrPages,
  folioRefCount,
  folioGet,
  folioPut,
  getPageUnlessZero,
  folioTryGet,
  folioMapcount,
  folioAddMapcount,
  folioPin,
  folioUnpin,
  folioMaybeDmaPinned,
  folioTestFlag,
  folioSetFlags,
  folioTrylock,
  folioUnlock,
} from './folio'
export {
  getPfnblockMigratetype,
  getPageblockStoredMigratetype,
  setPageblockMigratetype,
  changePageblockRange,
  setPageblockIsolate,
  isPageblockIsolated,
  getPageblockSkip,
  setPageblockSkip,
  clearPageblockSkip,
  pageblockStartPfn,
  pageblockEndPfn,
  pageblockAligned,
} from './pageblock'
export { moveFreepagesBlock, findLargeBuddy } from './moveFreepages'
export { moveFreepagesBlockIsolate } from './isolate'
export { initCmaReservedPageblock } from './cma'
export { freeOnePage, freeOnePageLocked, FPI_NONE, FPI_TO_TAIL } from './buddy'
export {
  addToFreeList,
  delFromFreeList,
  getPageFromFreeArea,
  freeAreaEmpty,
  freeAreaNrFree,
} from './freeArea'
export { rmqueueSmallest, expand } from './rmqueueSmallest'
export { drainAllPages, zonePcpPages } from './pcp'
export { PAGE_ALLOC_COSTLY_ORDER, HPAGE_PMD_ORDER, pcpAllowedOrder } from './pcpIndex'
export { reserveHighatomicPageblock, unreserveHighatomicPageblock } from './highatomic'
export { zoneWatermarkOk, zoneWatermarkFast, wmarkPages } from './watermark'
export { FALLBACKS } from './fallback'
export {
  zoneInfo,
  vmstat,
  countVmEvent,
  vmEventCount,
  modNodePageState,
  nodePageState,
  globalNodePageState,
} from './vmstat'
export * from './vmstatItems'
export { checkInvariants } from './invariants'
export { type InvariantViolation, InvariantError } from './violation'
export { snapshot, restoreMachine, restoreSnapshot, SnapshotError } from './snapshot'
export {
  defineMachineState,
  defineMachineObservers,
  type MachineStateOptions,
} from './machineState'
export { traceSubscribe, traceSubscribeAll, emitTrace, traceEnabled, pageAddress } from './trace'
export * from './traceTypes'
export * from './traceTypesMigrate'
export * from './traceTypesCompaction'
export * from './traceTypesReclaim'
export {
  MTHP_STAT_ITEMS,
  type MthpStatItem,
  type DeferredSplitState,
  mthpStat,
  modMthpStat,
  deferredSplitFolio,
  deferredSplitCount,
  folioOnDeferredList,
  folioTestPartiallyMapped,
  folioUnqueueDeferredSplit,
} from './deferredSplit'
