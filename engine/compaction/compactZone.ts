/**
 * One compaction run over one zone (mm/compaction.c:compact_zone): suitability, positions,
 * the isolate → migrate loop with `finish_pageblock` rescans, -ENOMEM handling, pcp drains,
 * and the release of unused free pages with the cached-pfn update.
 */
import { type Machine } from '../mm/machine'
import { PG_head } from '../mm/memmap'
import { freePcppagesBulk } from '../mm/pcp'
import { reportViolation } from '../mm/violation'
import { compactScannersMet, compactFinished } from './finished'
import { compactionAlloc, compactionFree, releaseFreeList } from './freepages'
import { putbackMovablePages } from '../migrate/isolate'
import { migratePages } from '../migrate/migratePages'
import { trySplitFolio } from '../migrate/split'
import { ENOMEM, type NewFolioFn, type PutFolioFn } from '../migrate/types'
import { isolateMigratepages } from './migrateScanner'
import { compactionRestarting } from './deferral'
import { resetIsolationSuitable } from './skipReset'
import {
  compactionState,
  countCompactEvents,
  COMPACTFREE_SCANNED,
  COMPACTMIGRATE_SCANNED,
  emitCompactionTrace,
  pageblockStartPfn,
} from './state'
import { compactionSuitAllocationOrder } from './suitable'
import { TP_BEGIN, TP_END, TP_MIGRATEPAGES } from './traceTypes'
import { type CompactControl, type CompactEnv, type CompactResult, migrateModeRank } from './types'

export { resetIsolationSuitable, resetIsolationSuitableNode } from './skipReset'

/** `block_start_pfn(pfn, order)`. */
function blockStartPfn(pfn: number, order: number): number {
  const n = 2 ** Math.max(0, order)
  return Math.floor(pfn / n) * n
}

/**
 * `lru_add_drain_cpu_zone` (mm/swap.c): the LRU batches and `drain_local_pages(zone)`, i.e.
 * this CPU's per-cpu free lists of the zone into the buddy.
 */
function drainLocalPagesZone(m: Machine, zoneId: number): void {
  const z = m.zones[zoneId]
  const count = m.pcpCount[zoneId * m.nrCpus + m.cpu]
  if (count > 0) freePcppagesBulk(m, z, m.cpu, count, 0)
}

/**
 * The `split` variant (Zi Yan's v1, "split->migrate always works"): each isolated large folio
 * is split (`split_folio_to_list`) and its order-0 pieces migrate; one that cannot be split
 * (extra references) stays whole and goes to migrate_pages as it is.
 */
function splitLargeSources(m: Machine, env: CompactEnv, cc: CompactControl): void {
  const list = cc.migratepages
  let any = false
  for (let i = 0; i < list.length; i++) if ((m.pg[list[i] << 2] & PG_head) !== 0) any = true
  if (!any) return
  const out: number[] = []
  for (let i = 0; i < list.length; i++) {
    const pfn = list[i]
    if ((m.pg[pfn << 2] & PG_head) === 0 || trySplitFolio(m, pfn, out, env.clock, env.cost) !== 0)
      out.push(pfn)
  }
  list.length = 0
  for (const p of out) list.push(p)
}

/**
 * compaction.c:compact_zone. Returns the `compact_result`; the scanned-page counts are added to
 * the vm events and `mm_compaction_begin`/`end` bracket the run.
 */
export function compactZone(m: Machine, env: CompactEnv, cc: CompactControl): CompactResult {
  const z = m.zones[cc.zoneId]
  const s = compactionState(m)
  const startPfn = z.startPfn
  const endPfn = z.endPfn
  const sync = cc.mode !== 'async'
  cc.totalMigrateScanned = 0
  cc.totalFreeScanned = 0
  cc.nrMigratepages = 0
  cc.nrFreepages = 0
  m.op = 'compact_zone'

  if (cc.order >= 0) {
    const r = compactionSuitAllocationOrder(
      m,
      z,
      cc.order,
      cc.highestZoneidx,
      cc.allocFlags,
      env.extfragThreshold,
    )
    if (r !== 'continue') return r
  }
  if (compactionRestarting(m, cc.zoneId, cc.order)) resetIsolationSuitable(m, cc.zoneId)

  cc.fastStartPfn = 0
  const zi = cc.zoneId * 2
  if (cc.wholeZone) {
    cc.migratePfn = startPfn
    cc.freePfn = pageblockStartPfn(m, endPfn - 1)
  } else {
    cc.migratePfn = s.cachedMigratePfn[zi + (sync ? 1 : 0)]
    cc.freePfn = s.cachedFreePfn[cc.zoneId]
    if (cc.freePfn < startPfn || cc.freePfn >= endPfn) {
      cc.freePfn = pageblockStartPfn(m, endPfn - 1)
      s.cachedFreePfn[cc.zoneId] = cc.freePfn
    }
    if (cc.migratePfn < startPfn || cc.migratePfn >= endPfn) {
      cc.migratePfn = startPfn
      s.cachedMigratePfn[zi] = startPfn
      s.cachedMigratePfn[zi + 1] = startPfn
    }
    if (cc.migratePfn <= s.initMigratePfn[cc.zoneId]) cc.wholeZone = true
  }
  let lastMigratedPfn = 0
  let updateCached = !sync && s.cachedMigratePfn[zi] === s.cachedMigratePfn[zi + 1]
  if (m.traceOn[TP_BEGIN] !== 0) {
    emitCompactionTrace(m, TP_BEGIN, {
      name: 'mm_compaction_begin',
      zone_start: startPfn,
      migrate_pfn: cc.migratePfn,
      free_pfn: cc.freePfn,
      zone_end: endPfn,
      sync,
    })
  }
  // lru_add_drain(): this CPU's LRU folio batches (cpu_fbatches) only, no per-cpu free pages
  // (mm/swap.c, 6.1 and 6.12). The model adds folios to the LRU at once, so there is nothing to
  // flush. Free pages are drained only at check_drain below (lru_add_drain_cpu_zone).

  const getNew: NewFolioFn = (_src, order) => compactionAlloc(m, env, cc, order)
  const putNew: PutFolioFn = (dst) => compactionFree(m, cc, dst)
  const migrateOpts = {
    mode: cc.mode,
    reason: 'compaction' as const,
    clock: env.clock,
    cost: env.cost,
    locks: env.locks,
    pfMemalloc: cc.directCompaction,
  }
  const lfSplit = cc.variants.largeFolios === 'split'
  const migrate = env.migratePages ?? migratePages

  let ret: CompactResult
  outer: while ((ret = compactFinished(m, env, cc)) === 'continue') {
    const iterationStartPfn = cc.migratePfn
    cc.finishPageblock =
      pageblockStartPfn(m, lastMigratedPfn) === pageblockStartPfn(m, iterationStartPfn)
    for (;;) {
      // rescan:
      const isolated = isolateMigratepages(m, env, cc)
      if (isolated === 'abort') {
        ret = 'contended'
        putbackMovablePages(m, cc.migratepages)
        cc.nrMigratepages = 0
        break outer
      }
      if (isolated === 'none') {
        if (updateCached) s.cachedMigratePfn[zi + 1] = s.cachedMigratePfn[zi]
        break
      }
      updateCached = false
      lastMigratedPfn = Math.max(startPfn, pageblockStartPfn(m, cc.migratePfn - 1))
      if (lfSplit) splitLargeSources(m, env, cc)
      const nrMigratepages = cc.nrMigratepages
      const stats = migrate(m, cc.migratepages, getNew, putNew, migrateOpts)
      m.op = 'compact_zone'
      if (m.traceOn[TP_MIGRATEPAGES] !== 0) {
        emitCompactionTrace(m, TP_MIGRATEPAGES, {
          name: 'mm_compaction_migratepages',
          nr_migratepages: nrMigratepages,
          nr_failed: nrMigratepages - stats.nrSucceeded,
        })
      }
      cc.nrMigratepages = 0
      const err = stats.retval
      if (err !== 0) {
        putbackMovablePages(m, cc.migratepages)
        if (err === -ENOMEM && !compactScannersMet(m, cc)) {
          ret = 'contended'
          break outer
        }
        if (
          (cc.migratePfn & (m.pageblockNrPages - 1)) !== 0 &&
          !cc.ignoreSkipHint &&
          !cc.finishPageblock &&
          migrateModeRank(cc.mode) < 2
        ) {
          cc.finishPageblock = true
          if (cc.order === m.pageblockOrder) lastMigratedPfn = 0
          continue
        }
      }
      // err == 0: "All pages were either migrated or will be released" — the kernel trusts
      // migrate_pages to have emptied the list and does not touch it (checked at the end).
      // "Stop if a page has been captured" (capc->page, set by __free_one_page).
      if (m.capc.zoneId === cc.zoneId && m.capc.page >= 0) {
        ret = 'success'
        break outer
      }
      break
    }
    // check_drain:
    if (cc.order > 0 && lastMigratedPfn !== 0) {
      if (lastMigratedPfn < blockStartPfn(cc.migratePfn, cc.order)) {
        drainLocalPagesZone(m, cc.zoneId)
        lastMigratedPfn = 0
      }
    }
  }

  let nrBlocks = 0
  for (let o = 0; o < cc.freepages.length; o++) nrBlocks += cc.freepages[o].length
  if (nrBlocks > 0) {
    env.clock.nowNs += nrBlocks * env.cost.freeNs
    let freePfn = releaseFreeList(m, cc)
    m.op = 'compact_zone'
    if (freePfn >= 0) {
      freePfn = pageblockStartPfn(m, freePfn)
      if (freePfn > s.cachedFreePfn[cc.zoneId]) s.cachedFreePfn[cc.zoneId] = freePfn
    }
  }
  countCompactEvents(m, COMPACTMIGRATE_SCANNED, cc.totalMigrateScanned)
  countCompactEvents(m, COMPACTFREE_SCANNED, cc.totalFreeScanned)
  if (m.traceOn[TP_END] !== 0) {
    emitCompactionTrace(m, TP_END, {
      name: 'mm_compaction_end',
      zone_start: startPfn,
      migrate_pfn: cc.migratePfn,
      free_pfn: cc.freePfn,
      zone_end: endPfn,
      sync,
      status: ret,
    })
  }
  // VM_BUG_ON(!list_empty(&cc.migratepages)) in compact_zone_order, compact_node and
  // kcompactd_do_work: a folio left here stays isolated (PG_lru clear, NR_ISOLATED counted)
  // with nobody to put it back.
  if (m.debugVm && cc.migratepages.length > 0)
    reportViolation(
      m,
      'compact-migratepages-not-empty',
      cc.migratepages[0],
      `compact_zone returned with ${cc.migratepages.length} folio(s) still on cc->migratepages`,
    )
  m.op = 'idle'
  return ret
}
