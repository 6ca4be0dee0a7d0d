/**
 * mmwb: the workload API of MM Workbench.
 *
 * A workload is a TypeScript module whose default export receives the simulated kernel:
 *
 * ```ts
 * import { GFP_KERNEL, type Kernel, type MachineSpec } from 'mmwb'
 *
 * export const machine: MachineSpec = { memoryMiB: 256 }
 *
 * export default async function (k: Kernel) {
 *   const folio = k.allocPages(GFP_KERNEL, 2)
 *   if (!folio) throw new Error('order-2 allocation failed')
 *   k.record('nr_free_pages', k.vmstat('nr_free_pages'))
 *   await k.sleep(1_000_000)
 *   k.folioPut(folio)
 *   console.log(k.proc.buddyinfo())
 * }
 * ```
 *
 * The module may also export `machine` (a {@link MachineSpec}), `variants` (named sets of
 * knobs, {@link Variants}) and `seeds` (a {@link Seeds} list). Names follow the kernel's
 * (`alloc_pages` is `allocPages`, `folio_put` is `folioPut`); units are in the names
 * (`ns`, `order`, `pfn`). Time is simulated: every kernel call costs simulated
 * nanoseconds from a documented cost model, so latencies are the same on every machine and
 * the same seed gives the same interleaving of tasks.
 *
 * Scripts run in a sandbox: no Node, no DOM, no network, no file system, no timers
 * (`setTimeout` does not exist: use {@link Kernel.sleep}). `console.log` goes to the run log.
 * Only `'mmwb'` can be imported.
 */

// ---- sizes and orders ------------------------------------------------------------------

/** Size of a base page in bytes (`PAGE_SIZE`, 4 KiB on x86_64). */
export declare const PAGE_SIZE: number
/** log2 of {@link PAGE_SIZE} (`PAGE_SHIFT`, 12 on x86_64). */
export declare const PAGE_SHIFT: number
/**
 * Largest buddy order (`MAX_PAGE_ORDER`, 10 on x86_64: 4 MiB blocks). Kernels before 6.4
 * called the exclusive bound `MAX_ORDER` (11).
 * @example
 * for (let order = 0; order <= MAX_PAGE_ORDER; order++) k.allocPages(GFP_KERNEL, order)
 */
export declare const MAX_PAGE_ORDER: number
/** Number of buddy orders (`NR_PAGE_ORDERS` = {@link MAX_PAGE_ORDER} + 1). */
export declare const NR_PAGE_ORDERS: number
/** `pageblock_order` (9 on x86_64 with hugetlb: 2 MiB pageblocks). */
export declare const PAGEBLOCK_ORDER: number
/** Pages per pageblock (`pageblock_nr_pages`, 1 << {@link PAGEBLOCK_ORDER}). */
export declare const PAGEBLOCK_NR_PAGES: number
/** Orders above this are "costly" to the allocator (`PAGE_ALLOC_COSTLY_ORDER`, 3). */
export declare const PAGE_ALLOC_COSTLY_ORDER: number
/** Order of a PMD-mapped transparent huge page (`HPAGE_PMD_ORDER`, 9). */
export declare const HPAGE_PMD_ORDER: number

// ---- compaction priorities (include/linux/compaction.h) ---------------------------------

/**
 * `COMPACT_PRIO_SYNC_FULL` (0, `MIN_COMPACT_PRIORITY`): MIGRATE_SYNC_LIGHT over the whole zone,
 * ignoring pageblock skip bits.
 * @example
 * k.tryToCompactPages(4, GFP_KERNEL, COMPACT_PRIO_SYNC_FULL)
 */
export declare const COMPACT_PRIO_SYNC_FULL: number
/** `COMPACT_PRIO_SYNC_LIGHT` (1, `DEF_COMPACT_PRIORITY`): MIGRATE_SYNC_LIGHT, skip bits honoured. */
export declare const COMPACT_PRIO_SYNC_LIGHT: number
/** `COMPACT_PRIO_ASYNC` (2, `INIT_COMPACT_PRIORITY`): MIGRATE_ASYNC, the first attempt of the slow path. */
export declare const COMPACT_PRIO_ASYNC: number

// ---- migratetypes ----------------------------------------------------------------------

/** `MIGRATE_UNMOVABLE` (0): kernel allocations that can never move. */
export declare const MIGRATE_UNMOVABLE: number
/** `MIGRATE_MOVABLE` (1): user pages and page cache that migration can move. */
export declare const MIGRATE_MOVABLE: number
/** `MIGRATE_RECLAIMABLE` (2): slab caches that reclaim can free (dentries, inodes). */
export declare const MIGRATE_RECLAIMABLE: number
/** `MIGRATE_HIGHATOMIC` (3): pageblocks reserved for high-order atomic allocations. */
export declare const MIGRATE_HIGHATOMIC: number
/** `MIGRATE_CMA` (4): pageblocks of a CMA area; only movable allocations may use them. */
export declare const MIGRATE_CMA: number
/** `MIGRATE_ISOLATE` (5): pageblocks isolated for alloc_contig_range or offlining. */
export declare const MIGRATE_ISOLATE: number

// ---- GFP flags (include/linux/gfp_types.h, x86_64) ---------------------------------------

/** `__GFP_DMA`: allocate from ZONE_DMA (below 16 MiB). */
export declare const __GFP_DMA: number
/** `__GFP_HIGHMEM`: highmem is allowed (with `__GFP_MOVABLE` it selects ZONE_MOVABLE). */
export declare const __GFP_HIGHMEM: number
/** `__GFP_DMA32`: allocate from ZONE_DMA32 or below (below 4 GiB). */
export declare const __GFP_DMA32: number
/** `__GFP_MOVABLE`: the page can be migrated; the request's migratetype is MOVABLE. */
export declare const __GFP_MOVABLE: number
/** `__GFP_RECLAIMABLE`: the page is reclaimable slab; the migratetype is RECLAIMABLE. */
export declare const __GFP_RECLAIMABLE: number
/** `__GFP_HIGH`: high priority; may dip below the min watermark (`ALLOC_MIN_RESERVE`). */
export declare const __GFP_HIGH: number
/** `__GFP_IO`: may start physical I/O. */
export declare const __GFP_IO: number
/** `__GFP_FS`: may call into the file system. */
export declare const __GFP_FS: number
/** `__GFP_ZERO`: return zeroed pages. */
export declare const __GFP_ZERO: number
/** `__GFP_DIRECT_RECLAIM`: may enter direct reclaim and compaction (the caller can sleep). */
export declare const __GFP_DIRECT_RECLAIM: number
/** `__GFP_KSWAPD_RECLAIM`: wake kswapd when a low watermark is hit. */
export declare const __GFP_KSWAPD_RECLAIM: number
/** `__GFP_RECLAIM` = `__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM`. */
export declare const __GFP_RECLAIM: number
/** `__GFP_WRITE`: the caller intends to dirty the page. */
export declare const __GFP_WRITE: number
/** `__GFP_NOWARN`: do not warn on failure. */
export declare const __GFP_NOWARN: number
/** `__GFP_RETRY_MAYFAIL`: retry hard, but fail rather than invoke the OOM killer. */
export declare const __GFP_RETRY_MAYFAIL: number
/** `__GFP_NOFAIL`: retry forever; the allocation cannot fail. */
export declare const __GFP_NOFAIL: number
/** `__GFP_NORETRY`: give up after one light attempt at reclaim and compaction. */
export declare const __GFP_NORETRY: number
/** `__GFP_MEMALLOC`: may use all reserves (PF_MEMALLOC callers). */
export declare const __GFP_MEMALLOC: number
/** `__GFP_COMP`: make a compound page (a large folio). */
export declare const __GFP_COMP: number
/** `__GFP_NOMEMALLOC`: never use the emergency reserves. */
export declare const __GFP_NOMEMALLOC: number
/** `__GFP_HARDWALL`: enforce the cpuset memory policy. */
export declare const __GFP_HARDWALL: number
/** `__GFP_THISNODE`: allocate on the requested node only. */
export declare const __GFP_THISNODE: number
/** `__GFP_ACCOUNT`: charge the allocation to the memory cgroup. */
export declare const __GFP_ACCOUNT: number
/**
 * `GFP_KERNEL`: ordinary unmovable kernel allocations; may sleep, reclaim and compact.
 * @example
 * const folio = k.allocPages(GFP_KERNEL, 0)
 */
export declare const GFP_KERNEL: number
/** `GFP_ATOMIC`: cannot sleep; may use part of the reserves (`__GFP_HIGH`). */
export declare const GFP_ATOMIC: number
/** `GFP_NOWAIT`: cannot sleep and gets no reserves; only wakes kswapd. */
export declare const GFP_NOWAIT: number
/** `GFP_NOIO`: may reclaim but start no I/O. */
export declare const GFP_NOIO: number
/** `GFP_NOFS`: may reclaim and do I/O but not call into file systems. */
export declare const GFP_NOFS: number
/** `GFP_USER`: user-space allocations the kernel also accesses; cpuset-constrained. */
export declare const GFP_USER: number
/** `GFP_DMA`: ZONE_DMA allocation. */
export declare const GFP_DMA: number
/** `GFP_DMA32`: ZONE_DMA32 allocation. */
export declare const GFP_DMA32: number
/** `GFP_HIGHUSER`: user pages that may live in highmem. */
export declare const GFP_HIGHUSER: number
/**
 * `GFP_HIGHUSER_MOVABLE`: user and page-cache pages; movable, so they may use ZONE_MOVABLE
 * and CMA pageblocks.
 * @example
 * const anon = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
 */
export declare const GFP_HIGHUSER_MOVABLE: number
/** `GFP_TRANSHUGE_LIGHT`: THP allocation that neither reclaims nor warns. */
export declare const GFP_TRANSHUGE_LIGHT: number
/** `GFP_TRANSHUGE`: THP allocation that may direct-compact. */
export declare const GFP_TRANSHUGE: number

// ---- handles ----------------------------------------------------------------------------

/**
 * A folio: the head of an allocated block of `2^order` pages. Two handles with the same `pfn`
 * name the same folio. Handles follow their folio: when migration or compaction moves it, `pfn`
 * becomes the destination's; when a large folio is split, the handle names the head piece and
 * `order` drops.
 */
export interface Folio {
  /** Page frame number of the head page. */
  readonly pfn: number
  /** Allocation order: the folio spans `2^order` base pages. */
  readonly order: number
  /** Number of base pages (`folio_nr_pages`), `2^order`. */
  readonly nrPages: number
  /**
   * True while reclaim has swapped the folio out (its PTEs are swap entries; needs
   * {@link MachineSpec.swap}). `pfn` is then -1 and calls that need the page throw;
   * {@link Kernel.touch} faults it back in, {@link Kernel.freePages} frees the swap entry.
   */
  readonly swapped: boolean
}

/** A task created with {@link Kernel.spawn}. */
export interface Task {
  /** The name given to `spawn` (shown in deadlock reports and traces). */
  readonly name: string
  /** The CPU the task is pinned to, or null when it is not pinned. */
  readonly cpu: number | null
  /**
   * Waits, in simulated time, until the task has returned.
   * @returns A promise that resolves when the task ends.
   * @example
   * const t = k.spawn('writer', writer)
   * await t.join()
   */
  join(): Promise<void>
}

/**
 * A simulated process: an address space whose page tables map folios, as user memory does.
 * @example
 * const p = k.createProcess('app')
 * const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)!
 * p.map(f)        // like a fault on fresh anonymous memory
 * k.folioPut(f)   // the allocation's reference; the mapping keeps the folio alive
 * p.exit()        // unmaps (and so frees) everything
 */
export interface Process {
  /** The name given to `createProcess`. */
  readonly name: string
  /** Its pid. */
  readonly pid: number
  /**
   * Maps the folio into the process (`folio_add_new_anon_rmap`): it becomes anonymous, its
   * mapcount rises by one and the page table takes a reference of its own. Mapping the same
   * folio again adds another mapping.
   * @param folio - A live folio.
   * @returns The virtual address it is mapped at (aligned to the folio size).
   */
  map(folio: Folio): number
  /**
   * Removes one mapping (`zap_pte_range`): mapcount and the page table's reference drop, and
   * the TLB is flushed. The last reference frees the folio.
   * @param folio - A folio mapped in this process.
   */
  unmap(folio: Folio): void
  /** `exit_mmap`: unmaps every folio with one TLB flush; the process cannot be used after. */
  exit(): void
  /**
   * Resident pages (each mapping counted), as RSS in pages.
   * @returns The number of base pages mapped.
   */
  rssPages(): number
}

/** Options of {@link Kernel.spawn}. */
export interface SpawnOptions {
  /**
   * Pin the task to this CPU (0..nrCpus-1). Pinned tasks on the same CPU run one at a time;
   * unpinned tasks never wait for a CPU.
   */
  cpu?: number
  /** A daemon task does not keep the run alive: the run ends when all other tasks have ended. */
  daemon?: boolean
}

/** The seeded generator of a run: the same seed gives the same sequence everywhere. */
export interface Rng {
  /**
   * The next 32-bit unsigned integer.
   * @returns An integer in 0..2^32-1.
   */
  next(): number
  /**
   * A uniform integer below `n`.
   * @param n - Exclusive upper bound, an integer in 1..2^32.
   * @returns An integer in 0..n-1.
   * @example
   * const order = k.rng.int(MAX_PAGE_ORDER + 1)
   */
  int(n: number): number
  /**
   * A uniform float.
   * @returns A number in [0, 1).
   */
  float(): number
}

/** The `vm.*` sysctls the model honours, by their /proc/sys/vm names. */
export type SysctlName =
  | 'vm.min_free_kbytes'
  | 'vm.watermark_scale_factor'
  | 'vm.watermark_boost_factor'
  | 'vm.extfrag_threshold'
  | 'vm.compaction_proactiveness'
  | 'vm.compact_unevictable_allowed'
  | 'vm.compact_memory'
  | 'vm.swappiness'
  | 'vm.nr_hugepages'

/** Sysctl access, as `sysctl -w` would do it. */
export interface Sysctl {
  /**
   * Reads a sysctl.
   * @param name - The sysctl's name, e.g. `'vm.min_free_kbytes'`.
   * @returns Its current value.
   * @example
   * const kb = k.sysctl.get('vm.min_free_kbytes')
   */
  get(name: SysctlName): number
  /**
   * Writes a sysctl; the kernel's handler runs: for the watermark knobs
   * `setup_per_zone_wmarks` recomputes every zone's watermarks; writing 1 to
   * `vm.compact_memory` compacts every zone now (as {@link Kernel.compactMemory}, charged to the
   * caller); `vm.compaction_proactiveness` > 0 (default 20) makes kcompactd compact proactively
   * every 500 ms of simulated time while the node's fragmentation score is above the high mark;
   * `vm.extfrag_threshold` (0..1000, default 500) is what `compaction_suitable` compares the
   * fragmentation index with; `vm.compact_unevictable_allowed` (0/1) lets compaction move mlocked
   * folios. `vm.compact_memory` is write-only: reading it throws, like EACCES. Writing
   * `vm.nr_hugepages` resizes the 2 MiB hugetlb pool as `set_max_huge_pages` does: one order-9
   * `__GFP_THISNODE | __GFP_RETRY_MAYFAIL` allocation at a time through the whole slow path
   * (async then sync-light direct compaction, reclaim, `should_compact_retry`, deferral) until
   * the count or the first failure; a lower count frees pool pages; reading it gives the pool size
   * obtained (charged to the caller).
   * @param name - The sysctl's name.
   * @param value - The new value; out-of-range values throw a RangeError, like EINVAL.
   * @example
   * k.sysctl.set('vm.watermark_boost_factor', 0)
   */
  set(name: SysctlName, value: number): void
}

/** The simulated /proc files, in the kernel's exact text layout. */
export interface Proc {
  /**
   * `/proc/buddyinfo`: free blocks per order for every populated zone.
   * @returns The file's text.
   * @example
   * console.log(k.proc.buddyinfo())
   */
  buddyinfo(): string
  /**
   * `/proc/pagetypeinfo`: free blocks per migratetype and order, and pageblocks per type.
   * @returns The file's text.
   */
  pagetypeinfo(): string
  /**
   * `/proc/vmstat`: every counter, one `name value` per line.
   * @returns The file's text.
   */
  vmstat(): string
}

/** The files of `/sys/kernel/mm/transparent_hugepage/hugepages-<size>kB/stats/` (6.12). */
export type MthpStatName =
  | 'anon_fault_alloc'
  | 'anon_fault_fallback'
  | 'anon_fault_fallback_charge'
  | 'swpout'
  | 'swpout_fallback'
  | 'shmem_alloc'
  | 'shmem_fallback'
  | 'shmem_fallback_charge'
  | 'split'
  | 'split_failed'
  | 'split_deferred'
  | 'nr_anon'
  | 'nr_anon_partially_mapped'

/** `/sys/kernel/mm/transparent_hugepage/` (kernel era 6.12). */
export interface TransparentHugepage {
  /**
   * One per-size mTHP counter, `hugepages-<size>/stats/<name>`: e.g. `split` (folios of that
   * size split), `split_deferred` (folios found partially mapped and queued for deferred
   * split), `nr_anon` and `nr_anon_partially_mapped` (anonymous folios of that size now, and
   * those of them queued as partially mapped). Only the 6.12 era serves them.
   * @param size - The directory's size, `'16kB'` .. `'2048kB'`.
   * @param name - The file's name.
   * @returns The counter's value.
   * @example
   * k.record('mthp64k_split', k.transparentHugepage.stat('64kB', 'split'))
   */
  stat(size: string, name: MthpStatName): number
}

/** The debugfs fragmentation indices (`/sys/kernel/debug/extfrag/`). */
export interface Extfrag {
  /**
   * `unusable_index`: per zone and order, the fraction of free memory unusable for an
   * allocation of that order (0.000 to 1.000).
   * @returns The file's text.
   */
  unusableIndex(): string
  /**
   * `extfrag_index`: per zone and order, whether a failure at that order would be due to
   * fragmentation (towards 1.000) or lack of memory (towards 0.000); -1.000 when an
   * allocation of that order would succeed.
   * @returns The file's text.
   */
  fragmentationIndex(): string
}

/**
 * Tracepoints a script can subscribe to, by their ftrace names: kmem
 * (include/trace/events/kmem.h), migrate (migrate.h), compaction (compaction.h), cma (cma.h),
 * page isolation (page_isolation.h), vmscan (vmscan.h) and oom (oom.h).
 */
export type TracepointName =
  | 'mm_page_alloc'
  | 'mm_page_free'
  | 'mm_page_alloc_zone_locked'
  | 'mm_page_alloc_extfrag'
  | 'mm_page_pcpu_drain'
  | 'mm_migrate_pages_start'
  | 'mm_migrate_pages'
  | 'test_pages_isolated'
  | 'cma_alloc_start'
  | 'cma_alloc_finish'
  | 'cma_alloc_busy_retry'
  | 'cma_release'
  | 'mm_compaction_isolate_migratepages'
  | 'mm_compaction_isolate_freepages'
  | 'mm_compaction_migratepages'
  | 'mm_compaction_begin'
  | 'mm_compaction_end'
  | 'mm_compaction_try_to_compact_pages'
  | 'mm_compaction_finished'
  | 'mm_compaction_suitable'
  | 'mm_compaction_deferred'
  | 'mm_compaction_defer_compaction'
  | 'mm_compaction_defer_reset'
  | 'mm_compaction_kcompactd_sleep'
  | 'mm_compaction_wakeup_kcompactd'
  | 'mm_compaction_kcompactd_wake'
  | 'mm_compaction_fast_isolate_freepages'
  | 'compact_retry'
  | 'reclaim_retry_zone'
  | 'mm_vmscan_wakeup_kswapd'
  | 'mm_vmscan_kswapd_wake'
  | 'mm_vmscan_kswapd_sleep'
  | 'mm_vmscan_direct_reclaim_begin'
  | 'mm_vmscan_direct_reclaim_end'
  | 'mm_vmscan_lru_shrink_inactive'
  | 'mark_victim'

/** One trace event, with the kernel's field names. */
export interface TraceEvent {
  /** The tracepoint's name, e.g. `'mm_page_alloc'`. */
  readonly name: TracepointName
  /** Simulated time of the event, in ns. */
  readonly timeNs: number
  /** The event's fields by the kernel's names (`pfn`, `order`, `migratetype`, ...). */
  readonly fields: Readonly<Record<string, number | string | boolean>>
}

/** Trace subscriptions. */
export interface Trace {
  /**
   * Calls `cb` for every event of a tracepoint, synchronously as the kernel emits it.
   * @param tracepoint - The tracepoint's name.
   * @param cb - Receives each event; it must not block (no `await` of kernel calls).
   * @returns A function that ends the subscription.
   * @example
   * let fallbacks = 0
   * const off = k.trace.on('mm_page_alloc_extfrag', () => fallbacks++)
   */
  on(tracepoint: TracepointName, cb: (ev: TraceEvent) => void): () => void
}

/** `enum compact_result` as the kernel's tracepoints print it (lower case). */
export type CompactResult =
  | 'not_suitable_zone'
  | 'skipped'
  | 'deferred'
  | 'no_suitable_page'
  | 'continue'
  | 'complete'
  | 'partial_skipped'
  | 'contended'
  | 'success'

/** What {@link Kernel.compactMemory} did. */
export interface CompactMemoryResult {
  /** `compact_zone`'s result for each populated zone, in zone order. */
  readonly results: CompactResult[]
  /** Simulated ns the whole compaction took (charged to the caller). */
  readonly latencyNs: number
}

/** `enum migrate_mode`. */
export type MigrateMode = 'async' | 'sync-light' | 'sync'

/** `enum migrate_reason`, spelled as the mm_migrate_pages tracepoint prints it. */
export type MigrateReason =
  | 'compaction'
  | 'memory_failure'
  | 'memory_hotplug'
  | 'syscall_or_cpuset'
  | 'mempolicy_mbind'
  | 'numa_misplaced'
  | 'contig_range'
  | 'longterm_pin'
  | 'demotion'

/** Options of {@link Kernel.migratePages}. */
export interface MigratePagesOptions {
  /** Migration mode (default `'sync'`, as move_pages(2) uses). */
  mode?: MigrateMode
  /** Why (default `'syscall_or_cpuset'`); shown in the mm_migrate_pages tracepoint. */
  reason?: MigrateReason
  /**
   * `mtc->gfp_mask` of the destination allocation (default `GFP_HIGHUSER_MOVABLE |
   * __GFP_RETRY_MAYFAIL`; large folios get `GFP_TRANSHUGE`, which may direct-compact).
   */
  gfp?: number
}

/** What one {@link Kernel.migratePages} call did (`struct migrate_pages_stats` and measurements). */
export interface MigratePagesResult {
  /** Base pages migrated (`pgmigrate_success` of this call). */
  readonly nrSucceeded: number
  /** Base pages that failed (`pgmigrate_fail`). */
  readonly nrFailedPages: number
  /** PMD-size folios migrated whole. */
  readonly nrThpSucceeded: number
  /** PMD-size folios that failed. */
  readonly nrThpFailed: number
  /** PMD-size folios split for want of a destination. */
  readonly nrThpSplit: number
  /** migrate_pages's return: folios not migrated, or a negative errno (-ENOMEM = -12). */
  readonly retval: number
  /** Folios that could not be isolated from the LRU (not LRU folios, or already isolated). */
  readonly notIsolated: number
  /** Destinations allocated and given back unused (variant `migration.allocateTarget`). */
  readonly wastedTargets: number
  /** Simulated ns of the whole call, charged to the caller. */
  readonly latencyNs: number
  /** Per migrated folio: ns from its unmap to the end of its move. */
  readonly folioLatencyNs: readonly number[]
  /** Per source-lock hold: ns the source folio stayed locked. */
  readonly lockHoldNs: readonly number[]
}

/** What one `cma_alloc` did. */
export interface CmaAllocResult {
  /** First pfn of the allocation, or null when it failed. */
  readonly pfn: number | null
  /** 0, or the last error: -16 (-EBUSY), -12 (-ENOMEM), -4 (-EINTR). */
  readonly ret: number
  /** `'success' | 'busy' | 'nomem' | 'intr'`. */
  readonly outcome: string
  /** Simulated ns the call took (charged to the caller). */
  readonly latencyNs: number
  /** alloc_contig_range calls made (busy retries move one alignment unit on). */
  readonly attempts: number
  /** `cma_alloc_busy_retry` events. */
  readonly busyRetries: number
  /** Base pages migrated out of the way by all attempts. */
  readonly nrMigrated: number
  /**
   * Pages direct reclaim freed for the call: the migration targets' slow path, plus the
   * `contig.reclaim` variant's own reclaim.
   */
  readonly nrReclaimed: number
  /** Simulated ns the zone spent below its MIN watermark during the call. */
  readonly belowMinNs: number
}

/** A CMA area reserved at boot, with its `/sys/kernel/mm/cma/<name>/` counters. */
export interface CmaAreaInfo {
  /** The area's name. */
  readonly name: string
  /** First pfn. */
  readonly basePfn: number
  /** Size in pages. */
  readonly count: number
  /** `order_per_bit` of its bitmap. */
  readonly orderPerBit: number
  /** `alloc_pages_success`: pages allocated successfully. */
  readonly allocPagesSuccess: number
  /** `alloc_pages_fail`: pages whose allocation failed. */
  readonly allocPagesFail: number
}

/** The Contiguous Memory Allocator: areas come from {@link MachineSpec.cma}. */
export interface Cma {
  /**
   * `cma_alloc(cma, count, align)`: finds a free run in the area's bitmap and calls
   * `alloc_contig_range(MIGRATE_CMA)`, retrying one alignment unit further on -EBUSY.
   * Counts `cma_alloc_success` / `cma_alloc_fail`.
   * @param name - The area's name from `machine.cma`.
   * @param count - Pages wanted.
   * @param align - Alignment as an order (default 0).
   * @returns The outcome; `pfn` is null on failure.
   * @example
   * const r = k.cma.alloc('camera', 1024, 8)
   * if (r.pfn !== null) k.cma.release('camera', r.pfn, 1024)
   */
  alloc(name: string, count: number, align?: number): CmaAllocResult
  /**
   * `cma_release(cma, pages, count)`: frees a range `alloc` returned.
   * @param name - The area's name.
   * @param pfn - First pfn of the range.
   * @param count - Its size in pages.
   * @returns False when the range is not inside the area.
   */
  release(name: string, pfn: number, count: number): boolean
  /**
   * The areas reserved at boot.
   * @returns Each area with its per-area counters.
   */
  areas(): CmaAreaInfo[]
}

/** What one `alloc_contig_range` call did. */
export interface ContigRangeResult {
  /** 0, -16 (-EBUSY), -12 (-ENOMEM) or -4 (-EINTR). */
  readonly ret: number
  /** `'success' | 'busy' | 'nomem' | 'intr'`. */
  readonly outcome: string
  /** Simulated ns, charged to the caller. */
  readonly latencyNs: number
  /** Base pages migrated out of the range. */
  readonly nrMigrated: number
  /**
   * Pages direct reclaim freed for the call: the migration targets' slow path, plus the
   * `contig.reclaim` variant's own reclaim.
   */
  readonly nrReclaimed: number
  /** Simulated ns the zone spent below its MIN watermark during the call. */
  readonly belowMinNs: number
  /** The step that failed (`'isolate'`, `'migrate'`, `'test_pages_isolated'`, ...), or ''. */
  readonly failedAt: string
}

/** What one run of the virtio-mem driver toward the requested size did. */
export interface VirtioMemResult {
  /** `'plug' | 'unplug' | 'none'`. */
  readonly kind: string
  /** `'success' | 'partial' | 'busy' | 'nomem' | 'error'`. */
  readonly outcome: string
  /** The driver's return code (0, -EBUSY, -ENOMEM, ...). */
  readonly rc: number
  /** Pages plugged or unplugged by this run. */
  readonly donePages: number
  /** Plugged size after the run, in MiB. */
  readonly pluggedMiB: number
  /** Simulated ns, charged to the caller. */
  readonly latencyNs: number
  /** Pages migrated by fake-offlining (alloc_contig_range). */
  readonly pagesMigrated: number
  /** When the driver's retry timer would fire, in ns (0: none armed). */
  readonly retryInNs: number
}

/** The virtio-mem device of {@link MachineSpec.virtioMem}, driven as the hypervisor would. */
export interface VirtioMem {
  /**
   * Sets `requested_size` and runs the driver's work once (`virtio_mem_run_wq`): plug toward
   * it, or unplug through fake offlining (alloc_contig_range) of memory blocks, MAX_ORDER
   * groups or sub-blocks.
   * @param sizeMiB - The requested plugged size, a multiple of the device block size.
   * @returns The outcome of the run.
   * @example
   * const r = k.virtioMem.request(0) // unplug everything
   * k.record('unplugged_mib', r.donePages / 256)
   */
  request(sizeMiB: number): VirtioMemResult
}

/**
 * A speculative PFN walker on another CPU (a memory-failure or page_idle scan doing
 * `get_page_unless_zero` on whatever page it meets), for seed 000's race with compaction_free.
 */
export interface PfnWalker {
  /**
   * Makes the walker take a reference on each of the next `n` destination pages
   * compaction_alloc hands out, while compaction still owns them.
   * @param n - How many destinations.
   * @example
   * k.pfnWalker.armCompactionTargets(1)
   * k.compactMemory()
   * await k.sleep(1000)
   * k.pfnWalker.release() // under set-count-zero: refcount underflow on a freed page
   */
  armCompactionTargets(n: number): void
  /**
   * The walker's `put_page` of every reference it took.
   * @returns How many references it dropped.
   */
  release(): number
}

/** A latency histogram in simulated ns (log2 buckets). */
export interface LatencyHistogram {
  /** Always `'ns'`. */
  readonly unit: 'ns'
  /** Values recorded. */
  readonly count: number
  /** Their sum. */
  readonly sum: number
  /** Smallest value. */
  readonly min: number
  /** Largest value. */
  readonly max: number
  /** buckets[0]: values below 2; buckets[i]: values in [2^i, 2^(i+1)). */
  readonly buckets: readonly number[]
}

/** The simulated kernel, as the workload's default export receives it. */
export interface Kernel {
  /**
   * `alloc_pages(gfp, order)`: allocates `2^order` contiguous pages.
   *
   * The fast path takes the free lists at the LOW watermark; when it fails,
   * `__alloc_pages_slowpath` runs: `__GFP_KSWAPD_RECLAIM` wakes kswapd (a kernel thread per
   * node that reclaims to the HIGH watermark concurrently, on its own simulated clock) and the
   * retry at MIN follows; a caller whose gfp has `__GFP_DIRECT_RECLAIM` then gets async direct
   * compaction for costly orders (> 3) and non-movable high orders, then loops over direct
   * reclaim (LRU scanning: clean file pages dropped, dirty ones written back, anon swapped when
   * {@link MachineSpec.swap} exists), direct compaction at the current priority,
   * `should_reclaim_retry` / `should_compact_retry`, and the OOM killer, which kills the
   * process of {@link Kernel.createProcess} with the largest RSS + swap (counted `oom_kill`).
   * `__GFP_NORETRY` and costly orders without `__GFP_RETRY_MAYFAIL` give up earlier.
   * Every allocation above order 0 is counted by the path that satisfied it, in the series
   * `alloc_path.freelist`, `alloc_path.kswapd` (the retry after waking kswapd),
   * `alloc_path.direct_compaction`, `alloc_path.direct_reclaim`, `alloc_path.oom` (after a
   * kill), `alloc_path.nofail` (`__GFP_NOFAIL`'s reserves) or `alloc_path.failure`, and per
   * order (`alloc_path.order9.direct_reclaim`, ...).
   *
   * A movable allocation (`__GFP_MOVABLE`, e.g. {@link GFP_HIGHUSER_MOVABLE} or
   * {@link GFP_TRANSHUGE}) is a page fault on anonymous memory: the folio is compound, anon, on
   * the LRU and mapped once by the workload's default process, whose mapping holds its one
   * reference, so compaction and migration can move it (its handle follows it). Dropping that
   * reference ({@link Kernel.folioPut} or {@link Kernel.freePages}) unmaps it from the default
   * process. Other allocations are plain kernel pages that never move. A large movable folio
   * counts in `hugepages-<size>kB/stats` ({@link Kernel.transparentHugepage}): `anon_fault_alloc`
   * and `nr_anon`; with 6.12's `shrink_underused` a PMD-size one is queued for deferred split.
   * A 64 KiB folio is PTE-mapped: migrating it unmaps it PTE by PTE, which on 6.12 leaves it
   * queued as partially mapped (design key `migration.deferredSplitRequeue`).
   * @param gfp - GFP flags, e.g. {@link GFP_KERNEL} or {@link GFP_HIGHUSER_MOVABLE}.
   * @param order - 0..{@link MAX_PAGE_ORDER}.
   * @returns The folio, with a reference count of 1, or null when the allocation fails.
   * @example
   * const thp = k.allocPages(GFP_TRANSHUGE_LIGHT, HPAGE_PMD_ORDER)
   * if (thp === null) k.record('thp_fail', 1)
   */
  allocPages(gfp: number, order: number): Folio | null
  /**
   * `__free_pages(page, order)`: drops the allocation's reference; the block returns to
   * the buddy allocator when no other reference remains.
   * @param folio - A folio from {@link Kernel.allocPages}.
   */
  freePages(folio: Folio): void
  /**
   * `folio_get`: takes a reference on an allocated folio.
   * @param folio - The folio.
   */
  folioGet(folio: Folio): void
  /**
   * `folio_put`: drops a reference; the last one frees the folio.
   * @param folio - The folio.
   * @example
   * k.folioPut(folio) // frees it when this was the last reference
   */
  folioPut(folio: Folio): void
  /**
   * `folio_ref_count`.
   * @param folio - The folio.
   * @returns Its reference count (0 when it has been freed).
   */
  folioRefCount(folio: Folio): number
  /**
   * `get_page_unless_zero` on the folio containing a pfn, as a speculative pfn walker does:
   * takes a reference only if the count is not zero.
   * @param page - A folio, or a pfn anywhere inside one.
   * @returns The folio now holding the extra reference, or null if the page was free or is
   *   reserved boot memory (PG_reserved: no folio, no reference taken).
   */
  getPageUnlessZero(page: Folio | number): Folio | null
  /**
   * `pin_user_pages(FOLL_LONGTERM)` on the folio: a long-term pin (DMA), which migration and
   * compaction must respect.
   * @param folio - The folio.
   */
  pin(folio: Folio): void
  /**
   * `unpin_user_page`: drops a pin taken with {@link Kernel.pin}.
   * @param folio - The folio.
   */
  unpin(folio: Folio): void
  /**
   * `folio_lock`: takes PG_locked, sleeping in simulated time while another task holds it.
   * Waiters get the lock in arrival order (lock hand-off on unlock).
   * @param folio - The folio.
   * @returns A promise that resolves once the caller holds the lock.
   * @example
   * await k.folioLock(folio)
   * try { k.markDirty(folio) } finally { k.folioUnlock(folio) }
   */
  folioLock(folio: Folio): Promise<void>
  /**
   * `folio_trylock`: takes PG_locked only if it is free.
   * @param folio - The folio.
   * @returns True if the caller now holds the lock.
   */
  folioTrylock(folio: Folio): boolean
  /**
   * `folio_unlock`: releases PG_locked and hands it to the first waiter.
   * @param folio - A folio locked by {@link Kernel.folioLock}.
   */
  folioUnlock(folio: Folio): void
  /**
   * `folio_start_writeback`: sets PG_writeback; the folio must be locked.
   * @param folio - The folio.
   */
  folioStartWriteback(folio: Folio): void
  /**
   * `folio_end_writeback`: clears PG_writeback and wakes every waiter.
   * @param folio - The folio.
   */
  folioEndWriteback(folio: Folio): void
  /**
   * `folio_wait_writeback`: sleeps in simulated time until writeback ends.
   * @param folio - The folio.
   * @returns A promise that resolves when the folio is not under writeback.
   */
  folioWaitWriteback(folio: Folio): Promise<void>
  /**
   * A workload access to the memory of an allocation (a load or store through every PTE of
   * the range the handle's allocation mapped, including every piece of a folio split since).
   * Resident folios get their PTE accessed bit set (`folio_mark_young`), which reclaim reads as
   * a reference (`folio_referenced`) and keeps or activates the folio for. Swapped-out pieces
   * ({@link Folio.swapped}) are faulted back in (`do_swap_page`): every page is allocated (the
   * full slow path), read from swap (charged the cost model's swap-read latency, counted
   * `pswpin`) and mapped as an order-0 folio, as 6.1 swaps in; a handle whose folio was swapped
   * then names the first page and its `order` is 0 (the large folio does not come back).
   * Throws when the swap-in allocation fails (VM_FAULT_OOM).
   * @param folio - A handle from {@link Kernel.allocPages} (or a swapped-out one).
   * @returns True when the access was a major fault (swap-in), false when the folio was resident.
   * @example
   * if (f.swapped) k.log(`major fault: ${k.touch(f)}`)
   */
  touch(folio: Folio): boolean
  /**
   * `folio_mapcount`: how many page tables map the folio.
   * @param folio - The folio.
   * @returns The number of mappings (0 when unmapped).
   */
  folioMapcount(folio: Folio): number
  /**
   * Creates a simulated process to map folios into (see {@link Process}).
   * @param name - Its name (comm).
   * @returns The process.
   * @example
   * const db = k.createProcess('postgres')
   */
  createProcess(name: string): Process
  /**
   * `folio_mark_dirty`: sets PG_dirty.
   * @param folio - The folio.
   */
  markDirty(folio: Folio): void
  /**
   * `mlock` of the folio: sets PG_mlocked and makes it unevictable.
   * @param folio - The folio.
   */
  mlock(folio: Folio): void
  /**
   * `munlock` of the folio: clears PG_mlocked.
   * @param folio - The folio.
   */
  munlock(folio: Folio): void
  /** `vm.*` sysctls the model honours. */
  readonly sysctl: Sysctl
  /** The /proc files. */
  readonly proc: Proc
  /** The debugfs extfrag indices. */
  readonly extfrag: Extfrag
  /** `/sys/kernel/mm/transparent_hugepage/`: the per-size mTHP counters. */
  readonly transparentHugepage: TransparentHugepage
  /**
   * One /proc/vmstat counter.
   * @param name - The counter's kernel name, e.g. `'nr_free_pages'`.
   * @returns Its value.
   * @example
   * k.record('free', k.vmstat('nr_free_pages'))
   */
  vmstat(name: string): number
  /** Tracepoint subscriptions. */
  readonly trace: Trace
  /**
   * Appends a point (current simulated time, value) to a user series, charted by the
   * workbench and saved in the results.
   * @param name - The series' name.
   * @param value - The value.
   * @example
   * k.record('order9_free', k.vmstat('nr_free_pages'))
   */
  record(name: string, value: number): void
  /** The run's seeded generator. */
  readonly rng: Rng
  /**
   * The calling task's simulated clock.
   * @returns Simulated time in ns.
   */
  now(): number
  /**
   * Sleeps in simulated time; other tasks run meanwhile.
   * @param ns - Duration in simulated ns (0 yields to tasks ready at the same time).
   * @returns A promise that resolves `ns` later in simulated time.
   * @example
   * await k.sleep(10_000) // 10 µs
   */
  sleep(ns: number): Promise<void>
  /**
   * Starts a concurrent task (a simulated kernel thread). The run ends when the default
   * export and every non-daemon task have returned.
   * @param name - A name for reports.
   * @param fn - The task's body; it receives this kernel.
   * @param opts - CPU pinning and daemon flag.
   * @returns A handle to join the task.
   * @example
   * const a = k.spawn('a', async (k) => { await k.folioLock(f); k.folioUnlock(f) }, { cpu: 0 })
   * await a.join()
   */
  spawn(name: string, fn: (k: Kernel) => void | Promise<void>, opts?: SpawnOptions): Task
  /**
   * Reports how far the workload is, for progress bars (the CLI prints it on stderr).
   * @param fraction - 0..1.
   */
  progress(fraction: number): void
  /**
   * `filemap_alloc_folio` + `filemap_add_folio`: a clean folio of a file's page cache, on the
   * LRU and unmapped. The page cache holds its references (one per page); the caller holds
   * none, so take one with {@link Kernel.folioGet} to keep it from moving (a reader holding
   * the page), and drop the folio with {@link Kernel.filemapRemoveFolio}. Unlike anonymous
   * folios, compaction isolates page-cache folios even with extra references, and migration
   * then fails on them with -EAGAIN after allocating the destination (seed 000's race).
   * @param order - Folio order (default 0).
   * @param gfp - The mapping's gfp (default {@link GFP_HIGHUSER_MOVABLE}).
   * @returns The folio, or null when the allocation fails.
   * @example
   * const f = k.filemapAddFolio(0)!
   * k.folioGet(f) // a reader's reference
   */
  filemapAddFolio(order?: number, gfp?: number): Folio | null
  /**
   * `filemap_remove_folio` (truncation): the page cache's references are dropped; the folio
   * is freed unless someone still holds a reference.
   * @param folio - A folio from {@link Kernel.filemapAddFolio}.
   */
  filemapRemoveFolio(folio: Folio): void
  /**
   * Writing 1 to `/proc/sys/vm/compact_memory`: `compact_node` on every node (MIGRATE_SYNC,
   * whole zones, skip bits ignored). Runs synchronously and charges the caller its simulated
   * time; the result records compact_* counters, `compact_memory_ns` and the migration
   * histograms.
   * @returns Each zone's result and the latency.
   * @example
   * const { latencyNs } = k.compactMemory()
   * const thp = k.allocPages(GFP_TRANSHUGE_LIGHT, HPAGE_PMD_ORDER)
   */
  compactMemory(): CompactMemoryResult
  /**
   * `try_to_compact_pages`: direct compaction of every zone the gfp allows, at a priority,
   * without allocating (deferred zones are skipped unless SYNC_FULL). {@link Kernel.allocPages}
   * already does this in its slow path; call it to study compaction alone.
   * @param order - The order to compact for.
   * @param gfp - The allocation's GFP flags (needs `__GFP_IO`, else `'skipped'`).
   * @param priority - A COMPACT_PRIO_* constant (default {@link COMPACT_PRIO_SYNC_LIGHT}).
   * @returns The highest `compact_result` over the zones.
   * @example
   * if (k.tryToCompactPages(9, GFP_KERNEL, COMPACT_PRIO_ASYNC) === 'success') k.record('ok', 1)
   */
  tryToCompactPages(order: number, gfp: number, priority?: number): CompactResult
  /**
   * `wakeup_kcompactd(pgdat, order, ZONE_MOVABLE)` on the local node: if a zone is suitable,
   * kcompactd (a daemon kernel thread) runs `kcompactd_do_work` at MIGRATE_SYNC_LIGHT shortly
   * after, concurrently with the caller. The allocation slow path wakes it too.
   * @param order - The order kcompactd should compact for.
   * @returns True if kcompactd was woken.
   */
  wakeKcompactd(order: number): boolean
  /**
   * `migrate_pages` for a list of folios, as move_pages(2) or mbind(MPOL_MF_MOVE) issue it:
   * each folio is isolated from the LRU, migrated to a destination from
   * `alloc_migration_target` (whose allocation takes the slow path, so it may direct-compact),
   * and those that failed are put back. Handles follow their folio to the destination. The
   * source folio's lock is held over a simulated interval: other tasks calling
   * {@link Kernel.folioLock} on it during that interval wait until it ends (seed 001).
   * @param folios - Movable LRU folios (e.g. from `allocPages(GFP_HIGHUSER_MOVABLE, ...)`).
   * @param opts - Mode, reason and destination gfp.
   * @returns The kernel's outcome counts and the measured latencies.
   * @example
   * const r = k.migratePages([f], { mode: 'sync', reason: 'mempolicy_mbind' })
   * k.record('lock_hold_ns', r.lockHoldNs[0] ?? 0)
   */
  migratePages(folios: readonly Folio[], opts?: MigratePagesOptions): MigratePagesResult
  /** The CMA areas of {@link MachineSpec.cma}. */
  readonly cma: Cma
  /**
   * `alloc_contig_range(start, end, migratetype, GFP_KERNEL)`: isolates the pageblocks, migrates
   * what is in use out of the range and takes its free pages (variants `contig.alignment`,
   * `contig.reclaim`, `isolation.representation`). On success every page of the range is
   * allocated to the caller with refcount 1; give them back with {@link Kernel.freeContigRange}.
   * @param start - First pfn.
   * @param end - Pfn after the last.
   * @param migratetype - {@link MIGRATE_MOVABLE} or {@link MIGRATE_CMA}.
   * @returns The outcome.
   * @example
   * const r = k.allocContigRange(0x10000, 0x10400, MIGRATE_MOVABLE)
   * if (r.ret === 0) k.freeContigRange(0x10000, 0x400)
   */
  allocContigRange(start: number, end: number, migratetype: number): ContigRangeResult
  /**
   * `free_contig_range(pfn, nr_pages)`.
   * @param pfn - First pfn.
   * @param nrPages - Number of pages.
   * @returns Pages that were still referenced by somebody else.
   */
  freeContigRange(pfn: number, nrPages: number): number
  /** The virtio-mem device of {@link MachineSpec.virtioMem}. */
  readonly virtioMem: VirtioMem
  /** The speculative PFN walker of seed 000. */
  readonly pfnWalker: PfnWalker
  /**
   * A latency histogram the engine has recorded so far: `migrate_latency_ns`,
   * `migrate_lock_hold_ns`, `migrate_call_ns`, `direct_compaction_latency_ns`,
   * `compact_memory_ns`, `highorder_alloc_latency_ns`, `cma_alloc_latency_ns`,
   * `alloc_contig_range_latency_ns`, `virtio_mem_latency_ns`, `folio_lock_wait_ns`,
   * `folio_lock_wait_migration_ns`.
   * @param name - The histogram's name.
   * @returns It, or null when nothing was recorded under that name.
   */
  histogram(name: string): LatencyHistogram | null
}

// ---- module exports ---------------------------------------------------------------------

/** The contract of a workload's default export. */
export type Workload = (k: Kernel) => void | Promise<void>

/** A zone of an explicit layout in {@link MachineSpec.zones}. */
export interface ZoneSpec {
  /** NUMA node (default 0). */
  nid?: number
  /** Zone type. */
  type: 'DMA' | 'DMA32' | 'Normal' | 'Movable'
  /** Size in MiB, a multiple of the pageblock size. */
  sizeMiB: number
}

/** Kernel eras with distinct page-allocator behaviour. */
export type KernelEra = '6.1' | '6.6' | '6.9' | '6.10' | '6.12' | '6.15' | '2025'

/** Simulated costs in ns (defaults in engine/sched/costModel.ts). */
export interface CostSpec {
  /** One successful page allocation. */
  allocNs?: number
  /** One failed allocation. */
  allocFailNs?: number
  /** One page free. */
  freeNs?: number
  /** An uncontended lock acquire or release. */
  lockNs?: number
  /** Waking a blocked task until it runs. */
  wakeupNs?: number
  /** Creating a task. */
  spawnNs?: number
  /** Copying one base page. */
  pageCopyNs?: number
  /** Installing one PTE (a fault mapping a page). */
  pteMapNs?: number
  /** Clearing or restoring one PTE. */
  pteUnmapNs?: number
  /** One TLB flush with shootdown. */
  tlbFlushNs?: number
  /** One pfn looked at by a scanner. */
  pfnScanNs?: number
  /** Pinning or unpinning one base page. */
  pinNs?: number
  /** mlock of one base page. */
  mlockNs?: number
  /** Other small bookkeeping calls. */
  bookkeepingNs?: number
}

/**
 * The simulated machine, as `export const machine` declares it. Every field is optional;
 * the defaults are a 4 GiB, 4-CPU x86_64 box running the 6.12 allocator.
 * @example
 * export const machine: MachineSpec = { memoryMiB: 1024, nrCpus: 2, kernelEra: '6.15' }
 */
export interface MachineSpec {
  /** Total memory in MiB, 64..65536. */
  memoryMiB?: number
  /** NUMA nodes, memory split evenly by address. */
  nrNodes?: number
  /** CPUs, for {@link SpawnOptions.cpu} and per-cpu page lists. */
  nrCpus?: number
  /** ZONE_MOVABLE size in MiB, taken from the top of each node (like `movablecore=`). */
  movableMiB?: number
  /** An explicit zone layout from pfn 0 instead of the x86_64 default. */
  zones?: ZoneSpec[]
  /** `pageblock_order`. */
  pageblockOrder?: number
  /** `MAX_PAGE_ORDER`. */
  maxPageOrder?: number
  /**
   * `vm.min_free_kbytes` at boot. Default: as the kernel computes it,
   * `clamp(int_sqrt(lowmem_kB * 16), 128, 262144)` over the managed pages of the zones up to
   * Normal, raised by khugepaged when {@link MachineSpec.thpRecommendedMinFree} is on. The run
   * summary and the result's `machine.minFreeKbytes` show the value used.
   */
  minFreeKbytes?: number
  /**
   * THP enabled at boot (Debian's `CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS`): khugepaged raises
   * `min_free_kbytes` to 11 pageblocks per zone, at most 5% of lowmem
   * (`set_recommended_min_free_kbytes`). Default true; false for a kernel booted with THP
   * `never`.
   */
  thpRecommendedMinFree?: boolean
  /**
   * Memory kept outside the buddy allocator from boot (PG_reserved, not in `managed`): the
   * first MiB, the kernel image and the memmap, as a real x86_64 machine keeps them. Default:
   * all three for the default layout (none with explicit {@link MachineSpec.zones}); `'none'`
   * gives the buddy allocator every page. The run summary and the result's
   * `machine.reservedPages` say what was reserved.
   * @example
   * export const machine: MachineSpec = { memoryMiB: 256, reserve: { kernelImageKiB: 20480 } }
   */
  reserve?: ReserveSpec | 'none'
  /** `vm.watermark_scale_factor`. */
  watermarkScaleFactor?: number
  /** `vm.watermark_boost_factor`. */
  watermarkBoostFactor?: number
  /** Kernel era whose allocator behaviour to simulate. */
  kernelEra?: KernelEra
  /** Per-cpu page lists. */
  pcp?: boolean
  /** CONFIG_DEBUG_VM-style checks. */
  debugVm?: boolean
  /** Overrides of the simulated cost model. */
  cost?: CostSpec
  /** Design variants of seeds 000–004 (defaults: the kernel era's). */
  design?: DesignSpec
  /**
   * CMA areas reserved at boot (`cma=` / `cma_declare_contiguous`), each MIGRATE_CMA pageblocks
   * that movable allocations may use until {@link Cma.alloc} takes them.
   * @example
   * export const machine: MachineSpec = { memoryMiB: 512, cma: [{ name: 'camera', sizeMiB: 64 }] }
   */
  cma?: CmaAreaSpec[]
  /** A virtio-mem device (drivers/virtio/virtio_mem.c) whose region lies inside the machine. */
  virtioMem?: VirtioMemSpec
  /**
   * A swap device (swapon). Without it (the default) the machine has no swap, as a kernel
   * without a swap device: reclaim only drops clean page cache and writes back dirty file
   * folios, and anonymous memory stays resident until the OOM killer frees it.
   * @example
   * export const machine: MachineSpec = { memoryMiB: 256, swap: { sizeMiB: 512 } }
   */
  swap?: SwapSpec
}

/** The boot reservations of {@link MachineSpec.reserve}; a missing key takes its default. */
export interface ReserveSpec {
  /** The first MiB, which x86 always reserves (BIOS use, the real-mode trampoline). Default true. */
  firstMiB?: boolean
  /**
   * KiB of kernel image kept after boot, from 16 MiB (`CONFIG_PHYSICAL_START`). Default: the
   * Debian kernel's (45448 for era 6.1, from 6.1.192; 38408 otherwise, from 6.12.117). 0: none.
   */
  kernelImageKiB?: number
  /** The memmap: 64 bytes per 4 KiB page (2 MiB per 128 MiB section), at the top of each node. Default true. */
  memmap?: boolean
}

/** The swap device of {@link MachineSpec.swap}. */
export interface SwapSpec {
  /** Size in MiB, rounded down to whole 2 MiB swap clusters (SWAPFILE_CLUSTER = 512 slots). */
  sizeMiB: number
  /**
   * `SWP_SYNCHRONOUS_IO` (zram, pmem): swap writes complete inside reclaim, so a swapped folio
   * is freed in the same pass. Default false: an SSD, where writes complete after the cost
   * model's IO latency.
   */
  synchronousIo?: boolean
}

/** A CMA area of {@link MachineSpec.cma}. */
export interface CmaAreaSpec {
  /** Its name (`/sys/kernel/mm/cma/<name>`). */
  name: string
  /** Size in MiB, a multiple of the CMA alignment (a pageblock; MAX_ORDER under `contig.alignment: 'max-order'`). */
  sizeMiB: number
  /** Where it starts; default: stacked top-down below the end of the highest non-movable zone. */
  baseMiB?: number
  /** `order_per_bit`: each bitmap bit covers 2^orderPerBit pages (default 0). */
  orderPerBit?: number
}

/** The virtio-mem device of {@link MachineSpec.virtioMem}. */
export interface VirtioMemSpec {
  /** Size of the device region in MiB, a multiple of the memory block size. */
  regionMiB: number
  /** Start of the region in MiB (default: the top of memory); it must lie in one zone. */
  startMiB?: number
  /** Device block size (`block_size`) in MiB (default 2). */
  blockMiB?: number
  /** Linux memory block size in MiB (default 128). */
  memoryBlockMiB?: number
  /** Size plugged at boot in MiB (default 0). */
  requestedMiB?: number
  /** Big Block Mode even where Sub Block Mode would do (`force_bbm`). */
  forceBbm?: boolean
  /** Unplug fallback: single sub-blocks, or MAX_ORDER groups first (seed 003). */
  unplugFallback?: 'sub-block' | 'max-order-first'
  /** Sub-block size rule: pageblock [5.19+] or MAX_ORDER [≤5.18]. */
  sbAlignment?: 'max-order' | 'pageblock'
}

/**
 * The switchable designs argued in seeds 000–004, as dotted keys. Unset keys take the kernel
 * era's behaviour; a wrong key or value is a ConfigError naming the field.
 * @example
 * export const variants: Variants = {
 *   mainline: { design: { 'migration.allocateTarget': 'before-lock' } },
 *   busch2020: { design: { 'migration.allocateTarget': 'after-lock' } },
 * }
 */
export interface DesignSpec {
  /** Seed 001: allocate the destination before `folio_trylock(src)` (mainline) or after it. */
  'migration.allocateTarget'?: 'before-lock' | 'after-lock'
  /** migrate_pages structure: batched unmap/move (6.3+) or per folio (≤6.2 and 6.1). */
  'migration.batching'?: 'batched' | 'per-folio'
  /**
   * Seed 000: free pages split to order 0 (≤6.8), kept per order and split on demand (6.9+), or
   * kept per order without splitting (Zi Yan's v3 2/3: a source gets only a free page of its own
   * order, so compaction can end with -ENOMEM while larger free pages are isolated).
   */
  'compaction.freepages'?: 'order0-split' | 'per-order' | 'per-order-nosplit'
  /** Seeds 000/002: large folios skipped (≤6.8), split then migrated, or migrated whole (6.9+). */
  'compaction.largeFolios'?: 'skip' | 'split' | 'migrate'
  /** Seed 000's review: compaction_free does `folio_set_count(0)` or `folio_put_testzero`. */
  'compaction.freeRefcount'?: 'set-count-zero' | 'put-testzero'
  /** Isolation as a migratetype (≤6.x) or a separate pageblock bit (2025). */
  'isolation.representation'?: 'migratetype' | 'flag'
  /** Seed 003: alloc_contig_range isolates MAX_ORDER-aligned (≤5.18) or pageblock-aligned (5.19+). */
  'contig.alignment'?: 'max-order' | 'pageblock'
  /**
   * Seed 004: where a contiguous allocation reclaims. `'migration-target'` (current kernels, the
   * default): only through its migration targets, which `alloc_migration_target` allocates with
   * the whole slow path (kswapd, direct reclaim; never the OOM killer). `'in-split-free-page'`
   * (CMA v18 patch 07, 2011): also forced reclaim inside `split_free_page`, zone lock held.
   * `'in-alloc-contig-range'` (v19–v24, mainline 3.5–3.7): also the caller reclaims the range's
   * size with raised watermarks before isolating.
   */
  'contig.reclaim'?: 'migration-target' | 'in-split-free-page' | 'in-alloc-contig-range'
  /**
   * Seed 004: what the free-page grab checks. `'low-2011'`: the 2011 `split_free_page` refuses
   * a block unless NR_FREE_PAGES ≥ LOW + 2^order; `'isolated-exempt'` (current kernels): no
   * watermark check for isolated pageblocks.
   */
  'contig.splitWatermark'?: 'low-2011' | 'isolated-exempt'
  /**
   * Seed 002 ("swap will split folios"): how reclaim swaps out a large anon folio.
   * `'pmd-only'` (≤6.9 default, CONFIG_THP_SWAP): a PMD-sized folio swaps whole when a free
   * swap cluster exists, any other large folio is split (`thp_swpout_fallback`);
   * `'any-order'` (6.10+ default, mTHP swap-out): any large folio swaps whole into an aligned
   * run of free slots; `'split'`: every large folio is split before swap-out.
   */
  'swap.largeFolios'?: 'pmd-only' | 'any-order' | 'split'
  /**
   * Seed 003: `__free_one_page`'s rule for merging free buddies across pageblocks.
   * `'mergeable'` (5.18+, the default in every era): pageblocks of different types merge only
   * if both are UNMOVABLE, MOVABLE or RECLAIMABLE, so CMA, HIGHATOMIC and isolated pageblocks
   * never merge with another type. `'isolate-only'` (≤5.17): only isolation stops a merge, so a
   * CMA pageblock and its MOVABLE buddy become one MAX_ORDER block on the list of whichever was
   * freed last; the reason CMA areas had to be MAX_ORDER-aligned.
   */
  'buddy.mergeRule'?: 'mergeable' | 'isolate-only'
  /**
   * Seed 002: what migration does with a source that was on the deferred split queue. Migrating
   * a PTE-mapped mTHP unmaps it one PTE at a time, so the source is always found partially
   * mapped and queued (`split_deferred`). `'requeue'` (the 6.12 default: Usama Arif's 2026 fix
   * "mm: migrate: requeue destination folio on deferred split queue", in 6.12.y stable): the
   * destination is queued with the source's partially-mapped state, and the next reclaim's
   * deferred split shrinker splits it. `'none'` (mainline 6.10 to 7.0; the default of every other
   * era): the source is taken off the queue and the destination is not queued.
   */
  'migration.deferredSplitRequeue'?: 'none' | 'requeue'
}

/** One named variant of an experiment. */
export interface Variant {
  /** What the variant stands for, shown in comparison tables. */
  description?: string
  /** Machine fields that differ from the base `machine`. */
  machine?: MachineSpec
  /** Sysctls applied at boot, before the workload runs. */
  sysctl?: Partial<Record<SysctlName, number>>
  /** Design keys that differ from the base machine's `design`. */
  design?: DesignSpec
  /**
   * What the variant is expected to do. `{ invariantViolation: 'refcount-underflow' }` (or
   * `true` for any rule) declares that the variant reproduces a bug: when the invariant checker
   * fires with that rule, the run ends there and its result records the violation (rule, pfn,
   * operation) instead of failing, so `mmwb compare` reports it beside the other variants.
   * A violation the variant did not declare still fails the run with InvariantViolation.
   */
  expect?: { invariantViolation: string | true }
}

/**
 * Named variants, as `export const variants` declares them; `mmwb run --variant NAME` runs one.
 * @example
 * export const variants: Variants = {
 *   base: {},
 *   noboost: { sysctl: { 'vm.watermark_boost_factor': 0 } },
 * }
 */
export type Variants = Record<string, Variant>

/**
 * Seeds an experiment runs for every variant, as `export const seeds` declares them.
 * @example
 * export const seeds: Seeds = [1, 2, 3]
 */
export type Seeds = readonly number[]
