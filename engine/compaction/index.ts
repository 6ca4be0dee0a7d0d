/**
 * # engine/compaction: memory compaction (mm/compaction.c)
 *
 * Entry points: `compactMemory` / `compactNode` (`vm.compact_memory`: order -1, MIGRATE_SYNC,
 * whole zone, skip bits ignored), `tryToCompactPages` / `allocPagesDirectCompact` (direct
 * compaction with `compact_priority`), `wakeupKcompactd` / `kcompactdDoWork` and
 * `kcompactdProactiveTick` / `proactiveCompactNode` (kcompactd and proactive compaction, for a
 * scheduler to call), and `compactZone` with a hand-built `CompactControl`. Every call takes a
 * `CompactEnv`: the SimClock it advances (pfnScanNs per scanned pfn, lockNs per lock, plus what
 * migratePages charges), the cost table, and optionally variants, sysctls and fault injection.
 *
 * Variants (`env.variants`, defaults by era from `defaultCompactionVariants`):
 * `freepages: 'order0-split' | 'per-order' | 'per-order-nosplit'`,
 * `largeFolios: 'skip' | 'split' | 'migrate'`, `freeRefcount: 'set-count-zero' | 'put-testzero'`.
 *
 * Mechanisms and where they sit: the linear scanners (migrateScanner.ts, freeScanner.ts) with
 * `fast_find_migrateblock` / `fast_isolate_freepages` in front (fastSearch.ts),
 * `too_many_isolated` (throttle.ts), the skip-bit resets (skipReset.ts: from `compact_zone` when
 * `compaction_restarting`, and kswapd's `reset_isolation_suitable`, both only after a direct
 * compactor set `compact_blockskip_flush`), capture (`compaction_capture` in engine/mm's
 * `__free_one_page`, armed by `compactZoneOrder` on `m.capc`), deferral (deferral.ts).
 * Era differences are cited where they apply (6.1 vs 6.4+ `nr_scanned`, 6.10 capture,
 * 6.5 `should_compact_retry` in engine/reclaim/retry.ts, …).
 *
 * State the kernel keeps in `struct zone` / `pg_data_t` (cached scanner pfns, deferral,
 * kcompactd order) lives in this module's side table (`compactionState`). The COMPACT* vm events
 * and the mm_compaction_* tracepoints are engine/mm's registry (docs/dev/registry.md):
 * `vmstat(m)` prints the counters and `traceSubscribe(m, 'mm_compaction_begin', cb)` reaches the
 * tracepoints; `compactionVmstat` and `compactionTraceSubscribe` are shorthands for them.
 *
 * ## Where the model departs from the kernel
 * - No lock contention (trylocks succeed; `contended` is only set by a caller), no fatal
 *   signals, no `need_resched` stop in async direct compaction.
 * - `too_many_isolated` counts the node's LRU pages from the memmap; a sync scan that would be
 *   throttled waits one `reclaim_throttle` timeout and goes on (nothing else runs meanwhile).
 * - `lru_add_drain` (start of `compact_zone`) has nothing to flush: folios join the LRU at once.
 * - Dirty file folios always have a `migrate_folio` callback; async isolation refuses a dirty
 *   folio only when its lock is held (the kernel's trylock).
 * - ≤6.8 `compaction_free` keeps the page refcounted on the list, so `freeRefcount` only
 *   matters with the per-order `freepages` variants.
 * - The 6.1 era takes 6.12's `finish_pageblock` handling in `compact_zone` (6.3, Mel Gorman);
 *   6.1's `rescan` and its skip of the rest of an `cc->order` block after a failed async
 *   migration are not modelled.
 */
export * from './types'
export { compactZone, resetIsolationSuitable, resetIsolationSuitableNode } from './compactZone'
export {
  allocPagesDirectCompact,
  compactMemory,
  compactNode,
  compactZoneOrder,
  HPAGE_FRAG_CHECK_INTERVAL_MSEC,
  kcompactdDoWork,
  kcompactdNodeSuitable,
  kcompactdProactiveTick,
  proactiveCompactNode,
  releaseCapturedPage,
  tryToCompactPages,
  wakeupKcompactd,
} from './entry'
export {
  compactionDeferred,
  compactionDeferReset,
  compactionRestarting,
  deferCompaction,
} from './deferral'
export {
  __compactFinished,
  compactFinished,
  compactScannersMet,
  fragmentationScoreNode,
  fragmentationScoreWmark,
  fragmentationScoreZone,
  fragmentationScoreZoneWeighted,
  shouldProactiveCompactNode,
} from './finished'
export {
  compactionSuitable,
  compactionSuitableWmark,
  compactionSuitAllocationOrder,
  compactionZonelistSuitable,
  EXTFRAG_THRESHOLD_DEFAULT,
  zoneExtfragForOrder,
  zoneFragmentationIndex,
} from './suitable'
export {
  isolateFreePage,
  isolateFreepages,
  isolateFreepagesBlock,
  isolationSuitable,
  suitableMigrationTarget,
  updatePageblockSkip,
} from './freeScanner'
export {
  isolateMigratepages,
  isolateMigratepagesBlock,
  ISOLATE_ASYNC_MIGRATE,
  ISOLATE_UNEVICTABLE,
  skipCompoundOnOrder,
  suitableMigrationSource,
  testAndSetSkip,
  updateCachedMigrate,
} from './migrateScanner'
export { compactionAlloc, compactionFree, releaseFreeList } from './freepages'
export {
  COMPACTION_EVENT_NAMES,
  type CompactionState,
  compactionState,
  compactionTraceSubscribe,
  compactionVmstat,
} from './state'
export {
  type CompactionTraceEvent,
  type CompactionTraceEventOf,
  type CompactionTraceName,
  COMPACTION_TRACE_NAMES,
} from './traceTypes'
export { fillWithAnonFolios, freeAllButEveryNth } from './fill'
export { runCompact16g, type Compact16gResult } from './bench'
