/**
 * mm/page_alloc.c:alloc_contig_range(start, end, migratetype, gfp) with the variants of seeds
 * 003 and 004 (types.ts). Steps: [in-alloc-contig-range: reclaim `count` pages first];
 * `start_isolate_page_range`; `drain_all_pages`; `__alloc_contig_migrate_range` (-EBUSY falls
 * through to the test below, as in the kernel); find `outer_start`; `test_pages_isolated`;
 * `isolate_freepages_range`; free the outer parts; `undo_isolate_page_range`.
 * Returns the request record; `rec.ret` is 0, -EBUSY, -ENOMEM or -EINTR.
 */
import { pfnZone, type Machine } from '../mm/machine'
import { drainAllPages } from '../mm/pcp'
import { pageFlags, pageOrder, PAGE_TYPE_BUDDY } from '../mm/memmap'
import {
  newIsolateCtx,
  startIsolatePageRange,
  testPagesIsolated,
  undoIsolatePageRange,
  type IsolationVariant,
} from '../isolation'
import { freeContigRange } from './freeContigRange'
import { isolateFreepagesRange } from './isolateFreepages'
import { allocContigMigrateRange } from './migrateRange'
import { contigDirectReclaim } from './reclaim'
import { charge, chargeSince, drainAllPagesNs, newRecord, type ContigReq } from './request'
import { recordContig } from './series'
import {
  contigOutcome,
  defaultContigVariant,
  EBUSY,
  type ContigEnv,
  type ContigRequestRecord,
  type ContigVariant,
} from './types'
import { MAX_RECLAIM_RETRIES } from './isolateFreepages'

/**
 * The v19–v24 `__reclaim_pages(zone, GFP_HIGHUSER_MOVABLE, count)` (mainline 3.5–3.7): raise the
 * zone's watermarks by `count` (`__update_cma_watermarks`), then while the LOW check fails
 * `wake_all_kswapd` + `__perform_reclaim` at `order = 1` (try_to_free_pages), restore them.
 */
function reclaimBeforeIsolate(req: ContigReq, count: number): void {
  const { z, rec } = req
  let noProgress = 0
  while (z.nrFreePages <= z.wmarkLow + count + z.lowmemReserve[0]) {
    const t0 = req.env.clock.nowNs
    const wasBelowMin = z.nrFreePages < z.wmarkMin
    const r = contigDirectReclaim(req, 1)
    chargeSince(req, t0, wasBelowMin)
    rec.nrReclaimed += r.nrReclaimed
    rec.nrReclaimedOtherZones += r.nrOtherZones
    if (r.nrReclaimed === 0) {
      rec.nrOomInvocations++
      if (++noProgress >= MAX_RECLAIM_RETRIES) return
    }
  }
}

/** [≤6.9] search down through the orders for the buddy holding `start`; [6.10+] `find_large_buddy` finds the same head. */
function findOuterStart(m: Machine, start: number): number {
  let order = 0
  let outer = start
  while ((pageFlags(m, outer) & PAGE_TYPE_BUDDY) === 0) {
    if (++order > m.maxOrder) return start
    outer &= ~((1 << order) - 1)
  }
  if (outer !== start && outer + (1 << pageOrder(m, outer)) <= start) return start
  return outer
}

export function allocContigRange(
  m: Machine,
  startPfn: number,
  endPfn: number,
  migratetype: number,
  env: ContigEnv,
  variant?: Partial<ContigVariant>,
): ContigRequestRecord {
  const z = pfnZone(m, startPfn)
  if (z === undefined || endPfn <= startPfn || endPfn > z.endPfn) {
    throw new RangeError(
      `alloc_contig_range: [${startPfn}, ${endPfn}) must be a non-empty range inside one zone`,
    )
  }
  const v: ContigVariant = { ...defaultContigVariant(m), ...variant }
  const rec = newRecord(startPfn, endPfn, env.clock.nowNs)
  const req: ContigReq = { m, z, env, v, rec, prevOp: m.op }
  const iv: IsolationVariant = { representation: v.representation, boundarySplit: v.boundarySplit }
  m.op = 'alloc_contig_range'

  if (v.reclaim === 'in-alloc-contig-range') reclaimBeforeIsolate(req, endPfn - startPfn)

  // ≤5.18 pfn_max_align_down/up: whole MAX_ORDER blocks (clipped to the zone here).
  const align = Math.max(1 << m.maxOrder, m.pageblockNrPages)
  const maxOrderAligned = v.alignment === 'max-order'
  const isoStart = maxOrderAligned ? Math.max(z.startPfn, startPfn & ~(align - 1)) : startPfn
  const isoEnd = maxOrderAligned ? Math.min(z.endPfn, (endPfn + align - 1) & ~(align - 1)) : endPfn

  const ctx = newIsolateCtx(iv, 0, (s, e) => allocContigMigrateRange(req, s, e))
  let ret = startIsolatePageRange(m, isoStart, isoEnd, migratetype, !maxOrderAligned, ctx)
  rec.nrScanned += ctx.nrScanned
  rec.blockerPfn = ctx.blockerPfn
  charge(
    req,
    ctx.nrScanned * env.cost.pfnScanNs +
      env.cost.lockNs * Math.ceil((isoEnd - isoStart) / m.pageblockNrPages),
  )
  if (ret !== 0) {
    rec.failedAt = 'isolate'
    // 5.18 returned at once; 6.1 jumps to `done`, which undoes the whole range, including blocks
    // a concurrent caller had isolated (that is why their -EBUSY came back).
    return finish(req, ret, maxOrderAligned ? null : [isoStart, isoEnd, migratetype, iv])
  }
  env.hooks?.afterIsolate?.()

  drainAllPages(m, z)
  charge(req, drainAllPagesNs(req))

  ret = allocContigMigrateRange(req, startPfn, endPfn)
  if (ret !== 0 && ret !== -EBUSY) {
    rec.failedAt = 'migrate'
    return finish(req, ret, [isoStart, isoEnd, migratetype, iv])
  }
  env.hooks?.afterMigrate?.()

  const outerStart = findOuterStart(m, startPfn)
  if (testPagesIsolated(m, outerStart, endPfn, 0) !== 0) {
    rec.failedAt = 'test_pages_isolated'
    return finish(req, -EBUSY, [isoStart, isoEnd, migratetype, iv])
  }
  const outerEnd = isolateFreepagesRange(req, outerStart, endPfn)
  if (outerEnd === 0) {
    if (rec.failedAt === '') rec.failedAt = 'isolate_freepages'
    return finish(req, -EBUSY, [isoStart, isoEnd, migratetype, iv])
  }
  if (startPfn !== outerStart) freeContigRange(m, outerStart, startPfn - outerStart)
  if (endPfn !== outerEnd) freeContigRange(m, endPfn, outerEnd - endPfn)
  charge(req, env.cost.freeNs * (startPfn - outerStart + outerEnd - endPfn))
  return finish(req, 0, [isoStart, isoEnd, migratetype, iv])
}

function finish(
  req: ContigReq,
  ret: number,
  undo: [number, number, number, IsolationVariant] | null,
): ContigRequestRecord {
  if (undo !== null) undoIsolatePageRange(req.m, undo[0], undo[1], undo[2], undo[3])
  const rec = req.rec
  rec.ret = ret
  rec.outcome = contigOutcome(ret)
  if (ret === 0) rec.failedAt = ''
  rec.latencyNs = req.env.clock.nowNs - rec.startNs
  req.m.op = req.prevOp
  recordContig(req.m, 'alloc_contig_range', {
    tNs: rec.startNs,
    outcome: rec.outcome,
    latencyNs: rec.latencyNs,
    pagesMigrated: rec.nrMigrated,
    nrPages: rec.endPfn - rec.startPfn,
    pagesReclaimed: rec.nrReclaimed,
    belowMinNs: rec.belowMinNs,
  })
  return rec
}
