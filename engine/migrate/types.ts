/**
 * The migrate_pages interface (include/linux/migrate.h, include/linux/migrate_mode.h) as the
 * engine's callers see it: modes, reasons, the get/put callbacks, options and the result.
 */
import { type MigrateModeName, type MigrateReason } from '../mm/traceTypesMigrate'
import { type CostModel } from '../sched/costModel'
import { type LockTimeline } from './lockTimeline'
import { type SimClock } from './simClock'

/** `enum migrate_mode` (SYNC_NO_COPY, gone in 6.9, is not modelled). */
export type MigrateMode = 'async' | 'sync-light' | 'sync'
export const MIGRATE_MODES: readonly MigrateMode[] = ['async', 'sync-light', 'sync']

/** `enum migrate_reason` (defined with the mm_migrate_pages tracepoint in engine/mm). */
export { type MigrateReason, MIGRATE_REASONS } from '../mm/traceTypesMigrate'

/** The mode as trace output prints it (`__print_symbolic(mode, MIGRATE_MODE)`). */
export const MIGRATE_MODE_NAMES: Record<MigrateMode, MigrateModeName> = {
  async: 'MIGRATE_ASYNC',
  'sync-light': 'MIGRATE_SYNC_LIGHT',
  sync: 'MIGRATE_SYNC',
}

/**
 * `get_new_folio`: returns the head pfn of a destination of `order` (the source's folio order;
 * refcount 1, compound if order > 0), or NO_PAGE. It advances the options' clock by whatever
 * it costs (allocation, reclaim, compaction); migratePages charges nothing for it.
 */
export type NewFolioFn = (src: number, order: number) => number
/** `put_new_folio`: gives back an unused destination (refcount 1). */
export type PutFolioFn = (dst: number) => void

/** When `get_new_folio` runs: mainline (before `folio_trylock(src)`) or Keith Busch's 2020 patch. */
export type AllocateTarget = 'before-lock' | 'after-lock'

/**
 * Retry and batching structure of migrate_pages:
 * - `'per-folio'`: unmap and move one folio at a time in each of 10 passes, with
 *   `force = pass > 2` (sleeping lock and writeback wait only when forced). This is the
 *   structure of Debian 6.1.192's mm/migrate.c (which has 6.3's 512-page batch cut and
 *   `migrate_pages_batch` but not the separate unmap/move phases) and of ≤6.2.
 * - `'batched'` [6.3+]: `migrate_pages_batch` unmaps the batch, flushes the TLB once and then
 *   moves; non-async modes first run an async batch for 3 passes, then retry the rest one folio
 *   at a time in the real mode for 7 passes (`migrate_pages_sync`).
 */
export type MigrateBatching = 'batched' | 'per-folio'

/**
 * What `migrate_folio_move` does with a source that was on the deferred split queue:
 * - `'none'` (6.10 to 7.0 mainline, and the 6.15 and 2025 eras): `__folio_migrate_mapping` takes
 *   the source off the queue and the destination is not queued, so a migrated folio leaves it.
 * - `'requeue'` (the 6.12 era: Usama Arif's "mm: migrate: requeue destination folio on deferred
 *   split queue", 2026, Fixes dafff3f4c850 "mm: split underused THPs", backported to 6.12.y and
 *   in Debian's 6.12.117): the destination is queued with the source's PG_partially_mapped state,
 *   which try_to_migrate's PTE-by-PTE unmapping has just set for a PTE-mapped mTHP.
 */
export type DeferredSplitRequeue = 'none' | 'requeue'

/** Cost entries migration needs beyond engine/sched's CostModel. */
export interface MigrateCostExtension {
  /** `folio_wait_writeback` in MIGRATE_SYNC when nobody reports the I/O's end (one write-out). */
  writebackWaitNs: number
}

export interface MigrateOptions {
  mode: MigrateMode
  reason: MigrateReason
  clock: SimClock
  cost: CostModel & Partial<MigrateCostExtension>
  /** Variant `migration.allocateTarget` (seed 001). Default `'before-lock'` (mainline). */
  allocateTarget?: AllocateTarget
  /** Default by era: `'per-folio'` for kernelEra 6.1, `'batched'` for 6.6 and later. */
  batching?: MigrateBatching
  /** Variant `migration.deferredSplitRequeue` (seed 002). Default by era: `'requeue'` on 6.12. */
  deferredSplitRequeue?: DeferredSplitRequeue
  /** Where source lock holds are recorded (and where other holders' known release times are read). */
  locks?: LockTimeline
  /** The caller runs with PF_MEMALLOC (direct compaction): never sleep on a folio lock. */
  pfMemalloc?: boolean
  /**
   * The sleeping `folio_lock` on a folio somebody else holds: return true once the lock has been
   * handed to migration (the clock advanced to the hand-over, PG_locked still set and now owned
   * by migration), false if the wait cannot complete within this synchronous call (the folio
   * then counts as -EAGAIN). Default: the holder's known release time from `locks`.
   */
  waitForLock?: (pfn: number, clock: SimClock) => boolean
  /**
   * `folio_wait_writeback` in MIGRATE_SYNC: return true once PG_writeback is clear (clock
   * advanced), false if it cannot end within this call (-EAGAIN). Default: charge
   * `cost.writebackWaitNs` and end the write-out.
   */
  waitForWriteback?: (pfn: number, clock: SimClock) => boolean
}

/** What one migratePages call did (`struct migrate_pages_stats` plus the model's measurements). */
export interface MigrateStats {
  /** Base pages migrated (pgmigrate_success). */
  nrSucceeded: number
  /** Base pages that failed (pgmigrate_fail); untried folios are not counted. */
  nrFailedPages: number
  /** PMD-size folios migrated whole (thp_migration_success). */
  nrThpSucceeded: number
  /** PMD-size folios that failed, including split ones (thp_migration_fail). */
  nrThpFailed: number
  /** PMD-size folios split (thp_migration_split). */
  nrThpSplit: number
  /** Large folios of any order split for want of a destination. */
  nrSplit: number
  /** migrate_pages's return: folios not migrated (a split folio counts once), or -ENOMEM. */
  retval: number
  /** Per migrated folio, ns from the start of its successful unmap to the end of its move. */
  latencyNs: number[]
  /** Per source-lock hold (every attempt that took the lock), ns. */
  lockHoldNs: number[]
  /** Destinations obtained from get_new_folio and given back unused. */
  wastedTargets: number
  /** `wastedTargets` by the check that failed after the destination was obtained. */
  wastedByCause: { lock: number; writeback: number; unmap: number; move: number }
  /** Simulated ns the whole call took. */
  callNs: number
}

export const MIGRATEPAGE_SUCCESS = 0
export const MIGRATEPAGE_UNMAP = 1
export const EAGAIN = 11
export const ENOMEM = 12
export const EBUSY = 16
