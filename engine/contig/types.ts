/**
 * Variants, environment and results of alloc_contig_range (mm/page_alloc.c), kernel-model.md
 * §5.2 and §9(c)(d). Migration is reached through `ContigMigrateApi` (structural types of
 * engine/migrate's interface), so this folder does not depend on how migration is built.
 */
import { type Machine } from '../mm/machine'
import { type IsolationRepresentation } from '../isolation'
import { type LockTimeline } from '../migrate'
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
 * - `reclaim` (`contig.reclaim`, seed 004): `'none'` (current kernels and the v18 series without
 *   patch 07), `'in-split-free-page'` (v18 patch 07: forced reclaim per free block while
 *   `split_free_page` holds the zone lock), `'in-alloc-contig-range'` (v19–v24: the caller
 *   reclaims `count` pages with raised watermarks before isolating).
 * - `splitWatermark`: what the free-page grab checks. `'low-2011'`: the 2011 `split_free_page`
 *   refuses a block unless `NR_FREE_PAGES ≥ LOW + 2^order` (isolated pages still counted, as
 *   then); `'isolated-exempt'`: current kernels' `__isolate_free_page` checks `MIN + 2^order`
 *   only for non-isolated pageblocks, and alloc_contig_range's blocks are all isolated, so it
 *   never refuses.
 */
export interface ContigVariant {
  representation: IsolationRepresentation
  alignment: 'max-order' | 'pageblock'
  boundarySplit: boolean
  reclaim: 'none' | 'in-split-free-page' | 'in-alloc-contig-range'
  splitWatermark: 'low-2011' | 'isolated-exempt'
}

/** The era's kernel: pageblock alignment (every modelled era is 5.19+), no reclaim, no watermark on isolated blocks. */
export function defaultContigVariant(m: Machine): ContigVariant {
  return {
    representation: m.isolateBit ? 'flag' : 'migratetype',
    alignment: 'pageblock',
    boundarySplit: true,
    reclaim: 'none',
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
  /** Pages reclaimed by the seed-004 reclaim variants. */
  nrReclaimed: number
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
