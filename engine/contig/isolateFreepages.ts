/**
 * mm/compaction.c:isolate_freepages_range in strict mode, as alloc_contig_range calls it:
 * every pfn of `[startPfn, endPfn)` must lie in a free buddy; each buddy is taken whole
 * (`__isolate_free_page`, or the 2011 `split_free_page`) and split into order-0 pages
 * (`split_map_pages`). A hole or a refused block undoes everything and returns 0.
 *
 * The watermark rule follows `variant.splitWatermark` (see types.ts). With the 2011 rule,
 * `variant.reclaim === 'in-split-free-page'` models Marek Szyprowski's CMA v18 patch 07: when
 * the check fails, `__force_memory_reclaim(order, zone)` (wake kswapd, one try_to_free_pages
 * call at the block's order) runs right there, with the zone lock held, and the check is
 * retried; a call without progress would have invoked the OOM killer and is counted; after
 * MAX_RECLAIM_RETRIES such calls the block is refused (the patch itself looped on).
 */
import { ALLOC_CMA } from '../mm/allocFlags'
import { FPI_NONE, freeOnePage } from '../mm/buddy'
import { delFromFreeList } from '../mm/freeArea'
import { type Machine } from '../mm/machine'
import {
  PAGE_ALLOC,
  PAGE_TYPE_BUDDY,
  pageFlags,
  pageOrder,
  setPageFlags,
  setPageOrder,
} from '../mm/memmap'
import { getPfnblockMigratetype } from '../mm/pageblock'
import { zoneWatermarkOk } from '../mm/watermark'
import { contigDirectReclaim } from './reclaim'
import { charge, chargeSince, type ContigReq } from './request'

/** `MAX_RECLAIM_RETRIES` (mm/internal.h). */
export const MAX_RECLAIM_RETRIES = 16

/** Free pages in `[startPfn, endPfn)` (whole buddies starting there). */
function freePagesIn(m: Machine, startPfn: number, endPfn: number): number {
  let n = 0
  for (let p = startPfn; p < endPfn;) {
    if ((pageFlags(m, p) & PAGE_TYPE_BUDDY) !== 0) {
      n += 1 << pageOrder(m, p)
      p += 1 << pageOrder(m, p)
    } else p++
  }
  return n
}

/**
 * The 2011 `split_free_page` check: `zone_watermark_ok(zone, 0, low_wmark + 2^order, 0, 0)`
 * against NR_FREE_PAGES as it was then, i.e. still counting the isolated free pages not yet
 * taken (`pendingIsolated`).
 */
function watermarkOk2011(req: ContigReq, order: number, pendingIsolated: number): boolean {
  const z = req.z
  return zoneWatermarkOk(
    req.m,
    z,
    0,
    z.wmarkLow + (1 << order),
    0,
    ALLOC_CMA,
    z.nrFreePages + pendingIsolated,
  )
}

/** The 2011 `__force_memory_reclaim` loop around the check; false if the block stays refused. */
function splitWatermarkWithReclaim(
  req: ContigReq,
  order: number,
  pendingIsolated: number,
): boolean {
  if (watermarkOk2011(req, order, pendingIsolated)) return true
  if (req.v.reclaim !== 'in-split-free-page') return false
  const rec = req.rec
  let noProgress = 0
  while (!watermarkOk2011(req, order, pendingIsolated)) {
    const t0 = req.env.clock.nowNs
    const wasBelowMin = req.z.nrFreePages < req.z.wmarkMin
    const r = contigDirectReclaim(req, order)
    chargeSince(req, t0, wasBelowMin)
    rec.reclaimUnderZoneLockNs += req.env.clock.nowNs - t0
    rec.nrReclaimed += r.nrReclaimed
    rec.nrReclaimedOtherZones += r.nrOtherZones
    if (r.nrReclaimed === 0) {
      rec.nrOomInvocations++
      if (++noProgress >= MAX_RECLAIM_RETRIES) return false
    }
  }
  return true
}

/** Returns one past the last pfn taken (≥ endPfn when a buddy runs past it), or 0. */
export function isolateFreepagesRange(req: ContigReq, startPfn: number, endPfn: number): number {
  const { m, z, env } = req
  const taken: number[] = []
  let pending = req.v.splitWatermark === 'low-2011' ? freePagesIn(m, startPfn, endPfn) : 0
  let pfn = startPfn
  let lastBlock = -1
  let ok = true
  while (pfn < endPfn) {
    const f = pageFlags(m, pfn)
    charge(req, env.cost.pfnScanNs)
    req.rec.nrScanned++
    if ((f & PAGE_TYPE_BUDDY) === 0) {
      ok = false
      break
    }
    const block = pfn >> m.pageblockOrder
    if (block !== lastBlock) {
      charge(req, env.cost.lockNs)
      lastBlock = block
    }
    const order = pageOrder(m, pfn)
    if (req.v.splitWatermark === 'low-2011' && !splitWatermarkWithReclaim(req, order, pending)) {
      req.rec.failedAt = req.v.reclaim === 'in-split-free-page' ? 'reclaim' : 'isolate_freepages'
      ok = false
      break
    }
    pending = Math.max(0, pending - (1 << order))
    delFromFreeList(m, z, pfn, order)
    taken.push(pfn, order)
    pfn += 1 << order
  }
  if (!ok) {
    for (let i = 0; i < taken.length; i += 2)
      freeOnePage(m, z, taken[i], taken[i + 1], getPfnblockMigratetype(m, taken[i]), FPI_NONE)
    return 0
  }
  // split_map_pages(): post_alloc_hook + split_page, every page an order-0 page with refcount 1.
  for (let i = 0; i < taken.length; i += 2) {
    const head = taken[i]
    for (let p = head; p < head + (1 << taken[i + 1]); p++) {
      setPageFlags(m, p, PAGE_ALLOC)
      setPageOrder(m, p, 0)
      m.refcount[p] = 1
    }
    charge(req, env.cost.bookkeepingNs << taken[i + 1])
  }
  return pfn
}
