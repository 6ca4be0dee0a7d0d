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
 * `freepages: 'order0-split' | 'per-order'`, `largeFolios: 'skip' | 'split' | 'migrate'`,
 * `freeRefcount: 'set-count-zero' | 'put-testzero'`.
 *
 * State the kernel keeps in `struct zone` / `pg_data_t` (cached scanner pfns, deferral,
 * kcompactd order) lives in this module's side table (`compactionState`). The COMPACT* vm events
 * and the mm_compaction_* tracepoints are engine/mm's registry (docs/dev/registry.md):
 * `vmstat(m)` prints the counters and `traceSubscribe(m, 'mm_compaction_begin', cb)` reaches the
 * tracepoints; `compactionVmstat` and `compactionTraceSubscribe` are shorthands for them.
 *
 * ## Where the model departs from the kernel
 * - No `fast_find_migrateblock` / `fast_isolate_freepages`: the linear scanners only.
 * - No `too_many_isolated` throttling, no lock contention (trylocks succeed; `contended` is
 *   only set by a caller), no fatal signals, no `need_resched` stop in async direct compaction.
 * - No capture (`compaction_capture` lives in `__free_one_page`): direct compaction allocates
 *   from the free lists after compacting, as without CONFIG_COMPACTION capture.
 * - `lru_add_drain_cpu_zone` drains the current CPU's per-cpu lists of the zone.
 * - Dirty file folios always have a `migrate_folio` callback; async isolation refuses a dirty
 *   folio only when its lock is held (the kernel's trylock).
 * - `__reset_isolation_suitable` clears every skip bit of the zone (no sampling);
 *   `resetIsolationSuitableNode` is kswapd's `reset_isolation_suitable(pgdat)` for its caller.
 * - ≤6.8 `compaction_free` keeps the page refcounted on the list, so `freeRefcount` only
 *   matters with `freepages: 'per-order'`.
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
