/**
 * Per-cpu page lists (mm/page_alloc.c, 6.1 rules for all eras): `zone_batchsize`,
 * `zone_highsize`, `rmqueue_pcplist` with `rmqueue_bulk` refills, `free_unref_page` with
 * `free_pcppages_bulk` drains above `high`, and `drain_all_pages`. Pages on a per-cpu list are
 * neither PageBuddy nor counted in NR_FREE_PAGES, so scanners cannot see them.
 */
import { freeOnePageLocked, FPI_NONE } from './buddy'
import { type Machine } from './machine'
import { NO_PAGE, PAGE_PCP, PG_INFO, PG_NEXT, PG_PREV } from './memmap'
import { MIGRATE_ISOLATE, MIGRATE_MOVABLE, MIGRATE_PCPTYPES } from './migratetype'
import { getPfnblockMigratetype } from './pageblock'
import { NR_PCP_LISTS, orderToPindex, pindexToOrder, PAGE_ALLOC_COSTLY_ORDER } from './pcpIndex'
import { rmqueue, rmqueueModeReset } from './rmqueue'
import { tracePcpuDrain } from './trace'
import { TP_MM_PAGE_PCPU_DRAIN } from './traceTypes'
import { type Zone } from './zone'

/** `zone_batchsize()`: about a quarter of a 1 MiB-or-0.1%-of-zone chunk, rounded to 2^n - 1. */
export function zoneBatchsize(managedPages: number): number {
  let batch = Math.min(managedPages >> 10, 256)
  batch = Math.floor(batch / 4)
  if (batch < 1) batch = 1
  const x = batch + (batch >> 1)
  return (1 << Math.floor(Math.log2(x))) - 1
}

/** `zone_highsize()`: the LOW watermark split over the node's CPUs, at least 4 * batch. */
export function zoneHighsize(m: Machine, z: Zone, batch: number): number {
  let cpusInNode = 0
  for (let c = 0; c < m.nrCpus; c++)
    if (Math.floor((c * m.cfg.nrNodes) / m.nrCpus) === z.nid) cpusInNode++
  if (cpusInNode === 0) cpusInNode = m.nrCpus
  const high = Math.floor(z.wmarkLow / cpusInNode)
  return Math.max(high, batch << 2)
}

/** `zone_set_pageset_high_and_batch()` for every zone (after watermarks change). */
export function setupPcpHighAndBatch(m: Machine): void {
  for (const z of m.zones) {
    z.pcpBatch = Math.max(1, zoneBatchsize(z.managedPages))
    z.pcpHigh = zoneHighsize(m, z, z.pcpBatch)
  }
}

function listIndex(m: Machine, z: Zone, cpu: number, pindex: number): number {
  return (z.id * m.nrCpus + cpu) * NR_PCP_LISTS + pindex
}

function pcpListAdd(m: Machine, li: number, pfn: number, tail: boolean): void {
  const pg = m.pg
  const b = pfn << 2
  if (tail) {
    const t = m.pcpTail[li]
    pg[b + PG_PREV] = t
    pg[b + PG_NEXT] = -1
    if (t < 0) m.pcpHead[li] = pfn
    else pg[(t << 2) + PG_NEXT] = pfn
    m.pcpTail[li] = pfn
  } else {
    const h = m.pcpHead[li]
    pg[b + PG_NEXT] = h
    pg[b + PG_PREV] = -1
    if (h < 0) m.pcpTail[li] = pfn
    else pg[(h << 2) + PG_PREV] = pfn
    m.pcpHead[li] = pfn
  }
}

function pcpListDel(m: Machine, li: number, pfn: number): void {
  const pg = m.pg
  const b = pfn << 2
  const n = pg[b + PG_NEXT]
  const p = pg[b + PG_PREV]
  if (p < 0) m.pcpHead[li] = n
  else pg[(p << 2) + PG_NEXT] = n
  if (n < 0) m.pcpTail[li] = p
  else pg[(n << 2) + PG_PREV] = p
  pg[b + PG_NEXT] = -1
  pg[b + PG_PREV] = -1
}

/**
 * `rmqueue_bulk()`: take up to `count` blocks of `order` with `__rmqueue` onto the tail of the
 * per-cpu list. Each keeps the type of the list it came from (`set_pcppage_migratetype`).
 */
function rmqueueBulk(
  m: Machine,
  z: Zone,
  order: number,
  count: number,
  li: number,
  mt: number,
  allocFlags: number,
): number {
  rmqueueModeReset(m)
  let i = 0
  for (; i < count; i++) {
    const pfn = rmqueue(m, z, order, mt, allocFlags)
    if (pfn === NO_PAGE) break
    // Keep the source list's type in the info word (`set_pcppage_migratetype`).
    m.pg[pfn << 2] = PAGE_PCP
    m.pg[(pfn << 2) + PG_INFO] = (m.pg[(pfn << 2) + PG_INFO] & 0xff00) | order
    pcpListAdd(m, li, pfn, true)
  }
  return i
}

/** `rmqueue_pcplist()`: the head of this CPU's list, refilled by a batch when empty. */
export function rmqueuePcplist(
  m: Machine,
  z: Zone,
  order: number,
  mt: number,
  allocFlags: number,
): number {
  const pi = z.id * m.nrCpus + m.cpu
  const li = pi * NR_PCP_LISTS + orderToPindex(mt, order)
  m.pcpFreeFactor[pi] >>= 1
  if (m.pcpHead[li] < 0) {
    let batch = z.pcpBatch
    if (batch > 1) batch = Math.max(batch >> order, 2)
    const got = rmqueueBulk(m, z, order, batch, li, mt, allocFlags)
    m.pcpCount[pi] += got << order
    if (m.pcpHead[li] < 0) return NO_PAGE
  }
  const pfn = m.pcpHead[li]
  pcpListDel(m, li, pfn)
  m.pcpCount[pi] -= 1 << order
  m.pg[pfn << 2] = 0
  return pfn
}

/**
 * `free_pcppages_bulk()`: return `count` pages from the CPU's lists to the buddy, round-robin
 * over non-empty lists starting after `pindex`, taking each list's oldest (tail) entries.
 * The migratetype is the one cached at free time [≤6.9] (re-read if any pageblock in the zone
 * is isolated), or the pageblock's current type [6.10+].
 */
export function freePcppagesBulk(
  m: Machine,
  z: Zone,
  cpu: number,
  count: number,
  pindex: number,
): void {
  const pi = z.id * m.nrCpus + cpu
  count = Math.min(m.pcpCount[pi], count)
  pindex = pindex - 1
  while (count > 0) {
    let li: number
    do {
      if (++pindex > NR_PCP_LISTS - 1) pindex = 0
      li = pi * NR_PCP_LISTS + pindex
    } while (m.pcpHead[li] < 0)
    const order = pindexToOrder(pindex)
    const nrPages = 1 << order
    do {
      const pfn = m.pcpTail[li]
      pcpListDel(m, li, pfn)
      m.pg[pfn << 2] = 0
      count -= nrPages
      m.pcpCount[pi] -= nrPages
      let mt = (m.pg[(pfn << 2) + PG_INFO] >> 8) & 0xff
      if (m.hygiene || z.nrIsolatePageblock !== 0) mt = getPfnblockMigratetype(m, pfn)
      freeOnePageLocked(m, z, pfn, order, mt, FPI_NONE)
      if (m.traceOn[TP_MM_PAGE_PCPU_DRAIN] !== 0) tracePcpuDrain(m, pfn, order, mt)
    } while (count > 0 && m.pcpHead[li] >= 0)
  }
}

/**
 * `free_unref_page()` + `free_unref_page_commit()` for a prepared page of a PCP order:
 * isolated pageblocks bypass the lists; CMA and HIGHATOMIC pages use the MOVABLE list. Above
 * `high` the CPU's lists drain by `nr_pcp_free` (which doubles with `free_factor` while frees
 * continue without allocations). Returns after counting nothing: PGFREE is the caller's.
 */
export function freeUnrefPage(m: Machine, z: Zone, pfn: number, order: number): void {
  let mt = getPfnblockMigratetype(m, pfn)
  const cachedMt = mt
  if (mt >= MIGRATE_PCPTYPES) {
    if (mt === MIGRATE_ISOLATE) {
      freeOnePageLocked(m, z, pfn, order, mt, FPI_NONE)
      return
    }
    mt = MIGRATE_MOVABLE
  }
  const pi = z.id * m.nrCpus + m.cpu
  const pindex = orderToPindex(mt, order)
  m.pg[pfn << 2] = PAGE_PCP
  m.pg[(pfn << 2) + PG_INFO] = order | (cachedMt << 8)
  pcpListAdd(m, listIndex(m, z, m.cpu, pindex), pfn, false)
  m.pcpCount[pi] += 1 << order
  const freeHigh = m.pcpFreeFactor[pi] !== 0 && order !== 0 && order <= PAGE_ALLOC_COSTLY_ORDER
  const high = freeHigh ? 0 : z.pcpHigh
  if (m.pcpCount[pi] >= high)
    freePcppagesBulk(m, z, m.cpu, nrPcpFree(m, pi, high, z.pcpBatch, freeHigh), pindex)
}

/** `nr_pcp_free()` (6.1). */
function nrPcpFree(m: Machine, pi: number, high: number, batch: number, freeHigh: boolean): number {
  if (freeHigh) return m.pcpCount[pi]
  if (high < batch) return 1
  const minNrFree = batch
  const maxNrFree = high - batch
  batch <<= m.pcpFreeFactor[pi]
  if (batch < maxNrFree) m.pcpFreeFactor[pi]++
  return Math.min(Math.max(batch, minNrFree), maxNrFree)
}

/** `drain_pages_zone()` / `drain_all_pages(zone)`: flush every CPU's lists (all zones when `zone` is null). */
export function drainAllPages(m: Machine, zone: Zone | null): void {
  m.op = 'drain_all_pages'
  for (const z of m.zones) {
    if (zone !== null && z !== zone) continue
    for (let cpu = 0; cpu < m.nrCpus; cpu++) {
      const count = m.pcpCount[z.id * m.nrCpus + cpu]
      if (count > 0) freePcppagesBulk(m, z, cpu, count, 0)
    }
  }
}

/** Pages on per-cpu lists of a zone (all CPUs). */
export function zonePcpPages(m: Machine, z: Zone): number {
  let n = 0
  for (let cpu = 0; cpu < m.nrCpus; cpu++) n += m.pcpCount[z.id * m.nrCpus + cpu]
  return n
}
