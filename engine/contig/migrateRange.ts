/**
 * mm/page_alloc.c:__alloc_contig_migrate_range and alloc_migration_target: isolate up to 32
 * pages at a time, drop clean page cache, migrate the rest (MIGRATE_SYNC, MR_CONTIG_RANGE);
 * five migrate attempts without a new isolation give -EBUSY, -ENOMEM aborts at once. The
 * migration targets are ordinary page allocations with the whole slow path (engine/reclaim's
 * `allocPagesReclaim`): under memory pressure they wake kswapd and reclaim directly.
 */
import {
  __GFP_HIGHMEM,
  __GFP_MOVABLE,
  __GFP_RECLAIM,
  __GFP_RETRY_MAYFAIL,
  GFP_TRANSHUGE,
  GFP_USER,
} from '../mm/gfp'
import { pfnZone, type Machine } from '../mm/machine'
import { ZONE_MOVABLE } from '../mm/zoneType'
import { allocPagesReclaim } from '../reclaim/slowpath'
import { isolateMigratepagesRange } from './isolateMigratepages'
import { reclaimCleanPagesFromList } from './reclaim'
import {
  belowMin,
  chargeSince,
  contigReclaimEnv,
  fatalSignalPending,
  type ContigReq,
} from './request'
import { EAGAIN, EBUSY, EINTR, ENOMEM } from './types'

/**
 * `mtc.gfp_mask` of __alloc_contig_migrate_range. 6.1: the constant `GFP_USER | __GFP_MOVABLE |
 * __GFP_RETRY_MAYFAIL`. David Hildenbrand's "mm/page_alloc: sort out the alloc_contig_range() gfp
 * flags mess" (Dec 2024; in the 6.12 tree modelled) builds it once in
 * `__alloc_contig_verify_gfp_mask`: the caller's reclaim bits and `__GFP_RETRY_MAYFAIL |
 * __GFP_NOWARN`, plus `__GFP_HARDWALL | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL`. Every modelled
 * caller passes GFP_KERNEL (cma_alloc, virtio-mem's fake offline, the workload API), for which
 * both give the same mask.
 */
export const CONTIG_MIGRATE_GFP = GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL

/**
 * mm/migrate.c:alloc_migration_target's gfp for a source folio of `order` in `zoneType`
 * (6.1 and 6.12 alike): a large folio clears `__GFP_RECLAIM` and takes `GFP_TRANSHUGE` (direct
 * reclaim and compaction, no kswapd wakeup, `__GFP_COMP`), as a THP allocation does; a source
 * in ZONE_MOVABLE (or highmem) may be replaced from ZONE_MOVABLE (`__GFP_HIGHMEM`).
 */
export function migrationTargetGfp(mtcGfp: number, order: number, zoneType: number): number {
  let gfp = mtcGfp
  if (order > 0) gfp = (gfp & ~__GFP_RECLAIM) | GFP_TRANSHUGE
  if (zoneType === ZONE_MOVABLE) gfp |= __GFP_HIGHMEM
  return gfp
}

/**
 * mm/migrate.c:alloc_migration_target (`__folio_alloc(gfp, order, mtc->nid, NULL)`, nid the
 * range's node): `__alloc_pages` with the whole slow path. Its time (including any reclaim)
 * advances the request's clock; the pages its direct reclaim freed count in `nrReclaimed`.
 */
export function contigMigrationTarget(req: ContigReq): (src: number, order: number) => number {
  const m: Machine = req.m
  const renv = contigReclaimEnv(req)
  return (src, order) => {
    const z = pfnZone(m, src)
    const gfp = migrationTargetGfp(CONTIG_MIGRATE_GFP, order, z === undefined ? -1 : z.type)
    const r = allocPagesReclaim(m, gfp, order, renv, req.z.nid)
    req.rec.nrReclaimed += r.directReclaimed
    req.rec.nrTargetAllocStalls += r.directReclaimStalls
    return r.pfn
  }
}

/** Returns 0, -EBUSY, -ENOMEM or -EINTR; the leftovers are put back on failure. */
export function allocContigMigrateRange(req: ContigReq, startPfn: number, endPfn: number): number {
  const { m, env, rec } = req
  const api = env.migrate
  const getNew = contigMigrationTarget(req)
  const list: number[] = []
  let pfn = startPfn
  let tries = 0
  let ret = 0
  while (pfn < endPfn || list.length > 0) {
    if (fatalSignalPending(req)) {
      ret = -EINTR
      break
    }
    if (list.length === 0) {
      const r = isolateMigratepagesRange(req, pfn, endPfn, list)
      ret = r.ret
      if (ret !== 0 && ret !== -EAGAIN) break
      pfn = r.migratePfn
      tries = 0
    } else if (++tries === 5) {
      ret = -EBUSY
      break
    }
    rec.nrReclaimedClean += reclaimCleanPagesFromList(m, list, api)
    if (list.length === 0) continue
    const since = env.clock.nowNs
    const wasBelow = belowMin(req.z)
    const st = api.migratePages(m, list, getNew, null, {
      mode: 'sync',
      reason: 'contig_range',
      clock: env.clock,
      cost: env.cost,
      locks: env.locks,
    })
    chargeSince(req, since, wasBelow)
    rec.nrMigrated += st.nrSucceeded
    rec.nrMigrateFailed += st.nrFailedPages
    ret = st.retval
    if (ret === -ENOMEM) break
  }
  if (ret < 0) {
    if (list.length > 0) api.putbackMovablePages(m, list)
    return ret
  }
  return 0
}
