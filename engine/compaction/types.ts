/**
 * Compaction's enums and `struct compact_control` (include/linux/compaction.h, mm/internal.h),
 * with the switchable design variants of seeds 000 and 002 (kernel-model.md §9 a, e).
 */
import { type KernelEra } from '../mm/config'
import { type Machine, eraAtLeast } from '../mm/machine'
import { type CostModel } from '../sched/costModel'
import { type LockTimeline } from '../migrate/lockTimeline'
import { type migratePages } from '../migrate/migratePages'
import { type SimClock } from '../migrate/simClock'

/**
 * `enum compact_result`, in the kernel's order: direct compaction takes the maximum over zones,
 * so the order matters (`compactResultRank`).
 */
export const COMPACT_RESULTS = [
  'not_suitable_zone',
  'skipped',
  'deferred',
  'no_suitable_page',
  'continue',
  'complete',
  'partial_skipped',
  'contended',
  'success',
] as const
export type CompactResult = (typeof COMPACT_RESULTS)[number]

/** Position of `r` in `enum compact_result` (for `max()` over zones). */
export function compactResultRank(r: CompactResult): number {
  return COMPACT_RESULTS.indexOf(r)
}

/** `compaction_made_progress()`: only SUCCESS. */
export function compactionMadeProgress(r: CompactResult): boolean {
  return r === 'success'
}

/** `compaction_failed()`: the whole zone was scanned (COMPLETE). */
export function compactionFailed(r: CompactResult): boolean {
  return r === 'complete'
}

/** `compaction_needs_reclaim()`: too few free pages to compact (SKIPPED). */
export function compactionNeedsReclaim(r: CompactResult): boolean {
  return r === 'skipped'
}

/** `compaction_withdrawn()`: gave up for reasons other than failure (DEFERRED, CONTENDED, PARTIAL_SKIPPED). */
export function compactionWithdrawn(r: CompactResult): boolean {
  return r === 'deferred' || r === 'contended' || r === 'partial_skipped'
}

/**
 * `enum compact_priority`: SYNC_FULL (= MIN_COMPACT_PRIORITY), SYNC_LIGHT
 * (= MIN_COMPACT_COSTLY_PRIORITY = DEF_COMPACT_PRIORITY), ASYNC (= INIT_COMPACT_PRIORITY).
 * Lower numeric value = more effort, as in the kernel.
 */
export const COMPACT_PRIO_SYNC_FULL = 0
export const COMPACT_PRIO_SYNC_LIGHT = 1
export const COMPACT_PRIO_ASYNC = 2
export const MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL
export const MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT
export const DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT
export const INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC
export type CompactPriority = 0 | 1 | 2

/** `enum migrate_mode` (SYNC_NO_COPY, gone in ≈6.9, is not modelled). */
export type MigrateMode = 'async' | 'sync-light' | 'sync'

/** Numeric rank of a migrate mode, for the kernel's `mode < MIGRATE_SYNC` comparisons. */
export function migrateModeRank(mode: MigrateMode): number {
  return mode === 'async' ? 0 : mode === 'sync-light' ? 1 : 2
}

/** `COMPACT_CLUSTER_MAX` (= SWAP_CLUSTER_MAX). */
export const COMPACT_CLUSTER_MAX = 32
/** `COMPACT_MAX_DEFER_SHIFT`. */
export const COMPACT_MAX_DEFER_SHIFT = 6

/** `compact_gap(order)`: free pages needed on top of the watermark to compact for `order`. */
export function compactGap(order: number): number {
  return 2 << order
}

/** Design variants of compaction (kernel-model.md §9 a and e; seeds 000 and 002). */
export interface CompactionVariants {
  /**
   * `'order0-split'` [≤6.8]: isolated free pages are split to order 0 (`split_map_pages`).
   * `'per-order'` [6.9+]: `cc->freepages[order]`, split on demand in `compaction_alloc`.
   * `'per-order-nosplit'` (seed 000, Zi Yan's v3 2/3, Feb 2024): per-order lists, but
   * `compaction_alloc` takes only a free page of exactly the source's order, so with no order-0
   * page isolated it returns NULL and migration ends compaction with -ENOMEM although larger
   * free pages sit on `cc->freepages` (the hazard the patch notes; v3 3/3 added the split).
   */
  freepages: 'order0-split' | 'per-order' | 'per-order-nosplit'
  /**
   * `'skip'` [≤6.8]: compound pages are never migration sources.
   * `'split'` (Zi Yan's v1, "split->migrate always works"): large folios are isolated, split,
   * and the pieces migrated as order-0 folios.
   * `'migrate'` [6.9+]: folios below `cc->order` (and below pageblock order) migrate whole.
   */
  largeFolios: 'skip' | 'split' | 'migrate'
  /**
   * `compaction_free` of an unused destination: `'set-count-zero'` (Zi Yan's v2/v3:
   * `folio_set_count(dst, 0)`) or `'put-testzero'` (merged: recycle only if `folio_put_testzero`).
   */
  freeRefcount: 'set-count-zero' | 'put-testzero'
}

/** Era defaults: ≤6.8 order0-split + skip; 6.9+ per-order + migrate; put-testzero always. */
export function defaultCompactionVariants(m: Machine | KernelEra): CompactionVariants {
  const newer = typeof m === 'string' ? m !== '6.1' && m !== '6.6' : eraAtLeast(m, '6.9')
  return {
    freepages: newer ? 'per-order' : 'order0-split',
    largeFolios: newer ? 'migrate' : 'skip',
    freeRefcount: 'put-testzero',
  }
}

/**
 * What compaction needs from the rest of the simulator: the clock it charges, the cost table,
 * optionally the migration engine, the lock timeline, variants, sysctls and fault injection.
 */
export interface CompactEnv {
  clock: SimClock
  cost: CostModel
  /** mm/migrate.c:migrate_pages; default engine/migrate's `migratePages` (tests may wrap it). */
  migratePages?: typeof migratePages
  locks?: LockTimeline
  variants?: Partial<CompactionVariants>
  /** `sysctl_extfrag_threshold` (0..1000, default 500). */
  extfragThreshold?: number
  /** `sysctl_compact_unevictable_allowed` (default 1). */
  compactUnevictableAllowed?: boolean
  /** `sysctl_compaction_proactiveness` (0..100, default 20). */
  compactionProactiveness?: number
  /** True while kswapd of the node runs (`kswapd_is_running`); proactive compaction backs off. */
  kswapdIsRunning?: (nid: number) => boolean
  /**
   * Fault injection for the seed-000 race: called on every destination `compaction_alloc`
   * hands out; returning true takes a speculative `get_page_unless_zero` reference on it, as a
   * PFN walker on another CPU could. The references are listed in `cc.speculativeRefs`.
   */
  speculativeRefOnNewDst?: (dstPfn: number) => boolean
}

/** `struct compact_control` (mm/internal.h), camelCased. */
export interface CompactControl {
  /** Isolated free pages, per order (`freepages[NR_PAGE_ORDERS]`; ≤6.8 uses only [0]). */
  freepages: PfnDeque[]
  /** Isolated folio heads to migrate (`migratepages`). */
  migratepages: number[]
  /** Isolated free pages, in base pages. */
  nrFreepages: number
  /** Isolated pages to migrate, in base pages. */
  nrMigratepages: number
  /** Free scanner position (moves down). */
  freePfn: number
  /** Migrate scanner position (moves up). */
  migratePfn: number
  fastStartPfn: number
  /** `isolate_freepages_block`'s `*start_pfn` out-parameter: how far its last call scanned. */
  freeBlockScannedTo: number
  zoneId: number
  totalMigrateScanned: number
  totalFreeScanned: number
  fastSearchFail: number
  searchOrder: number
  gfpMask: number
  /** Requested order; -1 for the whole zone (`is_via_compact_memory`). */
  order: number
  migratetype: number
  allocFlags: number
  highestZoneidx: number
  mode: MigrateMode
  ignoreSkipHint: boolean
  noSetSkipHint: boolean
  ignoreBlockSuitable: boolean
  directCompaction: boolean
  proactiveCompaction: boolean
  wholeZone: boolean
  contended: boolean
  /** `finish_pageblock` (≤6.3 `rescan`): scan the current block to its end. */
  finishPageblock: boolean
  allocContig: boolean
  /** Resolved variants for this run. */
  variants: CompactionVariants
  /** Destinations a speculative holder got a reference on (fault injection), for the caller to put. */
  speculativeRefs: number[]
  /** Destinations compaction gave up because a speculative holder owned them (put-testzero). */
  lostFreepages: number
  /** `capture_control.page`: a free block of `order` captured during compaction, or -1. */
  capturedPfn: number
}

/**
 * A double-ended queue of pfns in a growable Int32Array: the kernel's `list_head` used as
 * `list_add` (head) / `list_add_tail` / `list_first_entry`.
 */
export class PfnDeque {
  private buf = new Int32Array(64)
  private head = 0
  length = 0

  private grow(): void {
    const nb = new Int32Array(this.buf.length * 2)
    for (let i = 0; i < this.length; i++) nb[i] = this.buf[(this.head + i) & (this.buf.length - 1)]
    this.buf = nb
    this.head = 0
  }

  /** `list_add`: insert at the head. */
  pushHead(pfn: number): void {
    if (this.length === this.buf.length) this.grow()
    this.head = (this.head - 1) & (this.buf.length - 1)
    this.buf[this.head] = pfn
    this.length++
  }

  /** `list_add_tail`. */
  pushTail(pfn: number): void {
    if (this.length === this.buf.length) this.grow()
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = pfn
    this.length++
  }

  /** `list_first_entry` + `list_del`; -1 when empty. */
  popHead(): number {
    if (this.length === 0) return -1
    const v = this.buf[this.head]
    this.head = (this.head + 1) & (this.buf.length - 1)
    this.length--
    return v
  }

  at(i: number): number {
    return this.buf[(this.head + i) & (this.buf.length - 1)]
  }

  clear(): void {
    this.head = 0
    this.length = 0
  }
}

/** Fresh `compact_control` for `zoneId` (the caller sets the request fields). */
export function createCompactControl(
  m: Machine,
  zoneId: number,
  order: number,
  mode: MigrateMode,
  variants: CompactionVariants,
): CompactControl {
  const freepages: PfnDeque[] = []
  for (let o = 0; o <= m.maxOrder; o++) freepages.push(new PfnDeque())
  return {
    freepages,
    migratepages: [],
    nrFreepages: 0,
    nrMigratepages: 0,
    freePfn: 0,
    migratePfn: 0,
    fastStartPfn: 0,
    freeBlockScannedTo: 0,
    zoneId,
    totalMigrateScanned: 0,
    totalFreeScanned: 0,
    fastSearchFail: 0,
    searchOrder: 0,
    gfpMask: 0,
    order,
    migratetype: 1,
    allocFlags: 0,
    highestZoneidx: 3,
    mode,
    ignoreSkipHint: false,
    noSetSkipHint: false,
    ignoreBlockSuitable: false,
    directCompaction: false,
    proactiveCompaction: false,
    wholeZone: false,
    contended: false,
    finishPageblock: false,
    allocContig: false,
    variants,
    speculativeRefs: [],
    lostFreepages: 0,
    capturedPfn: -1,
  }
}

export type { CostModel }
