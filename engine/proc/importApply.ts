/**
 * Building a machine from an ImportPlan (issue 3, item 8) with engine/mm's exact-placement API:
 * a `boot: 'allocated'` machine whose pageblocks get the plan's types and whose free blocks
 * are placed one by one with `initFreeBlock`, so /proc/buddyinfo and /proc/pagetypeinfo of the
 * machine print what the real kernel printed.
 */
import { createMachine, initFreeBlock, recomputeWatermarks, reservePages } from '../mm/boot'
import { parseMachineConfig } from '../mm/config'
import { folioAddMapcount, folioSetFlags } from '../mm/folio'
import { type Machine } from '../mm/machine'
import { PG_anon, PG_lru, PG_swapbacked, PG_uptodate } from '../mm/memmap'
import {
  MIGRATE_CMA,
  MIGRATE_HIGHATOMIC,
  MIGRATE_ISOLATE,
  MIGRATE_MOVABLE,
  MIGRATETYPE_NAMES,
} from '../mm/migratetype'
import { setPageblockIsolate, setPageblockMigratetype } from '../mm/pageblock'
import { planImport, type ImportPlan, type PlanImportOptions } from './importPlan'
import { type ImportZonePlan } from './importZone'

export interface ApplyImportOptions {
  /**
   * Further machine configuration: `kernelEra`, `nrCpus`, `minFreeKbytes`,
   * `watermarkScaleFactor`, `pcp`, `debugVm`, ... The layout (`zones`, `memoryMiB`, `nrNodes`,
   * `pageblockOrder`, `maxPageOrder`, `boot`) comes from the plan.
   */
  config?: Readonly<Record<string, unknown>>
  /**
   * Per zone, in plan order: pages the kernel keeps outside the buddy allocator (present −
   * managed in /proc/zoneinfo: kernel image, memmap, firmware). They are taken from the
   * allocated pages, Movable pageblocks first (memmap_init types every pageblock MOVABLE and
   * memblock's reservations never change that), fullest pageblocks first, and become
   * PG_reserved pages outside `managed_pages`. Default: none.
   */
  reservedPages?: readonly number[]
  /**
   * What the other allocated pages of Movable and CMA pageblocks are: `'anon'` (default) mapped
   * anonymous LRU pages (PG_anon, PG_lru, PG_swapbacked, mapcount 1) that compaction can
   * migrate, or `'kernel'` unmovable kernel pages like those of the other pageblocks.
   */
  movableUse?: 'anon' | 'kernel'
}

const LAYOUT_KEYS = ['zones', 'memoryMiB', 'nrNodes', 'pageblockOrder', 'maxPageOrder', 'boot']

/** Plans and builds in one step: `applyImportPlan(planImport(...), opts)`. */
export function importMachine(
  buddyinfoText: string,
  pagetypeinfoText: string,
  opts: PlanImportOptions & ApplyImportOptions = {},
): Machine {
  return applyImportPlan(planImport(buddyinfoText, pagetypeinfoText, opts), opts)
}

/**
 * Builds the machine: zones cover the plan's pageblocks (the engine's zones are pageblock
 * aligned, so pfns of those pageblocks outside the real zone, like x86's pfn 0, become
 * reserved pages), pageblocks get their types (HighAtomic ones count in
 * `nr_reserved_highatomic`, Isolate ones in `nr_isolate_pageblock`), free blocks are placed
 * exactly, and the remaining pages stay allocated (see `ApplyImportOptions`).
 */
export function applyImportPlan(plan: ImportPlan, opts: ApplyImportOptions = {}): Machine {
  const extra = opts.config ?? {}
  for (const key of LAYOUT_KEYS) {
    if (key in extra) throw new Error(`applyImportPlan: config.${key} comes from the plan`)
  }
  const pbPages = 2 ** plan.pageblockOrder
  const nrNodes = new Set(plan.zones.map((z) => z.nid)).size
  const cfg = parseMachineConfig({
    ...extra,
    nrNodes,
    pageblockOrder: plan.pageblockOrder,
    maxPageOrder: plan.nrOrders - 1,
    boot: 'allocated',
    zones: plan.zones.map((z) => ({
      nid: z.nid,
      type: z.name,
      startPfn: z.firstPageblockPfn,
      nrPages: z.pageblockMigratetype.length * pbPages,
    })),
  })
  const m = createMachine(cfg)
  if (plan.mixedLists && m.hygiene) checkNoMixedLists(plan, m.cfg.kernelEra)

  plan.zones.forEach((zp, i) => {
    const z = m.zones[i]
    zp.pageblockMigratetype.forEach((mt, b) => {
      const pfn = zp.firstPageblockPfn + b * pbPages
      if (mt === MIGRATE_ISOLATE) {
        setPageblockIsolate(m, pfn, true, MIGRATE_MOVABLE)
      } else {
        setPageblockMigratetype(m, pfn, mt)
        if (mt === MIGRATE_HIGHATOMIC) z.nrReservedHighatomic += pbPages
      }
    })
    for (let k = 0; k < zp.freePfn.length; k++) {
      initFreeBlock(m, zp.freePfn[k], zp.freeOrder[k], zp.freeMigratetype[k])
    }
    // Pageblock pfns outside the real zone (x86's pfn 0, a zone end short of a pageblock).
    const zoneEnd = zp.startPfn + zp.spannedPages
    const pbEnd = zp.firstPageblockPfn + zp.pageblockMigratetype.length * pbPages
    if (zp.startPfn > zp.firstPageblockPfn) {
      reservePages(m, zp.firstPageblockPfn, zp.startPfn - zp.firstPageblockPfn)
    }
    if (pbEnd > zoneEnd) reservePages(m, zoneEnd, pbEnd - zoneEnd)
    const reserved = reserveUsedPages(m, zp, opts.reservedPages?.[i] ?? 0, pbPages)
    if ((opts.movableUse ?? 'anon') === 'anon') mapMovableAsAnon(m, zp, reserved, pbPages)
  })
  recomputeWatermarks(m)
  return m
}

function checkNoMixedLists(plan: ImportPlan, era: string): void {
  const pbPages = 2 ** plan.pageblockOrder
  for (const zp of plan.zones) {
    for (let k = 0; k < zp.freePfn.length; k++) {
      const b = Math.floor((zp.freePfn[k] - zp.firstPageblockPfn) / pbPages)
      const pbMt = zp.pageblockMigratetype[b]
      if (zp.freeMigratetype[k] !== pbMt) {
        throw new Error(
          `applyImportPlan: kernel era ${era} keeps every free block on its pageblock's list ` +
            `(freelist hygiene, 6.10+), but the plan has a ${MIGRATETYPE_NAMES[zp.freeMigratetype[k]]} ` +
            `block at pfn ${zp.freePfn[k]} in a ${MIGRATETYPE_NAMES[pbMt]} pageblock: use an era before 6.10`,
        )
      }
    }
  }
}

/**
 * Reserves `nrPages` of the zone's allocated pages (see `ApplyImportOptions.reservedPages`).
 * Returns, per used-run index, how many pages at its start were reserved.
 */
function reserveUsedPages(
  m: Machine,
  zp: ImportZonePlan,
  nrPages: number,
  pbPages: number,
): Map<number, number> {
  const runs = new Map<number, number>()
  if (nrPages === 0) return runs
  const used = new Map<number, number[]>()
  for (let k = 0; k < zp.usedPfn.length; k++) {
    const b = Math.floor((zp.usedPfn[k] - zp.firstPageblockPfn) / pbPages)
    const list = used.get(b)
    if (list) list.push(k)
    else used.set(b, [k])
  }
  const usedIn = (b: number) => used.get(b)!.reduce((n, k) => n + zp.usedNrPages[k], 0)
  const order = [...used.keys()].sort(
    (a, b) =>
      Number(zp.pageblockMigratetype[b] === MIGRATE_MOVABLE) -
        Number(zp.pageblockMigratetype[a] === MIGRATE_MOVABLE) ||
      usedIn(b) - usedIn(a) ||
      a - b,
  )
  let left = nrPages
  for (const b of order) {
    for (const k of used.get(b)!) {
      if (left === 0) return runs
      const n = Math.min(left, zp.usedNrPages[k])
      reservePages(m, zp.usedPfn[k], n)
      runs.set(k, n)
      left -= n
    }
  }
  if (left > 0) {
    throw new Error(
      `applyImportPlan: Node ${zp.nid}, zone ${zp.name} has ${nrPages - left} allocated pages, fewer than the ${nrPages} to reserve`,
    )
  }
  return runs
}

/** Allocated pages of Movable/CMA pageblocks become mapped anonymous LRU pages. */
function mapMovableAsAnon(
  m: Machine,
  zp: ImportZonePlan,
  reserved: Map<number, number>,
  pbPages: number,
): void {
  for (let k = 0; k < zp.usedPfn.length; k++) {
    const mt = zp.pageblockMigratetype[Math.floor((zp.usedPfn[k] - zp.firstPageblockPfn) / pbPages)]
    if (mt !== MIGRATE_MOVABLE && mt !== MIGRATE_CMA) continue
    const from = zp.usedPfn[k] + (reserved.get(k) ?? 0)
    for (let pfn = from; pfn < zp.usedPfn[k] + zp.usedNrPages[k]; pfn++) {
      folioSetFlags(m, pfn, PG_anon | PG_swapbacked | PG_uptodate | PG_lru, true)
      folioAddMapcount(m, pfn, 1)
    }
  }
}
