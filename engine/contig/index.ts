/**
 * # engine/contig: alloc_contig_range (mm/page_alloc.c) and its seed-003/004 variants
 *
 * `allocContigRange(m, start, end, migratetype, env, variant?)` isolates the range
 * (engine/isolation), drains the per-cpu lists, migrates its in-use pages out
 * (`__alloc_contig_migrate_range`: 32 pages at a time, clean page cache dropped, 5 tries,
 * through engine/migrate), checks `test_pages_isolated`, grabs the free pages
 * (`isolate_freepages_range`, strict) and frees the outer parts; it returns a
 * `ContigRequestRecord` whose `ret` is 0, -EBUSY, -ENOMEM or -EINTR, with latency (simulated
 * ns), pages migrated, reclaim figures and the time the zone spent below MIN. Free the range
 * with `freeContigRange`. Every request is added to `contigSeries(m)` for the charts.
 *
 * Migration targets come from `alloc_migration_target`: `__alloc_pages` with the whole slow path
 * (engine/reclaim `allocPagesReclaim`: kswapd wakeup, direct reclaim, compaction, retries; no
 * OOM kill, the mask has `__GFP_RETRY_MAYFAIL`), so under memory pressure the range is freed
 * by reclaiming elsewhere, and with nothing reclaimable it fails with -ENOMEM.
 *
 * Variants (`ContigVariant`): `alignment` max-order | pageblock, `boundarySplit`,
 * `representation` migratetype | flag, `reclaim` migration-target | in-split-free-page |
 * in-alloc-contig-range, `splitWatermark` low-2011 | isolated-exempt. Defaults are the era's
 * kernel (`defaultContigVariant`).
 *
 * ## Where the model departs from the kernel
 * - Reclaim (the targets' slow path, the seed-004 variants' `try_to_free_pages`) is
 *   engine/reclaim's; its time is reclaim's own cost model, advanced on the request's clock.
 * - The 2011 OOM call on a reclaim pass without progress is counted, not performed; after
 *   MAX_RECLAIM_RETRIES such passes the block is refused (the 2011 patch retried forever).
 * - `'max-order'` clips the widened range to the zone (5.18 assumed callers kept it inside).
 * - No hugetlb (no `isolate_or_dissolve_huge_page`), no `__GFP_COMP` compound result [6.11+],
 *   no `lru_cache_disable` (the model has no LRU add batches).
 */
export {
  type ContigVariant,
  type ContigEnv,
  type ContigHooks,
  type ContigMigrateApi,
  type ContigMigrateOptions,
  type ContigMigrateStats,
  type ContigCostExtension,
  type ContigOutcome,
  type ContigRequestRecord,
  DEFAULT_CONTIG_COSTS,
  defaultContigVariant,
  contigOutcome,
  EBUSY,
  ENOMEM,
  EINTR,
} from './types'
export { allocContigRange } from './allocContigRange'
export { freeContigRange } from './freeContigRange'
export {
  allocContigMigrateRange,
  contigMigrationTarget,
  CONTIG_MIGRATE_GFP,
  migrationTargetGfp,
} from './migrateRange'
export { isolateMigratepagesRange, COMPACT_CLUSTER_MAX } from './isolateMigratepages'
export { isolateFreepagesRange, MAX_RECLAIM_RETRIES } from './isolateFreepages'
export {
  contigDirectReclaim,
  reclaimCleanPagesFromList,
  SWAP_CLUSTER_MAX,
  type ContigReclaimResult,
} from './reclaim'
export { MIGRATE_API } from './migrateApi'
export { placeFolio, placeFreeRange, reserveRangeFromBuddy } from './placement'
export {
  type ContigSeries,
  type ContigSource,
  type ContigSeriesOutcome,
  type ContigPoint,
  recordContig,
  contigSeries,
  contigOutcomeCounts,
} from './series'
