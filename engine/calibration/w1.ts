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
import { compactMemory } from '../compaction/entry'
import { type CompactionVariants, type CompactEnv } from '../compaction/types'
import { allocPages } from '../mm/alloc'
import { ALLOC_WMARK_MIN } from '../mm/allocFlags'
import { freePages } from '../mm/free'
import {
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  __GFP_COMP,
  __GFP_NOWARN,
  __GFP_RETRY_MAYFAIL,
  __GFP_THISNODE,
} from '../mm/gfp'
import { type Machine } from '../mm/machine'
import { NO_PAGE } from '../mm/memmap'
import { drainAllPages } from '../mm/pcp'
import { traceSubscribe } from '../mm/trace'
import { vmEventCount } from '../mm/vmstat'
import {
  VM_COMPACTFREE_SCANNED,
  VM_COMPACTISOLATED,
  VM_COMPACTMIGRATE_SCANNED,
  VM_PGMIGRATE_FAIL,
  VM_PGMIGRATE_SUCCESS,
} from '../mm/vmstatItems'
import { makeAnonLruFolio } from '../migrate/anonFolio'
import { onFolioMoved } from '../migrate/counters'
import { folioPutLru } from '../migrate/isolate'
import { createSimClock } from '../migrate/simClock'
import { applyImportPlan, checkImportPlan, planImport, QEMU_1GIB_X86_64_GEOMETRY } from '../proc'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { allocPagesDirectCompact } from '../compaction/entry'
import { COMPACT_PRIO_ASYNC } from '../compaction/types'
import { moveReservedToTop } from './guestLayout'
import { W1_P2K1, W1_P8K1, type W1KernelCase } from './w1Kernel'

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

export interface W1Options {
  period: number
  keep: number
  kernelEra?: '6.1'
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
}

/** One mm_compaction_begin/end pair, with the kernel's fields. */
export interface W1TraceLine {
  event: 'mm_compaction_begin' | 'mm_compaction_end'
  zoneStart: number
  migratePfn: number
  freePfn: number
  zoneEnd: number
  mode: 'sync' | 'async'
  status?: string
}

export type W1Snapshot =
  'start' | 'filled' | 'fragmented' | 'hp_before' | 'pre_compact' | 'compacted' | 'hp_after'

export interface W1Result {
  period: number
  keep: number
  memFreeStartKb: number
  allocPages: number
  keptPages: number
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
  /** Workload pages per pageblock after fill, after fragment, after compact_memory. */
  pageblockFilled: number[]
  pageblockKept: number[]
  pageblockKeptAfterCompact: number[]
  /** buddyinfo counts [zone][order] at the kernel's snapshots (hp_* while the pages are held). */
  buddyinfo: Record<W1Snapshot, number[][]>
  /** Simulated ns compact_memory took. */
  compactSimNs: number
}

/** ftrace's text for a trace line, as in the kernel's output (`TP_printk`). */
export function formatW1Trace(t: W1TraceLine): string {
  const hex = (n: number) => '0x' + n.toString(16)
  const base =
    `${t.event} zone_start=${hex(t.zoneStart)} migrate_pfn=${hex(t.migratePfn)} ` +
    `free_pfn=${hex(t.freePfn)} zone_end=${hex(t.zoneEnd)}, mode=${t.mode}`
  return t.status === undefined ? base : `${base} status=${t.status}`
}

/** The kernel case for (period, keep), if measured. */
export function w1KernelCase(period: number, keep: number): W1KernelCase | undefined {
  return [W1_P2K1, W1_P8K1].find((c) => c.period === period && c.keep === keep)
}

const HUGETLB_GFP = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_COMP | __GFP_NOWARN

function freeKb(m: Machine): number {
  let n = 0
  for (const z of m.zones) n += z.nrFreePages
  return n * 4
}

function perPageblock(m: Machine, pfns: ArrayLike<number>, n: number): number[] {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const b = pfns[i] >> m.pageblockOrder
    while (out.length <= b) out.push(0)
    out[b]++
  }
  return out
}

/** /proc/buddyinfo's counts: free blocks per zone and order (per-cpu pages are not free). */
function buddyCounts(m: Machine): number[][] {
  return m.zones.map((z) =>
    Array.from(m.nrFree.subarray(z.id * m.nrOrders, (z.id + 1) * m.nrOrders)),
  )
}

/**
 * `set_max_huge_pages(h, count)` from zero: order-9 allocations until `count` or the first
 * failure, then `nr_hugepages = 0` frees them. Returns huge pages obtained per zone.
 */
function hugepagesRound(
  m: Machine,
  env: CompactEnv,
  count: number,
  whileHeld: () => void,
): number[] {
  const byZone = m.zones.map(() => 0)
  const got: number[] = []
  const hpEnv: CompactEnv = { ...env, extfragThreshold: W1_SYSCTLS.extfragThresholdHugepages }
  while (got.length < count) {
    let pfn = allocPages(m, HUGETLB_GFP | __GFP_RETRY_MAYFAIL, 9)
    if (pfn === NO_PAGE) {
      // __alloc_pages_slowpath: the costly-order direct compaction attempt, refused here.
      pfn = allocPagesDirectCompact(
        m,
        hpEnv,
        HUGETLB_GFP | __GFP_RETRY_MAYFAIL,
        9,
        ALLOC_WMARK_MIN,
        COMPACT_PRIO_ASYNC,
      ).pfn
    }
    if (pfn === NO_PAGE) break
    got.push(pfn)
    byZone[m.pbZone[pfn >> m.pageblockOrder]]++
  }
  whileHeld()
  for (const pfn of got) freePages(m, pfn, 9)
  drainAllPages(m, null)
  return byZone
}

/** Runs W1 on a machine imported from the guest's `start` state. Deterministic. */
export function runW1(opts: W1Options): W1Result {
  const kc = w1KernelCase(opts.period, opts.keep)
  const buddyinfo = opts.startBuddyinfo ?? kc?.startBuddyinfo
  const pagetypeinfo = opts.startPagetypeinfo ?? kc?.startPagetypeinfo
  if (buddyinfo === undefined || pagetypeinfo === undefined)
    throw new Error(`runW1: no start snapshot for P=${opts.period} K=${opts.keep}`)
  if (!(opts.keep >= 0 && opts.keep <= opts.period))
    throw new RangeError('runW1: keep must be in 0..period')
  let plan = planImport(buddyinfo, pagetypeinfo, { geometry: QEMU_1GIB_X86_64_GEOMETRY })
  if ((opts.layout ?? 'guest') === 'guest') {
    plan = moveReservedToTop(plan, 1, W1_TOP_RESERVED_PAGEBLOCKS)
    const problems = checkImportPlan(plan)
    if (problems.length > 0) throw new Error(`runW1: guest layout: ${problems.join('; ')}`)
  }
  const m = applyImportPlan(plan, {
    reservedPages: opts.reservedPages ?? W1_RESERVED_PAGES,
    config: {
      kernelEra: opts.kernelEra ?? '6.1',
      nrCpus: 1,
      minFreeKbytes: W1_SYSCTLS.minFreeKbytes,
      watermarkScaleFactor: W1_SYSCTLS.watermarkScaleFactor,
      watermarkBoostFactor: W1_SYSCTLS.watermarkBoostFactor,
    },
  })
  const env: CompactEnv = {
    clock: createSimClock(),
    cost: DEFAULT_COST_MODEL,
    variants: opts.variants,
    extfragThreshold: W1_SYSCTLS.extfragThreshold,
    compactionProactiveness: W1_SYSCTLS.compactionProactiveness,
    compactUnevictableAllowed: W1_SYSCTLS.compactUnevictableAllowed,
  }
  const hugepages = opts.hugepages ?? 480
  const memFreeStartKb = freeKb(m)
  const snaps: Partial<Record<W1Snapshot, number[][]>> = { start: buddyCounts(m) }

  // Fill: MemFree − 64 MiB, rounded down to 2 MiB as the guest's program did.
  const nrPages = (Math.floor((memFreeStartKb - 65536) / 2048) * 2048) / 4
  const pages = new Int32Array(nrPages)
  let n = 0
  let pageTablePages = 0
  for (; n < nrPages; n++) {
    if (n % 512 === 0) {
      if (allocPages(m, GFP_KERNEL, 0) === NO_PAGE) break
      pageTablePages++
    }
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    if (pfn === NO_PAGE) break
    makeAnonLruFolio(m, pfn, 1)
    pages[n] = pfn
  }
  drainAllPages(m, null)
  snaps.filled = buddyCounts(m)
  const pageblockFilled = perPageblock(m, pages, n)

  // Fragment: keep the first K of every P pages of the mapping.
  const kept = new Int32Array(n)
  let nrKept = 0
  for (let i = 0; i < n; i++) {
    if (i % opts.period < opts.keep) {
      kept[nrKept++] = pages[i]
      continue
    }
    m.mapcount[pages[i]] = 0
    folioPutLru(m, pages[i])
  }
  drainAllPages(m, null)
  snaps.fragmented = buddyCounts(m)
  const pageblockKept = perPageblock(m, kept, nrKept)

  const hpBeforeByZone = hugepagesRound(m, env, hugepages, () => (snaps.hp_before = buddyCounts(m)))
  snaps.pre_compact = buddyCounts(m)

  // compact_memory, with the counters and trace lines of this step alone.
  const trace: W1TraceLine[] = []
  const offBegin = traceSubscribe(m, 'mm_compaction_begin', (ev) =>
    trace.push({
      event: 'mm_compaction_begin',
      zoneStart: ev.zone_start,
      migratePfn: ev.migrate_pfn,
      freePfn: ev.free_pfn,
      zoneEnd: ev.zone_end,
      mode: ev.sync ? 'sync' : 'async',
    }),
  )
  const offEnd = traceSubscribe(m, 'mm_compaction_end', (ev) =>
    trace.push({
      event: 'mm_compaction_end',
      zoneStart: ev.zone_start,
      migratePfn: ev.migrate_pfn,
      freePfn: ev.free_pfn,
      zoneEnd: ev.zone_end,
      mode: ev.sync ? 'sync' : 'async',
      status: ev.status,
    }),
  )
  const ms0 = vmEventCount(m, VM_COMPACTMIGRATE_SCANNED)
  const fs0 = vmEventCount(m, VM_COMPACTFREE_SCANNED)
  const ci0 = vmEventCount(m, VM_COMPACTISOLATED)
  const ok0 = vmEventCount(m, VM_PGMIGRATE_SUCCESS)
  const fail0 = vmEventCount(m, VM_PGMIGRATE_FAIL)
  // Follow the kept pages as migration moves them.
  const mine = new Uint8Array(m.endPfn)
  for (let i = 0; i < nrKept; i++) mine[kept[i]] = 1
  const offMoved = onFolioMoved(m, (src, dst) => {
    if (mine[src] === 0) return
    mine[src] = 0
    mine[dst] = 1
  })
  const t0 = env.clock.nowNs
  compactMemory(m, env)
  const compactSimNs = env.clock.nowNs - t0
  offBegin()
  offEnd()
  offMoved()
  const result = {
    compactMigrateScanned: vmEventCount(m, VM_COMPACTMIGRATE_SCANNED) - ms0,
    compactFreeScanned: vmEventCount(m, VM_COMPACTFREE_SCANNED) - fs0,
    compactIsolated: vmEventCount(m, VM_COMPACTISOLATED) - ci0,
    pgmigrateSuccess: vmEventCount(m, VM_PGMIGRATE_SUCCESS) - ok0,
    pgmigrateFail: vmEventCount(m, VM_PGMIGRATE_FAIL) - fail0,
  }
  drainAllPages(m, null)
  snaps.compacted = buddyCounts(m)
  const after: number[] = []
  for (let pfn = 0; pfn < m.endPfn; pfn++) if (mine[pfn] !== 0) after.push(pfn)
  const pageblockKeptAfterCompact = perPageblock(m, after, after.length)

  const hpAfterByZone = hugepagesRound(m, env, hugepages, () => (snaps.hp_after = buddyCounts(m)))
  return {
    period: opts.period,
    keep: opts.keep,
    memFreeStartKb,
    allocPages: n,
    keptPages: nrKept,
    pageTablePages,
    hpBefore: hpBeforeByZone.reduce((a, b) => a + b, 0),
    hpAfter: hpAfterByZone.reduce((a, b) => a + b, 0),
    hpBeforeByZone,
    hpAfterByZone,
    ...result,
    trace,
    pageblockFilled,
    pageblockKept,
    pageblockKeptAfterCompact,
    buddyinfo: snaps as Record<W1Snapshot, number[][]>,
    compactSimNs,
  }
}
