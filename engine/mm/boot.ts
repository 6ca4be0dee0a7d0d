/**
 * Creating a machine as the kernel boots one: `memmap_init` marks every pageblock MOVABLE,
 * `memblock_free_all` hands all memory to the buddy allocator in naturally aligned blocks at
 * the list tails, then watermarks, lowmem reserves and per-cpu batch/high are set up. Also the
 * exact-placement helpers an importer of real /proc state needs.
 */
import { FPI_TO_TAIL, freeOnePageLocked } from './buddy'
import { type MachineConfig, parseMachineConfig } from './config'
import { addToFreeList } from './freeArea'
import { Machine } from './machine'
import { PAGE_ALLOC, PAGE_BOOT, PG_reserved, pageFlags, pageOrder, setPageFlags } from './memmap'
import { MIGRATE_MOVABLE } from './migratetype'
import { getPfnblockMigratetype } from './pageblock'
import { reservedRanges } from './reserve'
import { setupPcpHighAndBatch } from './pcp'
import { VM_PGFREE } from './vmstatItems'
import { type Zone } from './zone'
import { setupPerZoneLowmemReserve, setupPerZoneWmarks } from './watermark'

/** Recompute watermarks, lowmem reserves and per-cpu high/batch (the sysctl handlers' work). */
export function recomputeWatermarks(m: Machine): void {
  setupPerZoneWmarks(m)
  setupPerZoneLowmemReserve(m)
  setupPcpHighAndBatch(m)
}

/** Options of `createMachine` that are not part of the machine's config. */
export interface CreateMachineOptions {
  /**
   * Pfn ranges `[start, end)` the memmap's top-down placement must skip: memory that is not
   * boot RAM in the kernel (a virtio-mem device's region).
   */
  memmapAvoid?: readonly (readonly [number, number])[]
}

/**
 * Build a machine from a config (validated again, so a plain object works too). With
 * `boot: 'free'` all memory but the boot reservations (`cfg.reserve`) is free, as
 * `memblock_free_all` leaves it; with `boot: 'allocated'` every page is an allocated order-0
 * kernel page (refcount 1) for `initFreeBlock`/`reservePages` to shape. Reserved pages are
 * PG_reserved (refcount 1) and not in `managed_pages`.
 */
export function createMachine(cfg: MachineConfig, opts: CreateMachineOptions = {}): Machine {
  const m = new Machine(parseMachineConfig(cfg))
  m.pbFlags.fill(MIGRATE_MOVABLE)
  const reserved = reservedRanges(m.cfg.zones, m.cfg.reserve, opts.memmapAvoid)
  if (m.cfg.boot === 'free') {
    for (const z of m.zones) {
      let pfn = z.startPfn
      for (const r of [...reserved].sort((a, b) => a.startPfn - b.startPfn)) {
        const lo = Math.max(z.startPfn, r.startPfn)
        const hi = Math.min(z.endPfn, r.startPfn + r.nrPages)
        if (hi <= lo) continue
        freeMemoryRange(m, z, pfn, lo)
        pfn = hi
      }
      freeMemoryRange(m, z, pfn, z.endPfn)
    }
  } else {
    for (const z of m.zones) {
      for (let p = z.startPfn; p < z.endPfn; p++) m.pg[p << 2] = PAGE_ALLOC | PAGE_BOOT
      m.refcount.fill(1, z.startPfn, z.endPfn)
    }
  }
  for (const r of reserved) {
    for (let p = r.startPfn; p < r.startPfn + r.nrPages; p++)
      setPageFlags(m, p, PAGE_ALLOC | PG_reserved)
    m.refcount.fill(1, r.startPfn, r.startPfn + r.nrPages)
    for (const z of m.zones) {
      const lo = Math.max(z.startPfn, r.startPfn)
      const hi = Math.min(z.endPfn, r.startPfn + r.nrPages)
      if (hi > lo) z.managedPages -= hi - lo
    }
  }
  recomputeWatermarks(m)
  m.op = 'idle'
  return m
}

/**
 * `__free_pages_memory(start, end)`: free `[start, end)` in the largest naturally aligned
 * blocks, to the list tails in pfn order (`memblock_free_all`).
 */
function freeMemoryRange(m: Machine, z: Zone, start: number, end: number): void {
  let pfn = start
  while (pfn < end) {
    let order = m.maxOrder
    while (order > 0 && ((pfn & ((1 << order) - 1)) !== 0 || pfn + (1 << order) > end)) order--
    freeOnePageLocked(m, z, pfn, order, getPfnblockMigratetype(m, pfn), FPI_TO_TAIL)
    m.vmEvents[VM_PGFREE] += 1 << order
    pfn += 1 << order
  }
}

function zoneOf(m: Machine, pfn: number, nrPages: number, what: string) {
  const z = m.zones[m.pbZone[pfn >> m.pageblockOrder]]
  if (!Number.isInteger(pfn) || z === undefined || pfn < z.startPfn || pfn + nrPages > z.endPfn) {
    throw new RangeError(`${what}: pfn range [${pfn}, ${pfn + nrPages}) is not inside one zone`)
  }
  return z
}

function requirePlaceholders(m: Machine, pfn: number, nrPages: number, what: string): void {
  for (let p = pfn; p < pfn + nrPages; p++) {
    if (
      pageFlags(m, p) !== (PAGE_ALLOC | PAGE_BOOT) ||
      pageOrder(m, p) !== 0 ||
      m.refcount[p] !== 1
    ) {
      throw new Error(
        `${what}: pfn ${p} is not an unused allocated order-0 page (boot: 'allocated')`,
      )
    }
  }
}

/**
 * Place a free block exactly: pages `[pfn, pfn + 2^order)`, all unused allocated order-0 pages,
 * become one free buddy of `order` at the tail of `free_list[mt]` (default: the pageblock's
 * type), accounted in NR_FREE_PAGES, without merging. For importing /proc/buddyinfo and
 * /proc/pagetypeinfo. From 6.10 a block must sit on its pageblock's list.
 */
export function initFreeBlock(m: Machine, pfn: number, order: number, mt?: number): void {
  m.op = 'initFreeBlock'
  if (!Number.isInteger(order) || order < 0 || order > m.maxOrder)
    throw new RangeError(`initFreeBlock: order ${order} out of range`)
  if ((pfn & ((1 << order) - 1)) !== 0)
    throw new RangeError(`initFreeBlock: pfn ${pfn} is not aligned to order ${order}`)
  const z = zoneOf(m, pfn, 1 << order, 'initFreeBlock')
  requirePlaceholders(m, pfn, 1 << order, 'initFreeBlock')
  const blockMt = getPfnblockMigratetype(m, pfn)
  const listMt = mt ?? blockMt
  if (m.hygiene) {
    for (let p = pfn; p < pfn + (1 << order); p += m.pageblockNrPages) {
      const t = getPfnblockMigratetype(m, p)
      if (t !== listMt)
        throw new Error(
          `initFreeBlock: kernel ${m.cfg.kernelEra} keeps free blocks on their pageblock's list (${t}), not ${listMt}`,
        )
    }
  }
  for (let p = pfn; p < pfn + (1 << order); p++) setPageFlags(m, p, 0)
  m.refcount.fill(0, pfn, pfn + (1 << order))
  addToFreeList(m, z, pfn, order, listMt, true)
}

/**
 * Mark `nrPages` unused allocated pages from `pfn` as PG_reserved (memblock reservations,
 * firmware): they leave `managed_pages`; watermarks are recomputed.
 */
export function reservePages(m: Machine, pfn: number, nrPages: number): void {
  m.op = 'reservePages'
  const z = zoneOf(m, pfn, nrPages, 'reservePages')
  requirePlaceholders(m, pfn, nrPages, 'reservePages')
  for (let p = pfn; p < pfn + nrPages; p++) setPageFlags(m, p, PAGE_ALLOC | PG_reserved)
  z.managedPages -= nrPages
  recomputeWatermarks(m)
}
