/**
 * # engine/reclaim: page reclaim and the allocation slow path (mm/vmscan.c, mm/page_alloc.c)
 *
 * Entry points:
 * - `allocPagesReclaim(m, gfp, order, env)`: `__alloc_pages` with the whole slow path; the
 *   result names the path that produced the page (`freelist`, `kswapd`, `direct-compaction`,
 *   `direct-reclaim`, `oom`, `nofail`, `fail`) and its stalls; `env.clock` carries the latency.
 *   `allocPagesSlowpath` is the slow path alone (after a failed fast path).
 * - `tryToFreePages(m, gfp, order, env)` (direct reclaim), `reclaimPages(m, zone, nrPages, env)`
 *   (drop-in for engine/contig's stand-in), `kswapdRun(m, order, highestZoneidx, env)`,
 *   `wakeupKswapd`, `pgdatBalanced`, `kswapdPending` (for a scheduler in `'wake-only'` mode).
 * - LRU: `lruAdd` (folio_add_lru), `lruDel`, `folioActivate`, `folioMarkAccessed`,
 *   `folioMarkYoung` (PTE accessed bits), `lruSync`, `lruCounts`.
 * - Swap: `swapon(m, { nrPages, synchronousIo })`, `swapFree`, `swapinFolio`, `swapUsage`;
 *   `onFolioUnmapped(m, cb)` tells the owner of page tables which folios reclaim unmapped and
 *   which swap slots now back them.
 * - Observability, in engine/mm's registry: the counters are `m.vmEvents` slots (`VM_PSWPIN` …)
 *   and the LRU gauges node items (`NR_LRU_BASE + lru`), so engine/mm's `vmstat(m)` prints
 *   pgscan_*, pgsteal_*, pswpin/out, thp_swpout(_fallback), allocstall_*, oom_kill,
 *   nr_{inactive,active}_{anon,file} … in `vmstat_text[]` order (`reclaimVmstat(m)` is that
 *   subset); the tracepoints (compact_retry, reclaim_retry_zone, mm_vmscan_*, mark_victim) are
 *   `TP_*` ids reachable with `traceSubscribe` (`reclaimTraceSubscribe` is the same call).
 *
 * Variants (`env.variants`, seed 002): `swapoutLargeFolios: 'pmd-only' | 'any-order' | 'split'`.
 *
 * ## Where the model departs from the kernel
 * - One root lruvec per node, no memcg, no MGLRU, no refault/workingset detection: deactivation
 *   follows `inactive_is_low`; `lru_note_cost` is not kept (anon/file cost are equal).
 * - `shrink_active_list` deactivates every evictable folio (no VM_EXEC exception).
 * - Dirty page cache met by reclaim starts writeback at once (the flushers' work, which the
 *   kernel only requests); it is activated with PG_reclaim and rotated to the inactive tail
 *   when the IO completes, as in the kernel. No `PGDAT_DIRTY`/`PGDAT_WRITEBACK` states.
 * - Throttling: only a direct reclaim that freed nothing while IO is in flight waits, until the
 *   first IO completes (at most HZ/10).
 * - `shrink_lruvec` stops at the target without the proportional rebalancing.
 * - kswapd runs inline on its own clock (or is left to a scheduler with `kswapdMode:
 *   'wake-only'`, as engine/api runs it: a kernel thread per node); kcompactd runs inline when
 *   woken (`runKcompactd`), or is handed to the caller's thread (`onKcompactdWake`).
 * - Swap-in reads one IO per SWAP_READAHEAD_PAGES (8) contiguous slots (`swapinRange`), a
 *   stand-in for swap readahead; there is no swap cache after swap-in.
 * - Swap slots: per-cpu cluster allocation for order 0 from one CPU's view; no swap cache
 *   readahead; swap-in is order 0.
 * - The LRU lists are a side table that other modules do not update: migration is followed
 *   through its folio-moved/split observers, a folio isolated by another module keeps its entry
 *   (so it is counted in nr_inactive_* while isolated, unlike the kernel), and `lruSync` makes a
 *   full O(pages) pass at reclaim entry points when allocations, frees, migrations or
 *   compaction isolations happened since (≈0.3 s at 16 GiB). `setLruAutoSync(m, false)` turns
 *   that off once every creator of LRU folios calls `lruAdd`.
 * - `folio_referenced` is modelled by `folioMarkYoung` (PTE accessed bits per folio), not rmap.
 * - `shrink_slab` runs one shrinker, the THP deferred split shrinker (shrinker.ts), with
 *   `do_shrink_slab`'s arithmetic; `doAnonymousPage` (anonFault.ts) is the mTHP fault that feeds
 *   its queue (calibration W4's fill).
 */
export * from './types'
export * from './counters'
export {
  LRU_INACTIVE_ANON,
  LRU_ACTIVE_ANON,
  LRU_INACTIVE_FILE,
  LRU_ACTIVE_FILE,
  LRU_UNEVICTABLE,
  LRU_NAMES,
  lruAdd,
  lruDel,
  folioActivate,
  folioMarkAccessed,
  folioMarkYoung,
  lruSync,
  setLruAutoSync,
  lruvecLruSize,
  nodeLruPages,
  zoneLruPages,
} from './lru'
export {
  swapon,
  swapFree,
  swapUsage,
  swapDevice,
  nrSwapPages,
  folioSwapEntry,
  type SwapConfig,
} from './swap'
export { onFolioUnmapped, type FolioUnmappedObserver } from './observers'
export { endWritebackUntil, nextWritebackDoneNs, nrWritebackInflight } from './writeback'
export { shrinkFolioList, type ReclaimStat } from './shrinkFolioList'
export { shrinkNode, getScanCount, zoneReclaimablePages, inactiveIsLow } from './shrinkNode'
export {
  tryToFreePages,
  doTryToFreePages,
  reclaimPages,
  type ReclaimPagesResult,
} from './directReclaim'
export {
  balancePgdat,
  kswapdRun,
  kswapdIsRunning,
  kswapdPending,
  pgdatBalanced,
  wakeupKswapd,
  type KswapdRunResult,
} from './kswapd'
export { shouldReclaimRetry, shouldCompactRetry, type AllocContext, type RetryState } from './retry'
export { allocPagesReclaim, allocPagesSlowpath, type AllocPath, type AllocResult } from './slowpath'
export { reclaimVmstat, lruCounts } from './vmstat'
export { swapinFolio, swapinRange } from './swapin'
export { shrinkSlab, deferredSplitScan, SHRINK_BATCH, DEFAULT_SEEKS, SHRINK_STOP } from './shrinker'
export {
  doAnonymousPage,
  mapNewAnonFolio,
  vmaThpGfpMask,
  THP_DEFRAG_MODES,
  type AnonFaultOptions,
  type ThpDefrag,
} from './anonFault'
