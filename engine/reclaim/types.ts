/**
 * Constants, costs, variants and the environment of page reclaim and the allocation slow path
 * (mm/vmscan.c, mm/page_alloc.c:__alloc_pages_slowpath, mm/swapfile.c).
 */
import { type CompactEnv } from '../compaction/types'
import { type Machine, eraAtLeast } from '../mm/machine'
import { type SimClock } from '../migrate/simClock'
import { type CostModel } from '../sched/costModel'

/** `SWAP_CLUSTER_MAX` (include/linux/swap.h): folios per isolation batch and direct-reclaim target. */
export const SWAP_CLUSTER_MAX = 32
/** `DEF_PRIORITY` (mmzone.h): scan `lru_size >> priority` per pass, priority 12 down to 0. */
export const DEF_PRIORITY = 12
/** `MAX_RECLAIM_RETRIES` (mm/internal.h). */
export const MAX_RECLAIM_RETRIES = 16
/** `MAX_COMPACT_RETRIES` (mm/page_alloc.c). */
export const MAX_COMPACT_RETRIES = 16
/** `SWAPFILE_CLUSTER` (mm/swapfile.c, = HPAGE_PMD_NR with THP_SWAP): slots per swap cluster. */
export const SWAPFILE_CLUSTER = 512
/**
 * Pages one swap-in IO brings (`1 << page_cluster`, vm.page-cluster default 3): the swap
 * readahead window (mm/swap_state.c:swap_cluster_readahead), so contiguous slots fault in 8 per
 * read.
 */
export const SWAP_READAHEAD_PAGES = 8
/** vm.swappiness default. */
export const DEFAULT_SWAPPINESS = 60

/**
 * Reclaim's costs in simulated ns, on top of engine/sched's `CostModel` (pteUnmapNs per
 * unmapped mapping, tlbFlushNs per unmap batch, freeNs per freed folio, lockNs per split). The
 * defaults are order-of-magnitude figures for an NVMe SSD behind swap and the filesystem; they
 * set relative costs (an IO completion is ~1000 times a folio scan), not any one machine.
 */
export interface ReclaimCostModel {
  /** Isolating and examining one folio in shrink_folio_list / shrink_active_list. */
  scanFolioNs: number
  /** File writeback: submit-to-completion latency of one writeback IO (flusher or pageout). */
  writebackLatencyNs: number
  /** File writeback: added per base page of the IO. */
  writebackNsPerPage: number
  /** Swap-out: submit-to-completion latency of one swap write (`swap_writepage`). */
  swapWriteLatencyNs: number
  /** Swap-out: added per base page. */
  swapWriteNsPerPage: number
  /** Swap-in: latency of one synchronous swap read (`swap_readpage`) plus per page. */
  swapReadLatencyNs: number
  swapReadNsPerPage: number
  /** `reclaim_throttle(VMSCAN_THROTTLE_WRITEBACK)` timeout, HZ/10. */
  throttleWritebackNs: number
  /** One `out_of_memory` call that kills a victim (select, signal, reap). */
  oomKillNs: number
}

export const DEFAULT_RECLAIM_COST: Readonly<ReclaimCostModel> = Object.freeze({
  scanFolioNs: 100,
  writebackLatencyNs: 2_000_000,
  writebackNsPerPage: 1_000,
  swapWriteLatencyNs: 200_000,
  swapWriteNsPerPage: 1_000,
  swapReadLatencyNs: 100_000,
  swapReadNsPerPage: 1_000,
  throttleWritebackNs: 100_000_000,
  oomKillNs: 1_000_000,
})

/**
 * Design variants of reclaim (seed 002: "Swap will split folios in order to swap them").
 * `swapoutLargeFolios`:
 * - `'pmd-only'` [≤6.9, CONFIG_THP_SWAP]: `folio_alloc_swap` takes a whole free cluster for a
 *   PMD-sized folio; any other large folio, or a PMD folio without a free cluster, is split
 *   (`thp_swpout_fallback`) and its pieces swapped one by one.
 * - `'any-order'` [6.10+, Ryan Roberts' mTHP swap-out]: any large folio up to a cluster swaps
 *   whole if a naturally aligned run of free slots exists in one cluster; else split.
 * - `'split'`: every large folio is split first (no THP_SWAP; zswap ≤6.12 refusing large folios).
 */
export interface ReclaimVariants {
  swapoutLargeFolios: 'pmd-only' | 'any-order' | 'split'
}

export function defaultReclaimVariants(m: Machine): ReclaimVariants {
  return { swapoutLargeFolios: eraAtLeast(m, '6.10') ? 'any-order' : 'pmd-only' }
}

/** What the OOM killer's victim selection returns (a workload process killed, its memory freed). */
export interface OomVictim {
  pid: number
  comm: string
  /** Base pages the kill gave back (the caller frees them before returning). */
  freedPages: number
}

/** Input of `out_of_memory` for the victim hook. */
export interface OomControl {
  gfp: number
  order: number
  nid: number
}

/** What reclaim and the slow path need from the rest of the simulator. */
export interface ReclaimEnv {
  /** The calling task's clock: direct reclaim, compaction, throttling and sync IO advance it. */
  clock: SimClock
  cost: CostModel
  reclaimCost?: Partial<ReclaimCostModel>
  variants?: Partial<ReclaimVariants>
  /** vm.swappiness (0..200, default 60). */
  swappiness?: number
  /** Compaction's extra environment (variants, sysctls, migratePages); clock and cost are ours. */
  compaction?: Partial<CompactEnv>
  /**
   * What `wake_all_kswapds` does: `'inline'` (default) runs kswapd's `balance_pgdat` at once on
   * kswapd's own clock (the caller's clock is not charged); `'wake-only'` records the wakeup
   * (`kswapdPending`) for a scheduler to run `kswapdRun` as its own task.
   */
  kswapdMode?: 'inline' | 'wake-only'
  /** Run kcompactd's work at once when kswapd wakes it (default true; else only recorded). */
  runKcompactd?: boolean
  /**
   * With `runKcompactd: false`: told when kswapd (or a wakeup that cannot reclaim) woke
   * kcompactd on node `nid`, so that a scheduler runs kcompactd as its own thread.
   */
  onKcompactdWake?: (nid: number) => void
  /** Told after each direct compaction attempt of the slow path that was not SKIPPED. */
  onDirectCompact?: (order: number, result: string, success: boolean, latencyNs: number) => void
  /**
   * `cond_resched()` of the allocating task (after a failed direct compaction, and in loops
   * like `set_max_huge_pages`): with `'wake-only'` kswapd, a scheduler runs the woken kswapd
   * thread here (one CPU: the task yields to it). Without it, engine/reclaim runs kswapd inline.
   */
  onCondResched?: () => void
  /** The allocating task is in reclaim (PF_MEMALLOC): no recursion, no watermarks. */
  pfMemalloc?: boolean
  /** `oom_reserves_allowed`: the task is an OOM victim (ALLOC_OOM). */
  oomVictim?: boolean
  /** The OOM killer's victim selection; without it `out_of_memory` finds nothing to kill. */
  oomKill?: (oc: OomControl) => OomVictim | null
}

/** The cost table with defaults filled in. */
export function reclaimCost(env: ReclaimEnv): ReclaimCostModel {
  return env.reclaimCost === undefined
    ? DEFAULT_RECLAIM_COST
    : { ...DEFAULT_RECLAIM_COST, ...env.reclaimCost }
}

/** `struct scan_control` (mm/vmscan.c), the fields the model uses. */
export interface ScanControl {
  nrToReclaim: number
  gfpMask: number
  reclaimIdx: number
  order: number
  priority: number
  mayWritepage: boolean
  mayUnmap: boolean
  maySwap: boolean
  /** DEACTIVATE_ANON (1) | DEACTIVATE_FILE (2). */
  mayDeactivate: number
  forceDeactivate: boolean
  skippedDeactivate: boolean
  cacheTrimMode: boolean
  fileIsTiny: boolean
  compactionReady: boolean
  isKswapd: boolean
  nrScanned: number
  nrReclaimed: number
  /** `sc->nr`: per shrink_node round. */
  nrDirty: number
  nrUnqueuedDirty: number
  nrWriteback: number
  nrTaken: number
  nrFileTaken: number
  nrImmediate: number
}

export const DEACTIVATE_ANON = 1
export const DEACTIVATE_FILE = 2

export function createScanControl(over: Partial<ScanControl>): ScanControl {
  return {
    nrToReclaim: SWAP_CLUSTER_MAX,
    gfpMask: 0,
    reclaimIdx: 3,
    order: 0,
    priority: DEF_PRIORITY,
    mayWritepage: true,
    mayUnmap: true,
    maySwap: true,
    mayDeactivate: 0,
    forceDeactivate: false,
    skippedDeactivate: false,
    cacheTrimMode: false,
    fileIsTiny: false,
    compactionReady: false,
    isKswapd: false,
    nrScanned: 0,
    nrReclaimed: 0,
    nrDirty: 0,
    nrUnqueuedDirty: 0,
    nrWriteback: 0,
    nrTaken: 0,
    nrFileTaken: 0,
    nrImmediate: 0,
    ...over,
  }
}
