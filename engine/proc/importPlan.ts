/**
 * Planning a machine state from a real /proc/buddyinfo + /proc/pagetypeinfo pair (issue 3,
 * item 8): pageblock types, free blocks (pfn, order, free list) and allocated ranges such that
 * the kernel would print exactly these two files for that state.
 *
 * Each zone is planned by importZone.ts:planZone; no two free blocks of one order are buddies
 * (mm/page_alloc.c:__free_one_page would have merged them), and each free block sits in a
 * pageblock of its own type unless `mixedLists` allows otherwise. Capped (">100000") pagetypeinfo cells are made exact with buddyinfo, which is never capped.
 */
import { parseBuddyinfo } from './buddyinfo'
import { planZone, type ImportZonePlan, type ZoneGeometry } from './importZone'
import { parsePagetypeinfo } from './pagetypeinfo'
import { resolveCappedCounts } from './procZoneInfo'

export { type ImportZonePlan, type ZoneGeometry } from './importZone'

export interface ImportPlan {
  pageblockOrder: number
  nrOrders: number
  /** Migratetypes the source pagetypeinfo printed (no CMA on a !CONFIG_CMA kernel). */
  migratetypes: number[]
  /** Free blocks may sit on another mergeable type's pageblocks (`PlanImportOptions`). */
  mixedLists: boolean
  zones: ImportZonePlan[]
}

export interface PlanImportOptions {
  /** Zone placement, one entry per zone in file order. Default: `defaultImportGeometry`. */
  geometry?: readonly ZoneGeometry[]
  /**
   * Allow free Unmovable/Movable/Reclaimable/HighAtomic blocks in pageblocks of another of
   * these types when their own pageblocks cannot hold them. Kernels before 6.10 leave such
   * blocks (the remainder of a split goes to the list of the allocation's type), so their files
   * can need it; 6.10's freelist hygiene forbids it, so a machine of era 6.10+ cannot take such
   * a plan. Default false.
   */
  mixedLists?: boolean
  /**
   * pfn ranges whose pageblocks are known to be of one migratetype, e.g. a CMA area
   * (`{ migratetype: MIGRATE_CMA, startPfn: 0x37e00, nrPages: 32768 }` for `cma=128M` on the
   * qemu guest of resources/calibration). All pageblocks of that type must lie in them.
   */
  pinned?: readonly { migratetype: number; startPfn: number; nrPages: number }[]
}

/**
 * The layout of the qemu guest in resources/proc-samples (Debian 6.1, 1 GiB, nokaslr): DMA is
 * pfn 0x1–0x1000 (pfn 0 is firmware-reserved on x86) and DMA32 0x1000–0x3ffe0.
 */
export const QEMU_1GIB_X86_64_GEOMETRY: readonly ZoneGeometry[] = [
  { nid: 0, name: 'DMA', startPfn: 0x1, spannedPages: 0x1000 - 0x1 },
  { nid: 0, name: 'DMA32', startPfn: 0x1000, spannedPages: 0x3ffe0 - 0x1000 },
]

/**
 * Zones back to back from pfn 0, each spanning its pageblock count times pages per block, except
 * that a first zone named DMA starts at pfn 1, as on x86 where pfn 0 is reserved.
 */
export function defaultImportGeometry(
  zones: readonly { nid: number; zone: string; nrPageblocksByType: readonly number[] }[],
  pageblockOrder: number,
): ZoneGeometry[] {
  let cursor = 0
  return zones.map((z) => {
    const pages = z.nrPageblocksByType.reduce((a, c) => a + c, 0) * 2 ** pageblockOrder
    const skip = cursor === 0 && z.zone === 'DMA' ? 1 : 0
    const g = { nid: z.nid, name: z.zone, startPfn: cursor + skip, spannedPages: pages - skip }
    cursor += pages
    return g
  })
}

/** Parses both files and plans a state consistent with every count in them. */
export function planImport(
  buddyinfoText: string,
  pagetypeinfoText: string,
  opts: PlanImportOptions = {},
): ImportPlan {
  const buddy = parseBuddyinfo(buddyinfoText)
  const pti = parsePagetypeinfo(pagetypeinfoText)
  const names = (zs: readonly { nid: number; zone: string }[]) =>
    zs.map((z) => `Node ${z.nid}, zone ${z.zone}`).join('; ')
  if (names(buddy) !== names(pti.zones)) {
    throw new Error(
      `buddyinfo zones (${names(buddy)}) differ from pagetypeinfo's (${names(pti.zones)})`,
    )
  }
  if (buddy[0].nrFree.length !== pti.nrOrders) {
    throw new Error(`buddyinfo has ${buddy[0].nrFree.length} orders, pagetypeinfo ${pti.nrOrders}`)
  }
  const geometry = opts.geometry ?? defaultImportGeometry(pti.zones, pti.pageblockOrder)
  if (geometry.length !== buddy.length) {
    throw new Error(`geometry has ${geometry.length} zones, the files ${buddy.length}`)
  }
  const zones = pti.zones.map((z, i) => {
    const g = geometry[i]
    if (g.nid !== z.nid || g.name !== z.zone) {
      throw new Error(`geometry zone ${i} is Node ${g.nid}, zone ${g.name}, not ${z.zone}`)
    }
    const nrFreeByType = resolveCappedCounts(buddy[i].nrFree, z.nrFreeByType, z.capped)
    return planZone({
      geometry: g,
      nrFreeByType,
      capped: z.capped,
      nrPageblocksByType: z.nrPageblocksByType,
      pageblockOrder: pti.pageblockOrder,
      nrOrders: pti.nrOrders,
      mixedLists: opts.mixedLists ?? false,
      pinned: opts.pinned?.filter(
        (r) => r.startPfn >= g.startPfn && r.startPfn < g.startPfn + g.spannedPages,
      ),
    })
  })
  for (let i = 1; i < zones.length; i++) {
    const prev = zones[i - 1]
    const prevLastPb = Math.floor((prev.startPfn + prev.spannedPages - 1) / 2 ** pti.pageblockOrder)
    if (zones[i].firstPageblockPfn / 2 ** pti.pageblockOrder <= prevLastPb) {
      throw new Error(`zones ${prev.name} and ${zones[i].name} overlap or share a pageblock`)
    }
  }
  return {
    pageblockOrder: pti.pageblockOrder,
    nrOrders: pti.nrOrders,
    migratetypes: pti.migratetypes,
    mixedLists: opts.mixedLists ?? false,
    zones,
  }
}
