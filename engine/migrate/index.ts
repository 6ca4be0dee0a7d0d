/**
 * # engine/migrate: page migration (mm/migrate.c)
 *
 * `migratePages(m, from, getNew, putNew, opts)` moves isolated folios to destinations obtained
 * from `getNew` (compaction's `compaction_alloc`, or `allocMigrationTarget`), in the modes
 * async, sync-light and sync, with the kernel's passes, batching, lock and writeback rules,
 * outcomes (-EAGAIN, -EBUSY, -ENOMEM with large-folio split), counters and tracepoints, and
 * measures simulated time per folio and per call from the cost model. Source lock holds go to a
 * `LockTimeline`.
 *
 * Variants:
 * - `allocateTarget: 'before-lock' | 'after-lock'` (seed 001): mainline allocates the
 *   destination before `folio_trylock(src)` and frees it unused when the lock or writeback check
 *   fails (`wastedTargets`); Keith Busch's 2020 patch allocates after them, so the allocation
 *   (with any reclaim or compaction it enters, i.e. whatever the callback adds to the clock) is
 *   source lock-hold time.
 * - `batching: 'batched' | 'per-folio'`, default by `kernelEra`: 'per-folio' for 6.1 (Debian
 *   6.1.192's migrate.c: 512-page batch cut, but unmap+move per folio with `force = pass > 2`),
 *   'batched' for 6.6+ (6.3's unmap phase, one TLB flush, move phase; sync modes start async).
 * - `deferredSplitRequeue: 'none' | 'requeue'` (seed 002), default 'requeue' on 6.12 only: see
 *   "Large folios and the deferred split queue" below.
 *
 * ## Large folios and the deferred split queue (engine/mm/deferredSplit.ts)
 * - [6.9+, anon mTHP] `try_to_migrate` of a PTE-mapped large anon folio (order 2 to below PMD
 *   order; PMD-size folios are PMD-mapped in the model) unmaps it PTE by PTE, so
 *   `__folio_remove_rmap` finds it partially mapped and calls `deferred_split_folio(src, true)`.
 * - `__folio_migrate_mapping` takes the source off the queue (6.10+; before, its free did) and
 *   counts the destination in `nr_anon`; with 'requeue' (Usama Arif's 2026 fix, in 6.12.y)
 *   `migrate_folio_move` queues the destination with the source's partially-mapped state.
 * - [6.10+] `migrate_pages_batch` splits a queued folio before migrating it (7262f208ca68);
 *   [6.12] only a partially mapped one. Counted as a failure and in `nr_split`.
 * - Every split (`trySplitFolio`, and `splitFolio` in place for the deferred split shrinker of
 *   engine/reclaim) first unmaps the folio PTE by PTE (`split_deferred` once), takes it off the
 *   queue, and counts `split`/`split_failed` per size and `thp_split_page(_failed)` for THPs.
 *
 * ## Where the model departs from the kernel
 * - No hugetlb (engine/mm has none), no swap cache (an anon folio never has a mapping), no
 *   KSM, no device-private pages, no -ENOSYS (THP migration is supported), no -EOPNOTSUPP.
 * - File folios migrate as with `filemap_migrate_folio` (never `fallback_migrate_folio`'s
 *   write-out); buffers are a PG_private reference.
 * - Non-LRU movable pages (PG_movable_ops) always still movable; `migrate_page` moves the
 *   owner's references to the destination.
 * - A sleeping `folio_lock` or `folio_wait_writeback` cannot run other tasks inside a
 *   synchronous call: `waitForLock` / `waitForWriteback` decide. By default a lock whose
 *   holder's release time is in the `LockTimeline` is waited for (clock to the release plus
 *   `wakeupNs`, lock handed over); an unknown release counts as -EAGAIN. A writeback wait costs
 *   `writebackWaitNs` (default 100 µs) plus `wakeupNs` and ends the write-out.
 * - `try_split_folio`'s `folio_lock` on a folio locked by somebody else fails with -EAGAIN.
 * - Costs: source and destination lock and unlock `lockNs` each; `pteUnmapNs` per mapping for
 *   `try_to_migrate` and again for `remove_migration_ptes`; `tlbFlushNs` per unmapped folio, or
 *   once per batch for async batched unmaps; `pageCopyNs` per base page; `freeNs` for the freed
 *   source (or an unused destination without `putNew`); `bookkeepingNs` for the refcount check.
 *   `getNew`/`putNew` charge their own costs.
 * - Counters and tracepoints are engine/mm's: `vmstat(m)` prints pgmigrate_*, thp_migration_*,
 *   thp_split_page and nr_isolated_anon/file; `traceSubscribe(m, 'mm_migrate_pages', cb)`
 *   (and 'mm_migrate_pages_start'). `migrateVmEvents` / `nrIsolated` read them as objects.
 */
export type {
  AllocateTarget,
  DeferredSplitRequeue,
  MigrateBatching,
  MigrateCostExtension,
  MigrateMode,
  MigrateOptions,
  MigrateReason,
  MigrateStats,
  NewFolioFn,
  PutFolioFn,
} from './types'
export {
  MIGRATE_MODES,
  MIGRATE_MODE_NAMES,
  MIGRATE_REASONS,
  EAGAIN,
  EBUSY,
  ENOMEM,
  MIGRATEPAGE_SUCCESS,
} from './types'
export { type SimClock, createSimClock } from './simClock'
export { type LockHold, LockTimeline, MIGRATION_HOLD } from './lockTimeline'
export { migratePages, defaultMigrateBatching, defaultDeferredSplitRequeue } from './migratePages'
export {
  NR_MAX_BATCHED_MIGRATION,
  NR_MAX_MIGRATE_PAGES_RETRY,
  NR_MAX_MIGRATE_ASYNC_RETRY,
  NR_MAX_MIGRATE_SYNC_RETRY,
} from './batch'
export { DEFAULT_WRITEBACK_WAIT_NS } from './context'
export {
  putbackMovablePages,
  folioIsolateLru,
  isolateLruFolio,
  isolateMovablePage,
  folioPutbackLru,
  folioPutLru,
  folioIsFileLru,
} from './isolate'
export { trySplitFolio, splitFolio } from './split'
export { allocMigrationTarget, type MigrationTargetControl } from './target'
export { makeAnonLruFolio, makeFileLruFolio } from './anonFolio'
export {
  type MigrateVmEvents,
  type MmMigratePagesEvent,
  type MmMigratePagesStartEvent,
  type FolioMovedObserver,
  type FolioSplitObserver,
  migrateVmEvents,
  migrateVmstat,
  nrIsolated,
  onFolioMoved,
  onFolioSplit,
} from './counters'
