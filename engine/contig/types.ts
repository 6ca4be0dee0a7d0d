/**
 * Variants, environment and results of alloc_contig_range (mm/page_alloc.c), kernel-model.md
 * §5.2 and §9(c)(d). Migration is reached through `ContigMigrateApi` (structural types of
 * engine/migrate's interface), so this folder does not depend on how migration is built.
 */
import { type Machine } from '../mm/machine'
import { type IsolationRepresentation } from '../isolation'
import { type LockTimeline } from '../migrate'
import { type ReclaimEnv } from '../reclaim/types'
import { type CostModel } from '../sched/costModel'

export const EINTR = 4
export const ENOMEM = 12
export const EBUSY = 16
export const EAGAIN = 11

/**
 * The switchable designs of seeds 003 and 004.
 * - `representation` (`isolation.representation`): see engine/isolation/representation.ts.
 * - `alignment` (`contig.alignment`): `'max-order'` [≤5.18] isolates the range widened to
 *   max(MAX_ORDER_NR_PAGES, pageblock_nr_pages) (`pfn_max_align_down/up`) and undoes it with the
 *   caller's migratetype; `'pageblock'` [5.19+] isolates only the range's pageblocks and handles
 *   the boundary blocks with `isolate_single_pageblock`.
 * - `boundarySplit`: with `'pageblock'`, split or migrate pages straddling the boundary (v7+);
 *   `false` models the earlier patch versions.
 * - `reclaim` (`contig.reclaim`, seed 004): where reclaim runs for a contiguous allocation. In
 *   every variant the migration targets come from `alloc_migration_target`, i.e. `__alloc_pages`
 *   with the whole slow path (kswapd wakeup, direct reclaim, compaction, retries), as every
 *   kernel since CMA's merge allocated them (2011: `alloc_page(GFP_HIGHUSER_MOVABLE)`).
 *   `'migration-target'` (current kernels, the default): that is the only reclaim.
 *   `'in-split-free-page'` (Marek Szyprowski's CMA v18 patch 07, Dec 2011): also forced reclaim
 *   per free block while `split_free_page` holds the zone lock. `'in-alloc-contig-range'` (v19–v24
 *   after Mel Gorman's review, mainline 3.5–3.7 as "mm: trigger page reclaim in
 *   alloc_contig_range() to stabilise watermarks"; removed in 3.8 by "mm: cma: remove watermark
 *   hacks"): the caller also reclaims `count` pages with raised watermarks before isolating.
 * - `splitWatermark`: what the free-page grab checks. `'low-2011'`: the 2011 `split_free_page`
 *   refuses a block unless `NR_FREE_PAGES ≥ LOW + 2^order` (isolated pages still counted, as
 *   then); `'isolated-exempt'`: current kernels' `__isolate_free_page` checks `MIN + 2^order`
 *   only for non-isolated pageblocks, and alloc_contig_range's blocks are all isolated, so it
 *   never refuses (3.8: "mm: cma: skip watermarks check for already isolated blocks in
 *   split_free_page()").
 */
export interface ContigVariant {
  representation: IsolationRepresentation
  alignment: 'max-order' | 'pageblock'
  boundarySplit: boolean
  reclaim: 'migration-target' | 'in-split-free-page' | 'in-alloc-contig-range'
  splitWatermark: 'low-2011' | 'isolated-exempt'
}

/**
 * The era's kernel: pageblock alignment (every modelled era is 5.19+), reclaim only through the
 * migration targets' slow path, no watermark on isolated blocks.
 */
export function defaultContigVariant(m: Machine): ContigVariant {
  return {
    representation: m.isolateBit ? 'flag' : 'migratetype',
    alignment: 'pageblock',
    boundarySplit: true,
    reclaim: 'migration-target',
    splitWatermark: 'isolated-exempt',
  }
}

/** Costs the contiguous allocator needs beyond engine/sched's CostModel. */
export interface ContigCostExtension {
  /** Reclaiming one clean page-cache base page (shrink_folio_list: unmap check, free). */
  reclaimPageNs: number
  /** One `drain_all_pages` IPI round over all CPUs. */
  drainAllPagesNs: number
}

export const DEFAULT_CONTIG_COSTS: Readonly<ContigCostExtension> = Object.freeze({
  reclaimPageNs: 1_000,
  drainAllPagesNs: 5_000,
})

export interface SimClockLike {
  nowNs: number
}

export interface ContigMigrateOptions {
  mode: 'sync'
  reason: 'contig_range'
  clock: SimClockLike
  cost: CostModel
  locks?: LockTimeline
}

export interface ContigMigrateStats {
  nrSucceeded: number
  nrFailedPages: number
  /** Folios not migrated (> 0), 0, or a negative errno. */
  retval: number
}

/** The part of engine/migrate alloc_contig_range uses (mm/migrate.c, mm/vmscan.c). */
export interface ContigMigrateApi {
  migratePages(
    m: Machine,
    from: number[],
    getNew: (src: number, order: number) => number,
    putNew: ((dst: number) => void) | null,
    opts: ContigMigrateOptions,
  ): ContigMigrateStats
  putbackMovablePages(m: Machine, list: number[]): void
  isolateLruFolio(m: Machine, pfn: number): boolean
  isolateMovablePage(m: Machine, pfn: number): boolean
  /** NR_ISOLATED_ANON / NR_ISOLATED_FILE. */
  modIsolated(m: Machine, nid: number, file: boolean, delta: number): void
}

/** Between-step hooks, to interleave another request as a concurrent CPU would (seed 003 c). */
export interface ContigHooks {
  afterIsolate?: () => void
  afterMigrate?: () => void
}

export interface ContigEnv {
  clock: SimClockLike
  cost: CostModel & Partial<ContigCostExtension>
  migrate: ContigMigrateApi
  locks?: LockTimeline
  /**
   * What the allocation slow path needs beyond `clock` and `cost` (kswapd mode, OOM killer,
   * compaction environment) for migration targets and the seed-004 reclaim variants. Default:
   * engine/reclaim's defaults (kswapd runs inline on its own clock, no OOM victim).
   */
  reclaim?: Omit<ReclaimEnv, 'clock' | 'cost'>
  /** `fatal_signal_pending(current)`: checked where the kernel checks it; true → -EINTR. */
  fatalSignalPending?: () => boolean
  hooks?: ContigHooks
}

/** Result names for charts, by errno. */
export type ContigOutcome = 'success' | 'busy' | 'nomem' | 'intr'

export function contigOutcome(ret: number): ContigOutcome {
  if (ret === 0) return 'success'
  if (ret === -ENOMEM) return 'nomem'
  if (ret === -EINTR) return 'intr'
  return 'busy'
}

/** What one alloc_contig_range call did, for charts and tests. */
export interface ContigRequestRecord {
  startPfn: number
  endPfn: number
  /** 0, -EBUSY, -ENOMEM or -EINTR. */
  ret: number
  outcome: ContigOutcome
  /** The step that decided a failure. */
  failedAt: '' | 'isolate' | 'migrate' | 'test_pages_isolated' | 'isolate_freepages' | 'reclaim'
  startNs: number
  latencyNs: number
  /** Base pages migrated out of the range (pgmigrate_success of this call). */
  nrMigrated: number
  nrMigrateFailed: number
  /** Clean page-cache pages dropped by reclaim_clean_pages_from_list. */
  nrReclaimedClean: number
  /**
   * Pages reclaimed for this call by direct reclaim: the migration targets' slow path
   * (`try_to_free_pages` from `__alloc_pages_direct_reclaim`) plus the seed-004 variants' own.
   */
  nrReclaimed: number
  /** Direct reclaim calls (allocstall) the migration targets' slow path made. */
  nrTargetAllocStalls: number
  /** Pages reclaimed outside the contig zone (Mel Gorman: "may reclaim the wrong zones"). */
  nrReclaimedOtherZones: number
  /** Reclaim passes that made no progress (each would have invoked the OOM killer in 2011). */
  nrOomInvocations: number
  /** Simulated ns this call ran while the zone was below its MIN watermark. */
  belowMinNs: number
  /** Simulated ns spent reclaiming while holding the zone lock ('in-split-free-page'). */
  reclaimUnderZoneLockNs: number
  /** Pfns examined by isolation and the scanners. */
  nrScanned: number
  /** Unmovable page that failed the isolation, or -1. */
  blockerPfn: number
}
