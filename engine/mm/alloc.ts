/**
 * The allocation entry points: `get_page_from_freelist` (zonelist walk, watermarks,
 * ALLOC_NOFRAGMENT, rmqueue with per-cpu lists, highatomic reservation) and `__alloc_pages`
 * (fast path at the LOW watermark, then one kswapd-less retry with the slow path's flags).
 */
import {
  ALLOC_CMA,
  ALLOC_HIGHATOMIC,
  ALLOC_KSWAPD,
  ALLOC_NO_WATERMARKS,
  ALLOC_NOFRAGMENT,
  ALLOC_WMARK_LOW,
  ALLOC_WMARK_MASK,
  gfpToAllocFlags,
  gfpToAllocFlagsCma,
} from './allocFlags'
import {
  __GFP_KSWAPD_RECLAIM,
  __GFP_MEMALLOC,
  __GFP_NOMEMALLOC,
  __GFP_THISNODE,
  gfpMigratetype,
  gfpZone,
} from './gfp'
import { reserveHighatomicPageblock } from './highatomic'
import { type Machine } from './machine'
import { NO_PAGE } from './memmap'
import { MIGRATE_MOVABLE, MIGRATE_UNMOVABLE } from './migratetype'
import { rmqueuePcplist } from './pcp'
import { pcpAllowedOrder } from './pcpIndex'
import { prepNewPage } from './prep'
import { rmqueueBuddy } from './rmqueue'
import { traceMmPageAlloc } from './trace'
import { TP_MM_PAGE_ALLOC } from './traceTypes'
import {
  VM_NUMA_FOREIGN,
  VM_NUMA_HIT,
  VM_NUMA_LOCAL,
  VM_NUMA_MISS,
  VM_NUMA_OTHER,
  VM_PGALLOC,
} from './vmstatItems'
import { zoneWatermarkFast, wmarkPages } from './watermark'
import { type Zone } from './zone'
import { ZONE_DMA32, ZONE_NORMAL } from './zoneType'

/** `gfp_migratetype()` with `page_group_by_mobility_disabled`. */
function acMigratetype(m: Machine, gfp: number): number {
  return m.mobilityDisabled ? MIGRATE_UNMOVABLE : gfpMigratetype(gfp)
}

/** The preferred zone: first zone of the local zonelist not above `highestZoneidx`. */
function preferredZone(m: Machine, zonelist: Int32Array, highestZoneidx: number): Zone | undefined {
  for (let i = 0; i < zonelist.length; i++) {
    const z = m.zones[zonelist[i]]
    if (z.type <= highestZoneidx) return z
  }
  return undefined
}

/**
 * `alloc_flags_nofragment()`: ALLOC_KSWAPD from `__GFP_KSWAPD_RECLAIM`, and ALLOC_NOFRAGMENT
 * when the preferred zone is NORMAL and the node has a populated DMA32.
 */
export function allocFlagsNofragment(m: Machine, z: Zone, gfp: number): number {
  let flags = gfp & __GFP_KSWAPD_RECLAIM
  if (z.type !== ZONE_NORMAL) return flags
  for (const d of m.zones)
    if (d.nid === z.nid && d.type === ZONE_DMA32 && d.managedPages > 0) flags |= ALLOC_NOFRAGMENT
  return flags
}

/** `zone_statistics()`: numa_hit/miss/foreign and numa_local/other, one per allocation. */
function zoneStatistics(m: Machine, preferred: Zone, z: Zone): void {
  const ev = m.vmEvents
  if (z.nid === preferred.nid) ev[VM_NUMA_HIT]++
  else {
    ev[VM_NUMA_MISS]++
    ev[VM_NUMA_FOREIGN]++
  }
  ev[z.nid === m.localNid ? VM_NUMA_LOCAL : VM_NUMA_OTHER]++
}

/** `rmqueue()`: per-cpu lists for PCP orders (not for a CMA-less movable request), else the buddy. */
function rmqueueZone(
  m: Machine,
  preferred: Zone,
  z: Zone,
  order: number,
  allocFlags: number,
  mt: number,
): number {
  let page = NO_PAGE
  if (
    m.pcpEnabled &&
    pcpAllowedOrder(order) &&
    ((allocFlags & ALLOC_CMA) !== 0 || mt !== MIGRATE_MOVABLE)
  ) {
    page = rmqueuePcplist(m, z, order, mt, allocFlags)
  }
  if (page === NO_PAGE) page = rmqueueBuddy(m, z, order, allocFlags, mt)
  if (page !== NO_PAGE) {
    m.vmEvents[VM_PGALLOC + z.type] += 1 << order
    zoneStatistics(m, preferred, z)
  }
  // A boosted zone wakes kswapd here; the model has no kswapd yet, so only the bit is cleared.
  if ((allocFlags & ALLOC_KSWAPD) !== 0 && z.boostedWatermark) z.boostedWatermark = false
  return page
}

/**
 * `get_page_from_freelist()` with explicit `alloc_flags`: walk node `nid`'s zonelist (default
 * the running CPU's node; zones ≤ `gfp_zone(gfp)`, only node `nid` with __GFP_THISNODE), skip zones failing `zone_watermark_fast` unless
 * ALLOC_NO_WATERMARKS, take a block with `rmqueue`, prepare it, and reserve a highatomic
 * pageblock after an ALLOC_HIGHATOMIC success. Under ALLOC_NOFRAGMENT a remote-node zone or
 * total failure retries without it. Returns the head pfn or NO_PAGE. No trace event: see
 * `allocPagesFlags`.
 */
export function getPageFromFreelist(
  m: Machine,
  gfp: number,
  order: number,
  allocFlags: number,
  nid: number = m.localNid,
): number {
  const highest = gfpZone(gfp)
  const mt = acMigratetype(m, gfp)
  const zonelist = m.zonelists[nid]
  const preferred = preferredZone(m, zonelist, highest)
  if (preferred === undefined) return NO_PAGE
  const thisNode = (gfp & __GFP_THISNODE) !== 0
  for (;;) {
    const noFallback = (allocFlags & ALLOC_NOFRAGMENT) !== 0
    let retry = false
    for (let i = 0; i < zonelist.length; i++) {
      const z = m.zones[zonelist[i]]
      if (z.type > highest || (thisNode && z.nid !== nid)) continue
      if (noFallback && m.cfg.nrNodes > 1 && z !== preferred && z.nid !== preferred.nid) {
        allocFlags &= ~ALLOC_NOFRAGMENT
        retry = true
        break
      }
      if ((allocFlags & ALLOC_NO_WATERMARKS) === 0) {
        const mark = wmarkPages(z, allocFlags & ALLOC_WMARK_MASK)
        if (!zoneWatermarkFast(m, z, order, mark, highest, allocFlags, gfp)) continue
      }
      const page = rmqueueZone(m, preferred, z, order, allocFlags, mt)
      if (page !== NO_PAGE) {
        prepNewPage(m, page, order, gfp)
        if ((allocFlags & ALLOC_HIGHATOMIC) !== 0) reserveHighatomicPageblock(m, z, page, order)
        return page
      }
    }
    if (retry) continue
    if (noFallback) {
      allocFlags &= ~ALLOC_NOFRAGMENT
      continue
    }
    return NO_PAGE
  }
}

/** `get_page_from_freelist` with explicit flags plus the `mm_page_alloc` event; for callers that own the policy (benchmarks, compaction targets). */
export function allocPagesFlags(
  m: Machine,
  gfp: number,
  order: number,
  allocFlags: number,
): number {
  m.op = 'get_page_from_freelist'
  const page =
    order >= 0 && order <= m.maxOrder ? getPageFromFreelist(m, gfp, order, allocFlags) : NO_PAGE
  if (m.traceOn[TP_MM_PAGE_ALLOC] !== 0)
    traceMmPageAlloc(m, page, order, gfp, acMigratetype(m, gfp))
  return page
}

/**
 * `__alloc_pages()`: the fast path at the LOW watermark with ALLOC_NOFRAGMENT where it applies;
 * on failure one retry with `gfp_to_alloc_flags` (MIN watermark, `__GFP_HIGH` and atomic
 * reserves, ALLOC_HIGHATOMIC), and `__GFP_MEMALLOC` may ignore watermarks. Reclaim, compaction
 * and OOM (the rest of `__alloc_pages_slowpath`) are not modelled here. Emits `mm_page_alloc`.
 * Returns the head pfn or NO_PAGE; orders above MAX_PAGE_ORDER fail.
 */
export function allocPages(m: Machine, gfp: number, order: number): number {
  return allocPagesNode(m, gfp, order, m.localNid)
}

/**
 * `alloc_pages_node(nid, gfp, order)`: `__alloc_pages` with node `nid` preferred (its zonelist:
 * its own zones first, then the other nodes'; only its own with __GFP_THISNODE). -1
 * (`NUMA_NO_NODE`) means the running CPU's node. numa_local/numa_other still compare with the
 * CPU's node, numa_hit/numa_miss with `nid`, as `zone_statistics` does.
 */
export function allocPagesNode(m: Machine, gfp: number, order: number, nid: number): number {
  m.op = 'alloc_pages'
  if (nid === -1) nid = m.localNid
  if (!Number.isInteger(nid) || nid < 0 || nid >= m.cfg.nrNodes)
    throw new RangeError(`alloc_pages_node: node ${nid} out of range 0..${m.cfg.nrNodes - 1}`)
  let page = NO_PAGE
  if (order >= 0 && order <= m.maxOrder) {
    const preferred = preferredZone(m, m.zonelists[nid], gfpZone(gfp))
    if (preferred !== undefined) {
      const fast = gfpToAllocFlagsCma(
        gfp,
        ALLOC_WMARK_LOW | allocFlagsNofragment(m, preferred, gfp),
      )
      page = getPageFromFreelist(m, gfp, order, fast, nid)
      if (page === NO_PAGE)
        page = getPageFromFreelist(m, gfp, order, gfpToAllocFlags(m, gfp, order), nid)
      if (page === NO_PAGE && (gfp & __GFP_MEMALLOC) !== 0 && (gfp & __GFP_NOMEMALLOC) === 0) {
        page = getPageFromFreelist(
          m,
          gfp,
          order,
          gfpToAllocFlags(m, gfp, order) | ALLOC_NO_WATERMARKS,
          nid,
        )
      }
    }
  }
  if (m.traceOn[TP_MM_PAGE_ALLOC] !== 0)
    traceMmPageAlloc(m, page, order, gfp, acMigratetype(m, gfp))
  return page
}
