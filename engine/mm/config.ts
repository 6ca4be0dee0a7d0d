/**
 * Machine configuration: validation, defaults, and the kernel's boot-time derivations
 * (zone layout, `min_free_kbytes`). `parseMachineConfig` is idempotent: feeding its output back
 * in returns an equal config, so a resolved config can be stored in a snapshot or a workspace.
 */
import { ConfigError } from './configError'
import { parseReserve, reservedRanges, type ReserveConfig } from './reserve'
import {
  MAX_NR_ZONES,
  ZONE_DMA,
  ZONE_DMA32,
  ZONE_MOVABLE,
  ZONE_NAMES,
  ZONE_NORMAL,
} from './zoneType'

/**
 * Kernel eras with distinct page-allocator behaviour:
 * - `'6.1'`: the 6.1 stable kernel (Debian 6.1.192): 6.3's `ALLOC_NON_BLOCK`/`ALLOC_RESERVES`
 *   (backported), `__GFP_ATOMIC` in `zone_watermark_fast`; ≤6.9 free-list rules.
 * - `'6.6'`, `'6.9'`: free blocks keep the freer's migratetype (no freelist hygiene).
 * - `'6.10'`: Johannes Weiner's freelist hygiene (a free block is always on its pageblock's
 *   list, `account_freepages`, `split_large_buddy`, merge relabelling).
 * - `'6.12'`: `nr_free_highatomic` in the watermark check.
 * - `'6.15'`: `__rmqueue_claim`/`__rmqueue_steal`, `__free_one_page_maybe_split`.
 * - `'2025'`: standalone `PB_migrate_isolate` pageblock bit (≈6.16/6.17).
 */
export type KernelEra = '6.1' | '6.6' | '6.9' | '6.10' | '6.12' | '6.15' | '2025'
export const KERNEL_ERAS: readonly KernelEra[] = [
  '6.1',
  '6.6',
  '6.9',
  '6.10',
  '6.12',
  '6.15',
  '2025',
]

/** One zone of the resolved layout, in pfn order. */
export interface ZoneConfig {
  /** NUMA node id. */
  nid: number
  /** Zone type index: 0 DMA, 1 DMA32, 2 Normal, 3 Movable. */
  type: number
  /** First pfn (`zone_start_pfn`). */
  startPfn: number
  /** Spanned (= present; the model has no holes) pages. */
  nrPages: number
}

/** A validated, fully defaulted, JSON-serialisable machine description. */
export interface MachineConfig {
  /** Total memory in MiB, 64..65536. Default 4096 (4 GiB). */
  memoryMiB: number
  /** Number of NUMA nodes, 1..64, memory split evenly by address. Default 1. */
  nrNodes: number
  /** Number of CPUs, 1..1024, spread evenly over the nodes (cpu c is on node c*nodes/cpus). Default 4. */
  nrCpus: number
  /** Resolved zone layout, in pfn order. Default: x86_64 layout, see `parseMachineConfig`. */
  zones: ZoneConfig[]
  /** `pageblock_order`, 1..maxPageOrder. Default 9 (2 MiB pageblocks). */
  pageblockOrder: number
  /** `MAX_PAGE_ORDER`, 1..12. Default 10 (4 MiB blocks). */
  maxPageOrder: number
  /**
   * `vm.min_free_kbytes`, 128..262144 (the clamp of `calculate_min_free_kbytes`) when derived,
   * up to 65536*1024 when set. Default: derived as the kernel does at boot:
   * `clamp(int_sqrt(lowmem_kB * 16), 128, 262144)`, then raised by
   * `set_recommended_min_free_kbytes` when `thpRecommendedMinFree` is on.
   */
  minFreeKbytes: number
  /** Apply khugepaged's `set_recommended_min_free_kbytes` raise (THP enabled). Default true. */
  thpRecommendedMinFree: boolean
  /** `vm.watermark_scale_factor`, 1..3000. Default 10 (0.1% of the zone). */
  watermarkScaleFactor: number
  /** `vm.watermark_boost_factor`, 0..1000000 (0 disables boosting). Default 15000. */
  watermarkBoostFactor: number
  /**
   * Kernel era for every behaviour that changed between versions. Default `'6.12'`: the
   * current long-term kernel (Debian 13, many distributions), with freelist hygiene.
   */
  kernelEra: KernelEra
  /** Per-cpu page lists (`per_cpu_pages`). Default true, as in every kernel. */
  pcp: boolean
  /** CONFIG_DEBUG_VM-style checks in the hot paths (double free, refcount underflow, bad page). Default false. */
  debugVm: boolean
  /**
   * Boot reservations kept outside the buddy allocator (PG_reserved, not in `managed_pages`):
   * the first MiB, the kernel image and the memmap, see engine/mm/reserve.ts. Default: an x86_64
   * machine's (the Debian kernel of the era) for `boot: 'free'` with the default layout; none
   * with explicit `zones` (a layout of buddy memory) or `boot: 'allocated'` (an importer places
   * everything). Input `'none'` or a partial object.
   */
  reserve: ReserveConfig
  /**
   * Initial memory state. `'free'` (default): every page is handed to the buddy allocator at
   * boot, as `memblock_free_all` does. `'allocated'`: every page starts as an allocated
   * order-0 kernel page, so an importer can place free blocks exactly (`initFreeBlock`).
   */
  boot: 'free' | 'allocated'
}

export { ConfigError }

const MiB_PAGES = 256
const DMA_END_PFN = 16 * MiB_PAGES
const DMA32_END_PFN = 4096 * MiB_PAGES

type Obj = Record<string, unknown>

function int(o: Obj, key: string, dflt: number, lo: number, hi: number, path = key): number {
  const v = o[key]
  if (v === undefined) return dflt
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new ConfigError(path, `must be an integer, got ${JSON.stringify(v)}`)
  if (v < lo || v > hi) throw new ConfigError(path, `must be in ${lo}..${hi}, got ${v}`)
  return v
}

function bool(o: Obj, key: string, dflt: boolean): boolean {
  const v = o[key]
  if (v === undefined) return dflt
  if (typeof v !== 'boolean')
    throw new ConfigError(key, `must be a boolean, got ${JSON.stringify(v)}`)
  return v
}

function zoneTypeOf(v: unknown, path: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MAX_NR_ZONES) return v
  const i =
    typeof v === 'string' ? ZONE_NAMES.findIndex((n) => n.toLowerCase() === v.toLowerCase()) : -1
  if (i < 0)
    throw new ConfigError(path, `must be one of ${ZONE_NAMES.join(', ')}, got ${JSON.stringify(v)}`)
  return i
}

/** Explicit zones: `[{ nid, type, sizeMiB }]` (or a resolved `{ nid, type, startPfn, nrPages }`). */
function explicitZones(list: unknown[], pbPages: number): ZoneConfig[] {
  const zones: ZoneConfig[] = []
  let pfn = 0
  for (let i = 0; i < list.length; i++) {
    const path = `zones[${i}]`
    const z = list[i]
    if (typeof z !== 'object' || z === null) throw new ConfigError(path, 'must be an object')
    const o = z as Obj
    const nid = int(o, 'nid', 0, 0, 63, `${path}.nid`)
    const type = zoneTypeOf(o.type, `${path}.type`)
    let nrPages: number
    if (o.nrPages !== undefined) nrPages = int(o, 'nrPages', 0, 1, 1 << 24, `${path}.nrPages`)
    else nrPages = int(o, 'sizeMiB', -1, 1, 65536, `${path}.sizeMiB`) * MiB_PAGES
    if (nrPages % pbPages !== 0) {
      throw new ConfigError(
        `${path}.sizeMiB`,
        `must be a multiple of the pageblock size (${pbPages / MiB_PAGES} MiB)`,
      )
    }
    if (o.startPfn !== undefined) pfn = int(o, 'startPfn', 0, pfn, 1 << 24, `${path}.startPfn`)
    if (pfn % pbPages !== 0) throw new ConfigError(`${path}.startPfn`, 'must be pageblock aligned')
    const prev = zones[zones.length - 1]
    if (prev && (nid < prev.nid || (nid === prev.nid && type <= prev.type))) {
      throw new ConfigError(
        `${path}.type`,
        'zones must be listed by node, then in zone order (DMA, DMA32, Normal, Movable)',
      )
    }
    if (type === ZONE_DMA && pfn + nrPages > DMA_END_PFN)
      throw new ConfigError(`${path}.sizeMiB`, 'ZONE_DMA must end at or below 16 MiB')
    if (type === ZONE_DMA32 && pfn + nrPages > DMA32_END_PFN)
      throw new ConfigError(`${path}.sizeMiB`, 'ZONE_DMA32 must end at or below 4 GiB')
    zones.push({ nid, type, startPfn: pfn, nrPages })
    pfn += nrPages
  }
  return zones
}

/** x86_64 default layout: DMA [0,16 MiB), DMA32 [16 MiB,4 GiB), Normal above; Movable carved from each node's top. */
function defaultZones(
  memPages: number,
  nrNodes: number,
  movablePages: number,
  pbPages: number,
): ZoneConfig[] {
  const zones: ZoneConfig[] = []
  const perNode = Math.floor(memPages / nrNodes / pbPages) * pbPages
  const movPerNode = Math.floor(movablePages / nrNodes / pbPages) * pbPages
  for (let nid = 0; nid < nrNodes; nid++) {
    const start = nid * perNode
    const end = nid === nrNodes - 1 ? memPages : start + perNode
    if (movPerNode >= end - start)
      throw new ConfigError('movableMiB', 'leaves no kernel memory on a node')
    const kernelEnd = end - movPerNode
    const bounds: [number, number, number][] = [
      [ZONE_DMA, 0, DMA_END_PFN],
      [ZONE_DMA32, DMA_END_PFN, DMA32_END_PFN],
      [ZONE_NORMAL, DMA32_END_PFN, Infinity],
    ]
    for (const [type, lo, hi] of bounds) {
      const s = Math.max(start, lo)
      const e = Math.min(kernelEnd, hi)
      if (e > s) zones.push({ nid, type, startPfn: s, nrPages: e - s })
    }
    if (movPerNode > 0)
      zones.push({ nid, type: ZONE_MOVABLE, startPfn: kernelEnd, nrPages: movPerNode })
  }
  return zones
}

/** `int_sqrt()` for non-negative integers. */
export function intSqrt(x: number): number {
  let r = Math.floor(Math.sqrt(x))
  while (r * r > x) r--
  while ((r + 1) * (r + 1) <= x) r++
  return r
}

/**
 * Validates `input` and fills every default. Throws `ConfigError` naming the field.
 *
 * Accepted input keys: every `MachineConfig` key, plus `movableMiB` (default 0: no
 * ZONE_MOVABLE; like `movablecore=`, split evenly over the nodes, taken from each node's top)
 * and `zones` as `[{ nid?, type: 'DMA'|'DMA32'|'Normal'|'Movable', sizeMiB }]` laid out
 * contiguously from pfn 0 (then `memoryMiB` defaults to their sum). There are no memory holes.
 */
export function parseMachineConfig(input: unknown): MachineConfig {
  if (input === undefined) input = {}
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new ConfigError('(config)', 'must be an object')
  const o = input as Obj
  const known = new Set([
    'memoryMiB',
    'nrNodes',
    'nrCpus',
    'zones',
    'movableMiB',
    'pageblockOrder',
    'maxPageOrder',
    'minFreeKbytes',
    'thpRecommendedMinFree',
    'watermarkScaleFactor',
    'watermarkBoostFactor',
    'kernelEra',
    'pcp',
    'debugVm',
    'boot',
    'reserve',
  ])
  for (const k of Object.keys(o)) if (!known.has(k)) throw new ConfigError(k, 'unknown field')

  const maxPageOrder = int(o, 'maxPageOrder', 10, 1, 12)
  const pageblockOrder = int(o, 'pageblockOrder', Math.min(9, maxPageOrder), 1, maxPageOrder)
  const pbPages = 1 << pageblockOrder
  const nrNodes = int(o, 'nrNodes', 1, 1, 64)
  const nrCpus = int(o, 'nrCpus', Math.max(4, nrNodes), nrNodes, 1024)

  let zones: ZoneConfig[]
  let memoryMiB: number
  if (o.zones !== undefined) {
    if (!Array.isArray(o.zones) || o.zones.length === 0)
      throw new ConfigError('zones', 'must be a non-empty array')
    if (o.movableMiB !== undefined)
      throw new ConfigError('movableMiB', 'cannot be combined with explicit zones')
    zones = explicitZones(o.zones, pbPages)
    const last = zones[zones.length - 1]
    const totalPages = zones.reduce((a, z) => a + z.nrPages, 0)
    memoryMiB = int(o, 'memoryMiB', totalPages / MiB_PAGES, 64, 65536)
    if (memoryMiB * MiB_PAGES !== totalPages)
      throw new ConfigError(
        'memoryMiB',
        `must equal the sum of zone sizes (${totalPages / MiB_PAGES} MiB)`,
      )
    if (last.startPfn + last.nrPages > 1 << 24) throw new ConfigError('zones', 'end beyond 64 GiB')
    const nids = new Set(zones.map((z) => z.nid))
    if (nids.size !== nrNodes || [...nids].some((n) => n >= nrNodes))
      throw new ConfigError('nrNodes', `zones must cover nodes 0..${nrNodes - 1}`)
  } else {
    memoryMiB = int(o, 'memoryMiB', 4096, 64, 65536)
    if ((memoryMiB * MiB_PAGES) % pbPages !== 0)
      throw new ConfigError('memoryMiB', 'must be a multiple of the pageblock size')
    if (memoryMiB / nrNodes < 16)
      throw new ConfigError('nrNodes', 'each node needs at least 16 MiB')
    const movableMiB = int(o, 'movableMiB', 0, 0, memoryMiB - 1)
    zones = defaultZones(memoryMiB * MiB_PAGES, nrNodes, movableMiB * MiB_PAGES, pbPages)
  }

  const era = o.kernelEra === undefined ? '6.12' : o.kernelEra
  if (!KERNEL_ERAS.includes(era as KernelEra))
    throw new ConfigError(
      'kernelEra',
      `must be one of ${KERNEL_ERAS.join(', ')}, got ${JSON.stringify(era)}`,
    )
  const boot = o.boot === undefined ? 'free' : o.boot
  if (boot !== 'free' && boot !== 'allocated')
    throw new ConfigError('boot', `must be 'free' or 'allocated', got ${JSON.stringify(boot)}`)
  const reserve = parseReserve(
    o.reserve,
    era as KernelEra,
    boot === 'free' && o.zones === undefined,
  )
  const managed = managedPages(zones, reserve)

  const thpRecommendedMinFree = bool(o, 'thpRecommendedMinFree', true)
  const minFreeKbytes =
    o.minFreeKbytes !== undefined
      ? int(o, 'minFreeKbytes', 0, 128, 65536 * 1024)
      : defaultMinFreeKbytes(
          zones,
          managed,
          pbPages,
          thpRecommendedMinFree,
          int(o, 'watermarkScaleFactor', 10, 1, 3000),
        )

  return {
    memoryMiB,
    nrNodes,
    nrCpus,
    zones,
    pageblockOrder,
    maxPageOrder,
    minFreeKbytes,
    thpRecommendedMinFree,
    watermarkScaleFactor: int(o, 'watermarkScaleFactor', 10, 1, 3000),
    watermarkBoostFactor: int(o, 'watermarkBoostFactor', 15000, 0, 1000000),
    kernelEra: era as KernelEra,
    pcp: bool(o, 'pcp', true),
    debugVm: bool(o, 'debugVm', false),
    boot,
    reserve,
  }
}

/** Per zone of `zones`: its pages less the boot reservations inside it (`managed_pages`). */
export function managedPages(zones: ZoneConfig[], reserve: ReserveConfig): number[] {
  const ranges = reservedRanges(zones, reserve)
  return zones.map((z) => {
    let n = z.nrPages
    for (const r of ranges) {
      const lo = Math.max(z.startPfn, r.startPfn)
      const hi = Math.min(z.startPfn + z.nrPages, r.startPfn + r.nrPages)
      if (hi > lo) n -= hi - lo
    }
    return n
  })
}

/**
 * Boot-time `min_free_kbytes` (mm/page_alloc.c, 6.1 and 6.12 alike): `init_per_zone_wmark_min`'s
 * `calculate_min_free_kbytes` = clamp(int_sqrt(lowmem_kB * 16), 128, 262144), where
 * `nr_free_buffer_pages()` is the managed pages of zones ≤ NORMAL (no watermarks are set yet);
 * then with THP enabled khugepaged's `set_recommended_min_free_kbytes` (mm/khugepaged.c) raises
 * it to `pageblock_nr_pages * nr_zones * (2 + 3 * 3)` pages, at most 5% of
 * `nr_free_buffer_pages()` (managed − high watermark, after the first `setup_per_zone_wmarks`).
 */
function defaultMinFreeKbytes(
  zones: ZoneConfig[],
  managed: number[],
  pbPages: number,
  thp: boolean,
  scale: number,
): number {
  const lowmem = zones.flatMap((z, i) => (z.type <= ZONE_NORMAL ? [managed[i]] : []))
  const lowmemPages = lowmem.reduce((a, n) => a + n, 0)
  let minFree = Math.min(262144, Math.max(128, intSqrt(lowmemPages * 4 * 16)))
  if (!thp) return minFree
  // nr_free_buffer_pages() after the first setup_per_zone_wmarks: managed - high watermark.
  const pagesMin = minFree >> 2
  let buffer = 0
  for (const n of lowmem) {
    const min = Math.floor((pagesMin * n) / lowmemPages)
    const d = Math.max(min >> 2, multFrac(n, scale, 10000))
    buffer += Math.max(0, n - (min + 2 * d))
  }
  const nrZones = lowmem.length
  let recommended = pbPages * nrZones * 2 + pbPages * nrZones * 3 * 3
  recommended = Math.min(recommended, Math.floor(buffer / 20))
  recommended *= 4
  if (recommended > minFree) minFree = recommended
  return minFree
}

/** `mult_frac(x, n, d)` = x*n/d without overflow, as the kernel rounds it. */
export function multFrac(x: number, n: number, d: number): number {
  const q = Math.floor(x / d)
  const r = x % d
  return q * n + Math.floor((r * n) / d)
}
