/**
 * mm/page_alloc.c:__alloc_contig_migrate_range and alloc_migration_target: isolate up to 32
 * pages at a time, drop clean page cache, migrate the rest (MIGRATE_SYNC, MR_CONTIG_RANGE);
 * five migrate attempts without a new isolation give -EBUSY, -ENOMEM aborts at once.
 */
import { allocPages } from '../mm/alloc'
import { __GFP_COMP, __GFP_HIGHMEM, __GFP_MOVABLE, __GFP_RETRY_MAYFAIL, GFP_USER } from '../mm/gfp'
import { pfnZone, type Machine } from '../mm/machine'
import { NO_PAGE } from '../mm/memmap'
import { ZONE_MOVABLE } from '../mm/zoneType'
import { isolateMigratepagesRange } from './isolateMigratepages'
import { reclaimCleanPagesFromList } from './reclaim'
import { belowMin, charge, chargeSince, fatalSignalPending, type ContigReq } from './request'
import { EAGAIN, EBUSY, EINTR, ENOMEM } from './types'

/**
 * mm/migrate.c:alloc_migration_target with `GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL`:
 * a source in ZONE_MOVABLE (or highmem) may be replaced from ZONE_MOVABLE (`__GFP_HIGHMEM`);
 * large folios get a compound destination of the same order.
 */
export function contigMigrationTarget(req: ContigReq): (src: number, order: number) => number {
  const m: Machine = req.m
  return (src, order) => {
    let gfp = GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL
    const z = pfnZone(m, src)
    if (z !== undefined && z.type === ZONE_MOVABLE) gfp |= __GFP_HIGHMEM
    if (order > 0) gfp |= __GFP_COMP
    const page = allocPages(m, gfp, order)
    charge(req, page === NO_PAGE ? req.env.cost.allocFailNs : req.env.cost.allocNs)
    return page
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
