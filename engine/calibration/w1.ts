/**
 * Calibration workload W1 (issue 5 item 10; /work/shared/calibration/README.md): the guest's
 * state at `start` is imported, memory is filled with order-0 anonymous pages, a pattern is
 * freed, 480 huge pages are asked for before and after `compact_memory`, and the figures the
 * real kernel reported are measured on the simulator.
 *
 * How each step is modelled (the kernel paths in brackets):
 * - Import: engine/proc's planner and builder with the qemu guest's geometry. The pfns the
 *   kernel keeps outside the buddy allocator (spanned − managed) are reserved per zone
 *   (`W1_RESERVED_PAGES`), and 8 pageblocks of them sit at the top of DMA32 as in the guest
 *   (`layout`, guestLayout.ts).
 * - Fill [do_anonymous_page]: the mapping is touched in address order; every new 2 MiB of
 *   virtual address first allocates its PTE page (`__pte_alloc`, GFP_PGTABLE_USER, unmovable),
 *   then each page is an order-0 GFP_HIGHUSER_MOVABLE allocation made a mapped anon LRU folio.
 * - Fragment [madvise(MADV_DONTNEED) → zap_pte_range → release_pages]: in every run of P pages
 *   of the mapping, the first K stay; the others are unmapped and freed; then `drain_all_pages`.
 * - hp_before / hp_after [set_max_huge_pages → alloc_buddy_huge_page]: order-9
 *   GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_COMP | __GFP_NOWARN | __GFP_RETRY_MAYFAIL
 *   allocations until the first failure (the loop ends there), with `extfrag_threshold` 1000 so
 *   that the slow path's direct compaction is refused (`compaction_suitable`); reclaim has
 *   nothing to take (no swap, no page cache) and is not run. The pages are then freed
 *   (`update_and_free_page` → `__free_pages`) and the per-cpu lists drained.
 * - compact_memory [sysctl_compaction_handler → compact_nodes]: engine/compaction's
 *   `compactMemory`, then `drain_all_pages`.
 */
import { compactMemory, allocPagesDirectCompact } from '../compaction/entry'
import { type CompactionVariants, type CompactEnv, COMPACT_PRIO_ASYNC } from '../compaction/types'
import { allocPages } from '../mm/alloc'
import { ALLOC_WMARK_MIN } from '../mm/allocFlags'
import { type KernelEra } from '../mm/config'
import { compoundHead, folioOrder } from '../mm/folio'
import { freePages } from '../mm/free'
import {
  GFP_HIGHUSER_MOVABLE,
  __GFP_COMP,
  __GFP_NOWARN,
  __GFP_RETRY_MAYFAIL,
  __GFP_THISNODE,
} from '../mm/gfp'
import { type Machine } from '../mm/machine'
import { NO_PAGE } from '../mm/memmap'
import { drainAllPages } from '../mm/pcp'
import { onFolioMoved } from '../migrate/counters'
import { createSimClock } from '../migrate/simClock'
import { applyImportPlan, checkImportPlan, planImport, QEMU_1GIB_X86_64_GEOMETRY } from '../proc'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { moveReservedToTop } from './guestLayout'
import {
  buddyCounts,
  fillAnon,
  fragmentAnon,
  freeKb,
  keptPhase as keptPhaseOf,
  type KeptPhase,
  perPageblock,
  vmCounters,
  vmDelta,
  type VmCounters,
} from './steps'
import { W1_P2K1, W1_P8K1, type W1KernelCase } from './w1Kernel'
import { formatW1Trace, traceCompaction, type W1TraceLine } from './w1Trace'

export { formatW1Trace, type W1TraceLine }

/**
 * Pfns of each zone outside the buddy allocator in the guest (DMA, DMA32), derived from the
 * samples (see docs/calibration.md):
 * - the zones span 4095 + 258016 pfns and MemTotal is 245936 pages, so 16175 pfns are not
 *   managed;
 * - DMA: 3808 pages are free at boot and at start (buddyinfo), its 7 Movable pageblocks are
 *   wholly free (order 9 ×1 + order 10 ×3 on the Movable list) and pgalloc_dma is 32, so its
 *   Unmovable first pageblock holds 224 free pages, 32 allocated ones and 255 pfns that are
 *   holes or reserved (e820's 0x9f–0xff, the BIOS and real-mode trampoline pages);
 * - DMA32 takes the remaining 16175 − 255 = 15920 (kernel image, memmap, memblock allocations).
 */
export const W1_RESERVED_PAGES: readonly [number, number] = [255, 15920]

/**
 * Pageblocks of reserved pfns at the top of the guest's DMA32: its fill began at pageblock 52
 * (the lowest order-10 block), the importer's lowest order-10 block is at 60 (guestLayout.ts).
 */
export const W1_TOP_RESERVED_PAGEBLOCKS = 8

/** sysctls of the guest (README "Sysctls"). */
export const W1_SYSCTLS = {
  minFreeKbytes: 3828,
  watermarkScaleFactor: 10,
  watermarkBoostFactor: 15000,
  extfragThreshold: 500,
  /** Raised for the nr_hugepages writes, so that compaction_suitable() refuses. */
  extfragThresholdHugepages: 1000,
  compactionProactiveness: 0,
  compactUnevictableAllowed: true,
} as const

/** The sysctls a calibration guest runs with (`W1_SYSCTLS` is batch 1's). */
export interface GuestSysctls {
  minFreeKbytes: number
  watermarkScaleFactor: number
  watermarkBoostFactor: number
  extfragThreshold: number
  /** extfrag_threshold during the nr_hugepages writes (1000 refuses direct compaction). */
  extfragThresholdHugepages: number
  compactionProactiveness: number
  compactUnevictableAllowed: boolean
}

/**
 * How `alloc_buddy_huge_page` gets each order-9 page: `(m, env, gfp)` returns a pfn or
 * NO_PAGE. `env.extfragThreshold` is the one in force during the request.
 */
export type HugetlbAlloc = (m: Machine, env: CompactEnv, gfp: number) => number

export interface W1Options {
  period: number
  keep: number
  kernelEra?: KernelEra
  /** The guest's sysctls; default `W1_SYSCTLS`. */
  sysctls?: Partial<GuestSysctls>
  /** Pageblocks of reserved pfns at the top of DMA32 (`layout: 'guest'`). */
  topReservedPageblocks?: number
  /** Order of the anonymous folios of the fill: 0, or 4 for W4's 64 KiB mTHP. */
  folioOrder?: number
  /** The hugetlb allocation; default `hugetlbAllocNoCompaction`. */
  hugetlbAlloc?: HugetlbAlloc
  /** The `start` snapshot to import; default the kernel case with this period and keep. */
  startBuddyinfo?: string
  startPagetypeinfo?: string
  /** Huge pages asked for in each nr_hugepages write (480). */
  hugepages?: number
  variants?: Partial<CompactionVariants>
  reservedPages?: readonly number[]
  /**
   * Where DMA32's reserved pfns go: `'guest'` (default) with `W1_TOP_RESERVED_PAGEBLOCKS` of
   * them at the top of the zone, where the guest's memblock put them (guestLayout.ts);
   * `'importer'` as engine/proc's planner places them, all below the free memory.
   */
  layout?: 'importer' | 'guest'
  /**
   * Anonymous pages (in folios of `folioOrder`) touched before the mapping, as the guest's other
   * memory was: the pages of the mapping's first pageblock the guest's own map says the mapping
   * did not get (guestLayout.ts `fillLeadPages`). Default 0.
   */
  fillLeadPages?: number
}

export type W1Snapshot =
  'start' | 'filled' | 'fragmented' | 'hp_before' | 'pre_compact' | 'compacted' | 'hp_after'

export interface W1Result {
  period: number
  keep: number
  memFreeStartKb: number
  allocPages: number
  keptPages: number
  /** Where the kept pages sit within each period (as the guest's `kv.pb_kept_phase`). */
  keptPhase: KeptPhase
  pageTablePages: number
  hpBefore: number
  hpAfter: number
  /** Huge pages per zone (DMA, DMA32) in each request. */
  hpBeforeByZone: number[]
  hpAfterByZone: number[]
  /** vmstat deltas across compact_memory alone. */
  compactMigrateScanned: number
  compactFreeScanned: number
  compactIsolated: number
  pgmigrateSuccess: number
  pgmigrateFail: number
  trace: W1TraceLine[]
  /** The compaction runs of hp_before (direct compaction, when it is allowed). */
  hpBeforeTrace: W1TraceLine[]
  /** Workload pages per pageblock after fill, after fragment, after compact_memory. */
  pageblockFilled: number[]
  /** Mapping pages in the pageblock of the mapping's first page (where the fill began). */
  fillFirstPageblockPages: number
  pageblockKept: number[]
  pageblockKeptAfterCompact: number[]
  /** buddyinfo counts [zone][order] at the kernel's snapshots (hp_* while the pages are held). */
  buddyinfo: Record<W1Snapshot, number[][]>
  /** Simulated ns compact_memory took. */
  compactSimNs: number
  /** vmstat deltas of each phase, as the guest's `vmstat_deltas`. */
  deltas: Record<'hp_before' | 'compact_memory' | 'hp_after', VmCounters>
  /** Kept folios of `folioOrder` still whole after fragmenting, compact_memory and hp_after. */
  keptFoliosWhole: { fragmented: number; compacted: number; hpAfter: number }
  /** mTHP fill: folios obtained, and slots that fell back to order-0 pages. */
  nrFolios: number
  nrFallback: number
}

/** The kernel case for (period, keep), if measured. */
export function w1KernelCase(period: number, keep: number): W1KernelCase | undefined {
  return [W1_P2K1, W1_P8K1].find((c) => c.period === period && c.keep === keep)
}

/** `htlb_alloc_mask(h)` | `__GFP_COMP | __GFP_NOWARN | __GFP_THISNODE` | `__GFP_RETRY_MAYFAIL`. */
export const HUGETLB_GFP =
  GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_COMP | __GFP_NOWARN | __GFP_RETRY_MAYFAIL

/**
 * Batch 1's hugetlb allocation: the free lists, then the slow path's costly-order direct
 * compaction attempt, which `compaction_suitable` refuses at extfrag_threshold 1000; reclaim
 * has nothing to take (no swap, no page cache) and is not run.
 */
export const hugetlbAllocNoCompaction: HugetlbAlloc = (m, env, gfp) => {
  const pfn = allocPages(m, gfp, 9)
  if (pfn !== NO_PAGE) return pfn
  return allocPagesDirectCompact(m, env, gfp, 9, ALLOC_WMARK_MIN, COMPACT_PRIO_ASYNC).pfn
}

/**
 * `set_max_huge_pages(h, count)` from zero: order-9 allocations until `count` or the first
 * failure, then `nr_hugepages = 0` frees them. Returns huge pages obtained per zone.
 */
function hugepagesRound(
  m: Machine,
  env: CompactEnv,
  count: number,
  alloc: HugetlbAlloc,
  whileHeld: () => void,
): number[] {
  const byZone = m.zones.map(() => 0)
  const got: number[] = []
  while (got.length < count) {
    const pfn = alloc(m, env, HUGETLB_GFP)
    if (pfn === NO_PAGE) break
    got.push(pfn)
    byZone[m.pbZone[pfn >> m.pageblockOrder]]++
  }
  whileHeld()
  for (const pfn of got) freePages(m, pfn, 9)
  drainAllPages(m, null)
  return byZone
}

/** Counts the marked heads that are still whole folios of `order`. */
function countWhole(m: Machine, heads: Uint8Array, order: number): number {
  let n = 0
  for (let pfn = 0; pfn < heads.length; pfn++) {
    if (heads[pfn] !== 0 && compoundHead(m, pfn) === pfn && folioOrder(m, pfn) === order) n++
  }
  return n
}

/** The machine of the guest's `start` snapshot and the compaction environment of its sysctls. */
export function bootW1Guest(opts: W1Options): { m: Machine; env: CompactEnv; sys: GuestSysctls } {
  const kc = w1KernelCase(opts.period, opts.keep)
  const buddyinfo = opts.startBuddyinfo ?? kc?.startBuddyinfo
  const pagetypeinfo = opts.startPagetypeinfo ?? kc?.startPagetypeinfo
  if (buddyinfo === undefined || pagetypeinfo === undefined)
    throw new Error(`runW1: no start snapshot for P=${opts.period} K=${opts.keep}`)
  let plan = planImport(buddyinfo, pagetypeinfo, { geometry: QEMU_1GIB_X86_64_GEOMETRY })
  if ((opts.layout ?? 'guest') === 'guest') {
    plan = moveReservedToTop(plan, 1, opts.topReservedPageblocks ?? W1_TOP_RESERVED_PAGEBLOCKS)
    const problems = checkImportPlan(plan)
    if (problems.length > 0) throw new Error(`runW1: guest layout: ${problems.join('; ')}`)
  }
  const sys: GuestSysctls = { ...W1_SYSCTLS, ...opts.sysctls }
  const m = applyImportPlan(plan, {
    reservedPages: opts.reservedPages ?? W1_RESERVED_PAGES,
    config: {
      kernelEra: opts.kernelEra ?? '6.1',
      nrCpus: 1,
      minFreeKbytes: sys.minFreeKbytes,
      watermarkScaleFactor: sys.watermarkScaleFactor,
      watermarkBoostFactor: sys.watermarkBoostFactor,
    },
  })
  const env: CompactEnv = {
    clock: createSimClock(),
    cost: DEFAULT_COST_MODEL,
    variants: opts.variants,
    extfragThreshold: sys.extfragThreshold,
    compactionProactiveness: sys.compactionProactiveness,
    compactUnevictableAllowed: sys.compactUnevictableAllowed,
  }
  return { m, env, sys }
}

/** Runs W1 (or W4, with `folioOrder`) on a machine imported from the guest's `start` state. */
export function runW1(opts: W1Options): W1Result {
  if (!(opts.keep >= 0 && opts.keep <= opts.period))
    throw new RangeError('runW1: keep must be in 0..period')
  const { m, env, sys } = bootW1Guest(opts)
  const order = opts.folioOrder ?? 0
  const alloc = opts.hugetlbAlloc ?? hugetlbAllocNoCompaction
  const hpEnv: CompactEnv = { ...env, extfragThreshold: sys.extfragThresholdHugepages }
  const hugepages = opts.hugepages ?? 480
  const memFreeStartKb = freeKb(m)
  const snaps: Partial<Record<W1Snapshot, number[][]>> = { start: buddyCounts(m) }

  // The guest's other memory below the mapping in its first pageblock (set-up, from its map).
  if ((opts.fillLeadPages ?? 0) > 0) fillAnon(m, opts.fillLeadPages ?? 0, order)
  // Fill: MemFree − 64 MiB, rounded down to 2 MiB as the guest's program did.
  const fill = fillAnon(m, (Math.floor((memFreeStartKb - 65536) / 2048) * 2048) / 4, order)
  drainAllPages(m, null)
  snaps.filled = buddyCounts(m)
  const pageblockFilled = perPageblock(m, fill.pages, fill.n)

  const kept = fragmentAnon(m, fill, opts.period, opts.keep, order)
  drainAllPages(m, null)
  snaps.fragmented = buddyCounts(m)
  const pageblockKept = perPageblock(m, kept, kept.length)
  const keptPhase = keptPhaseOf(kept, opts.period, opts.keep)
  // Follow the kept pages (and the heads of kept folios) as migration moves them.
  const mine = new Uint8Array(m.endPfn)
  const heads = new Uint8Array(m.endPfn)
  for (let i = 0; i < kept.length; i++) {
    mine[kept[i]] = 1
    if (order > 0 && i % (1 << order) === 0) heads[kept[i]] = 1
  }
  const offMoved = onFolioMoved(m, (src, dst, nr) => {
    if (heads[src] !== 0) {
      heads[src] = 0
      heads[dst] = 1
    }
    for (let i = 0; i < nr; i++) {
      if (mine[src + i] === 0) continue
      mine[src + i] = 0
      mine[dst + i] = 1
    }
  })
  const wholeFragmented = countWhole(m, heads, order)

  const c0 = vmCounters(m)
  const hpBeforeTrace: W1TraceLine[] = []
  const offHpTrace = traceCompaction(m, hpBeforeTrace)
  const hpBeforeByZone = hugepagesRound(m, hpEnv, hugepages, alloc, () => {
    snaps.hp_before = buddyCounts(m)
  })
  offHpTrace()
  const c1 = vmCounters(m)
  snaps.pre_compact = buddyCounts(m)

  // compact_memory, with the counters and trace lines of this step alone.
  const trace: W1TraceLine[] = []
  const offTrace = traceCompaction(m, trace)
  const t0 = env.clock.nowNs
  compactMemory(m, env)
  const compactSimNs = env.clock.nowNs - t0
  offTrace()
  const c2 = vmCounters(m)
  drainAllPages(m, null)
  snaps.compacted = buddyCounts(m)
  const after: number[] = []
  for (let pfn = 0; pfn < m.endPfn; pfn++) if (mine[pfn] !== 0) after.push(pfn)
  const pageblockKeptAfterCompact = perPageblock(m, after, after.length)
  const wholeCompacted = countWhole(m, heads, order)

  const hpAfterByZone = hugepagesRound(m, hpEnv, hugepages, alloc, () => {
    snaps.hp_after = buddyCounts(m)
  })
  const c3 = vmCounters(m)
  offMoved()
  const compact = vmDelta(c1, c2)
  return {
    period: opts.period,
    keep: opts.keep,
    memFreeStartKb,
    allocPages: fill.n,
    keptPages: kept.length,
    keptPhase,
    pageTablePages: fill.pageTablePages,
    hpBefore: hpBeforeByZone.reduce((a, b) => a + b, 0),
    hpAfter: hpAfterByZone.reduce((a, b) => a + b, 0),
    hpBeforeByZone,
    hpAfterByZone,
    compactMigrateScanned: compact.compact_migrate_scanned,
    compactFreeScanned: compact.compact_free_scanned,
    compactIsolated: compact.compact_isolated,
    pgmigrateSuccess: compact.pgmigrate_success,
    pgmigrateFail: compact.pgmigrate_fail,
    trace,
    hpBeforeTrace,
    pageblockFilled,
    fillFirstPageblockPages: fill.n > 0 ? pageblockFilled[fill.pages[0] >> m.pageblockOrder] : 0,
    pageblockKept,
    pageblockKeptAfterCompact,
    buddyinfo: snaps as Record<W1Snapshot, number[][]>,
    compactSimNs,
    deltas: { hp_before: vmDelta(c0, c1), compact_memory: compact, hp_after: vmDelta(c2, c3) },
    keptFoliosWhole: {
      fragmented: wholeFragmented,
      compacted: wholeCompacted,
      hpAfter: countWhole(m, heads, order),
    },
    nrFolios: fill.nrFolios,
    nrFallback: fill.nrFallback,
  }
}
