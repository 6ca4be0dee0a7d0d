/**
 * The whole simulated machine: configuration, era predicates, per-pfn and per-pageblock typed
 * arrays, zones, free areas, per-cpu lists, counters and trace subscribers. Functions in the
 * other files take it as their first argument (bitECS style); nothing here allocates per page.
 */
import { type KernelEra, KERNEL_ERAS, type MachineConfig } from './config'
import { MIGRATE_TYPES } from './migratetype'
import { NR_PCP_LISTS } from './pcpIndex'
import { type TraceCallback, NR_TRACE_EVENTS } from './traceTypes'
import { NR_NODE_STAT_ITEMS, NR_VM_EVENTS } from './vmstatItems'
import { Zone } from './zone'

export class Machine {
  readonly cfg: MachineConfig
  /** Index of `cfg.kernelEra` in KERNEL_ERAS, for `eraAtLeast`. */
  readonly eraRank: number
  /** [6.10+] freelist hygiene: free blocks always on their pageblock's list; merge relabelling. */
  readonly hygiene: boolean
  /** [6.12+] the watermark check subtracts `nr_free_highatomic` rather than `nr_reserved_highatomic`. */
  readonly freeHighatomicAcct: boolean
  /** [6.15+] `__rmqueue_claim`/`__rmqueue_steal` and `__free_one_page_maybe_split`. */
  readonly claimSteal: boolean
  /** [2025] standalone `PB_migrate_isolate` bit. */
  readonly isolateBit: boolean
  readonly pageblockOrder: number
  readonly pageblockNrPages: number
  readonly maxOrder: number
  /** `NR_PAGE_ORDERS` = MAX_PAGE_ORDER + 1. */
  readonly nrOrders: number
  /** `page_group_by_mobility_disabled`: too little memory for grouping (build_all_zonelists). */
  readonly mobilityDisabled: boolean
  /** One past the highest pfn. */
  readonly endPfn: number
  readonly nrCpus: number
  debugVm: boolean
  pcpEnabled: boolean
  /**
   * Design `buddy.mergeRule: 'isolate-only'`: the ≤5.17 `__free_one_page`, where at orders ≥
   * pageblock_order only isolation stops a merge (CMA and HIGHATOMIC pageblocks merge with any
   * type); false is 5.18+'s `migratetype_is_mergeable` rule. Set before any pageblock changes type.
   */
  mergeIsolateOnly = false

  /** Per pfn, interleaved: flags, info (order | listMt << 8), next, prev (see memmap.ts). */
  pg: Int32Array
  /** Per pfn: `_refcount`. */
  refcount: Int32Array
  /** Per pfn: mappings of the folio (head only). */
  mapcount: Int32Array
  /** Per pfn: `_pincount` of a large folio (head only). */
  pincount: Int32Array

  /** Per pageblock: bits 0-2 migratetype, bit 3 PB_migrate_skip, bit 4 PB_migrate_isolate (2025). */
  pbFlags: Uint8Array
  /** Per pageblock: zone id, 255 outside every zone. */
  pbZone: Uint8Array
  /**
   * Per pageblock: the stored migratetype when it was last isolated (engine/isolation's
   * 'flag' representation on pre-2025 eras restores it; the kernel keeps it in the flags).
   */
  pbIsolatedMt: Uint8Array

  zones: Zone[]
  /** Per node: zone ids in zonelist order (local node first, then other nodes; each high to low). */
  zonelists: Int32Array[]

  /** Free lists: index `(zoneId * nrOrders + order) * MIGRATE_TYPES + mt`. */
  faHead: Int32Array
  faTail: Int32Array
  faCount: Int32Array
  /** `free_area[order].nr_free`: index `zoneId * nrOrders + order`. */
  nrFree: Int32Array

  /** Per-cpu lists: index `((zoneId * nrCpus) + cpu) * NR_PCP_LISTS + pindex`. */
  pcpHead: Int32Array
  pcpTail: Int32Array
  /** `per_cpu_pages.count` (pages) and `.free_factor`: index `zoneId * nrCpus + cpu`. */
  pcpCount: Int32Array
  pcpFreeFactor: Int32Array

  /** The CPU the current operation runs on (`smp_processor_id()`); change with `setCurrentCpu`. */
  cpu = 0
  /** `numa_node_id()` of `cpu`. */
  localNid = 0
  /** Global event counters and node gauges, see vmstatItems.ts. */
  vmEvents: Float64Array
  /** Per-node gauges (`enum node_stat_item`): index `nid * NR_NODE_STAT_ITEMS + item`. */
  nodeStat: Float64Array
  /** `totalcma_pages`: pages of every CMA area (mm/cma.c:cma_init_reserved_mem). */
  totalcmaPages = 0
  /** Name of the operation in progress, reported by invariant violations. */
  op = 'boot'

  /**
   * Scratch state of one operation, kept per machine (never at module level, so that two
   * machines in one process cannot see each other's):
   * - `rmqueueMode`: [6.15+] `enum rmqueue_mode`, the local of `rmqueue_bulk`/`rmqueue_buddy`
   *   carried across their `__rmqueue` calls.
   * - `fallbackCanSteal`: [≤6.14] the `*can_steal` out-parameter of `find_suitable_fallback`.
   * - `moveCounts`: the counts of the last `prep_move_freepages_block`/`move_freepages_block`
   *   walk (free pages, movable-looking pages, the block's first pfn).
   */
  rmqueueMode = 0
  fallbackCanSteal = false
  readonly moveCounts = { freePages: 0, movablePages: 0, startPfn: 0 }
  /**
   * `current->capture_control` of the running task, read by `__free_one_page`'s
   * `compaction_capture` (buddy.ts): direct compaction arms it with its zone, order and request
   * migratetype; a block of that order freed in that zone meanwhile is taken (`page`, else -1)
   * instead of going to the free lists. `zoneId` -1: not armed.
   */
  readonly capc = { zoneId: -1, order: -1, migratetype: 0, page: -1 }

  /**
   * Per-mechanism state registered with `defineMachineState` (machineState.ts): plain data,
   * saved by `snapshot()`. `restored` holds states a restored snapshot carried until their
   * getter adopts them.
   */
  readonly ext: Record<string, unknown> = {}
  readonly restored: Record<string, unknown> = {}
  /**
   * Per-mechanism observers (`defineMachineObservers`): callbacks, never snapshotted, and not
   * enumerable, so that comparing two machines' state (a test's deep equality) skips them.
   */
  declare readonly observers: Record<string, unknown>

  /** Per trace event: 1 if anybody subscribed (checked before building an event). */
  traceOn: Uint8Array
  traceSubs: TraceCallback[][]

  constructor(cfg: MachineConfig) {
    Object.defineProperty(this, 'observers', { value: {}, enumerable: false })
    this.cfg = cfg
    const rank = KERNEL_ERAS.indexOf(cfg.kernelEra)
    this.eraRank = rank
    this.hygiene = rank >= eraRankOf('6.10')
    this.freeHighatomicAcct = rank >= eraRankOf('6.12')
    this.claimSteal = rank >= eraRankOf('6.15')
    this.isolateBit = rank >= eraRankOf('2025')
    this.pageblockOrder = cfg.pageblockOrder
    this.pageblockNrPages = 1 << cfg.pageblockOrder
    this.maxOrder = cfg.maxPageOrder
    this.nrOrders = cfg.maxPageOrder + 1
    this.nrCpus = cfg.nrCpus
    this.debugVm = cfg.debugVm
    this.pcpEnabled = cfg.pcp
    const last = cfg.zones[cfg.zones.length - 1]
    const endPfn = last.startPfn + last.nrPages
    this.endPfn = endPfn
    const totalPages = cfg.zones.reduce((a, z) => a + z.nrPages, 0)
    this.mobilityDisabled = totalPages < this.pageblockNrPages * MIGRATE_TYPES

    this.pg = new Int32Array(endPfn * 4)
    this.refcount = new Int32Array(endPfn)
    this.mapcount = new Int32Array(endPfn)
    this.pincount = new Int32Array(endPfn)

    const nrPb = Math.ceil(endPfn / this.pageblockNrPages)
    this.pbFlags = new Uint8Array(nrPb)
    this.pbZone = new Uint8Array(nrPb).fill(255)
    this.pbIsolatedMt = new Uint8Array(nrPb)
    this.zones = cfg.zones.map((z, i) => new Zone(i, z.nid, z.type, z.startPfn, z.nrPages))
    for (const z of this.zones)
      this.pbZone.fill(z.id, z.startPfn >> cfg.pageblockOrder, z.endPfn >> cfg.pageblockOrder)
    this.zonelists = buildZonelists(this.zones, cfg.nrNodes)

    const nz = this.zones.length
    this.faHead = new Int32Array(nz * this.nrOrders * MIGRATE_TYPES).fill(-1)
    this.faTail = new Int32Array(nz * this.nrOrders * MIGRATE_TYPES).fill(-1)
    this.faCount = new Int32Array(nz * this.nrOrders * MIGRATE_TYPES)
    this.nrFree = new Int32Array(nz * this.nrOrders)
    this.pcpHead = new Int32Array(nz * cfg.nrCpus * NR_PCP_LISTS).fill(-1)
    this.pcpTail = new Int32Array(nz * cfg.nrCpus * NR_PCP_LISTS).fill(-1)
    this.pcpCount = new Int32Array(nz * cfg.nrCpus)
    this.pcpFreeFactor = new Int32Array(nz * cfg.nrCpus)
    this.vmEvents = new Float64Array(NR_VM_EVENTS)
    this.nodeStat = new Float64Array(cfg.nrNodes * NR_NODE_STAT_ITEMS)
    this.traceOn = new Uint8Array(NR_TRACE_EVENTS)
    this.traceSubs = []
    for (let i = 0; i < NR_TRACE_EVENTS; i++) this.traceSubs.push([])
  }
}

export function eraRankOf(era: KernelEra): number {
  return KERNEL_ERAS.indexOf(era)
}

/** True if the machine models `era` or a later kernel. */
export function eraAtLeast(m: Machine, era: KernelEra): boolean {
  return m.eraRank >= eraRankOf(era)
}

/** `page_zone()`: the zone holding `pfn`, or undefined for a pfn in no zone. */
export function pfnZone(m: Machine, pfn: number): Zone | undefined {
  return m.zones[m.pbZone[pfn >> m.pageblockOrder]]
}

/** Node of a CPU: CPUs are spread evenly over the nodes. */
export function cpuToNode(m: Machine, cpu: number): number {
  return Math.floor((cpu * m.cfg.nrNodes) / m.nrCpus)
}

/** Run the following operations on `cpu` (its per-cpu lists, its node's zonelist). */
export function setCurrentCpu(m: Machine, cpu: number): void {
  if (!Number.isInteger(cpu) || cpu < 0 || cpu >= m.nrCpus)
    throw new RangeError(`cpu ${cpu} out of range 0..${m.nrCpus - 1}`)
  m.cpu = cpu
  m.localNid = cpuToNode(m, cpu)
}

/**
 * `build_zonelists` in node order (the default since 4.14): the local node's zones from
 * highest to lowest, then each other node (by increasing distance, here by id after the local
 * node, wrapping) likewise.
 */
function buildZonelists(zones: Zone[], nrNodes: number): Int32Array[] {
  const lists: Int32Array[] = []
  for (let nid = 0; nid < nrNodes; nid++) {
    const ids: number[] = []
    for (let k = 0; k < nrNodes; k++) {
      const n = (nid + k) % nrNodes
      const nodeZones = zones.filter((z) => z.nid === n).sort((a, b) => b.type - a.type)
      for (const z of nodeZones) ids.push(z.id)
    }
    lists.push(Int32Array.from(ids))
  }
  return lists
}
