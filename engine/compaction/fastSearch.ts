/**
 * Compaction's free-list searches (mm/compaction.c): `fast_isolate_freepages` picks migration
 * targets straight off `free_list[MIGRATE_MOVABLE]` near the free scanner, and
 * `fast_find_migrateblock` picks a migration source block that already has free pages. Both
 * run only for a real request order (never for `compact_memory`'s order -1), are bounded by
 * `freelist_scan_limit` (shrinking as `fast_search_fail` grows), and rotate the lists they
 * scanned (`move_freelist_head`/`move_freelist_tail`) so the next search sees other entries.
 */
import { type Machine, eraAtLeast } from '../mm/machine'
import { PG_NEXT, PG_PREV } from '../mm/memmap'
import { MIGRATE_MOVABLE, MIGRATE_TYPES } from '../mm/migratetype'
import { getPageblockSkip, setPageblockSkip } from '../mm/pageblock'
import { PAGE_ALLOC_COSTLY_ORDER } from '../mm/pcpIndex'
import { isolateFreePage, isolateFreepagesBlock, suitableMigrationTarget } from './freeScanner'
import {
  compactionState,
  COMPACTISOLATED,
  countCompactEvents,
  emitCompactionTrace,
  pageblockEndPfn,
  pageblockStartPfn,
} from './state'
import { TP_FAST_ISOLATE_FREEPAGES } from './traceTypes'
import { COMPACT_CLUSTER_MAX, type CompactControl, type CompactEnv } from './types'

/** `ULONG_MAX` for `cc->fast_start_pfn`: the fast start was used up. */
const FAST_START_USED = Number.MAX_SAFE_INTEGER

function movableList(m: Machine, zoneId: number, order: number): number {
  return (zoneId * m.nrOrders + order) * MIGRATE_TYPES + MIGRATE_MOVABLE
}

/** Rotate free list `li` so that `newHead` comes first (the entries before it go to the tail). */
function rotateTo(m: Machine, li: number, newHead: number): void {
  const oldHead = m.faHead[li]
  if (newHead < 0 || newHead === oldHead) return
  const pg = m.pg
  const oldTail = m.faTail[li]
  const newTail = pg[(newHead << 2) + PG_PREV]
  pg[(oldTail << 2) + PG_NEXT] = oldHead
  pg[(oldHead << 2) + PG_PREV] = oldTail
  pg[(newTail << 2) + PG_NEXT] = -1
  pg[(newHead << 2) + PG_PREV] = -1
  m.faHead[li] = newHead
  m.faTail[li] = newTail
}

/** compaction.c:move_freelist_head: the entries before `pfn` move to the tail (`pfn` first). */
export function moveFreelistHead(m: Machine, li: number, pfn: number): void {
  rotateTo(m, li, pfn)
}

/** compaction.c:move_freelist_tail: `pfn` and the entries before it move to the tail. */
export function moveFreelistTail(m: Machine, li: number, pfn: number): void {
  if (m.faTail[li] !== pfn) rotateTo(m, li, m.pg[(pfn << 2) + PG_NEXT])
}

/** compaction.c:freelist_scan_limit: `(COMPACT_CLUSTER_MAX >> min(63, fast_search_fail)) + 1`. */
export function freelistScanLimit(cc: CompactControl): number {
  const shift = Math.min(63, cc.fastSearchFail)
  return (shift >= 31 ? 0 : COMPACT_CLUSTER_MAX >> shift) + 1
}

/** compaction.c:next_search_order: round robin below `cc->order`; -1 once wrapped. */
function nextSearchOrder(cc: CompactControl, order: number): number {
  order--
  if (order < 0) order = cc.order - 1
  if (order === cc.searchOrder) {
    cc.searchOrder--
    if (cc.searchOrder < 0) cc.searchOrder = cc.order - 1
    return -1
  }
  return order
}

/**
 * compaction.c:fast_isolate_around: unless enough pages are isolated or this is async direct
 * compaction, isolate every free page of the target's pageblock (stride 1). [6.12] a fully
 * scanned block is marked skipped; 6.1 marks it when still short of pages.
 */
function fastIsolateAround(
  m: Machine,
  env: CompactEnv,
  cc: CompactControl,
  pfn: number,
  out: number[],
): void {
  if (cc.nrFreepages >= cc.nrMigratepages) return
  if (cc.directCompaction && cc.mode === 'async') return
  const z = m.zones[cc.zoneId]
  const start = Math.max(pageblockStartPfn(m, pfn), z.startPfn)
  const end = Math.min(pageblockEndPfn(m, pfn), z.endPfn)
  isolateFreepagesBlock(m, env, cc, start, end, out, 1, false)
  if (eraAtLeast(m, '6.6')) {
    // (unverified: the start_pfn == end_pfn form is in 6.12, not in 6.1)
    if (cc.freeBlockScannedTo === end && !cc.noSetSkipHint) setPageblockSkip(m, start, true)
  } else if (cc.nrFreepages < cc.nrMigratepages) {
    setPageblockSkip(m, start, true)
  }
}

interface OrderScan {
  page: number
  highPfn: number
  freepage: number
  scanned: number
}

/** One order of fast_isolate_freepages' search: walk the MOVABLE list from its tail. */
function scanOrderReverse(
  m: Machine,
  li: number,
  lowPfn: number,
  minPfn: number,
  limit: { v: number },
  highest: { v: number },
  zoneStart: number,
): OrderScan {
  const r: OrderScan = { page: -1, highPfn: 0, freepage: -1, scanned: 0 }
  for (let p = m.faTail[li]; p >= 0; p = m.pg[(p << 2) + PG_PREV]) {
    r.scanned++
    if (p >= highest.v) highest.v = Math.max(pageblockStartPfn(m, p), zoneStart)
    if (p >= lowPfn) {
      r.page = p
      r.freepage = p
      return r
    }
    if (p >= minPfn && p > r.highPfn) {
      r.highPfn = p
      limit.v >>= 1
    }
    if (r.scanned >= limit.v) {
      r.freepage = p
      return r
    }
  }
  return r
}

/**
 * compaction.c:fast_isolate_freepages (6.1 and 6.12): for `cc->order > 0`, search the MOVABLE
 * free lists below `cc->order` (from `search_order`, round robin) for a page in the top quarter
 * of the scan space (`low_pfn`), else the highest one in the top half (`min_pfn`); isolate it
 * and the free pages of its block around it. On failure `fast_search_fail` grows, and a search
 * from the zone's end moves `cc->free_pfn` down. Isolated pages are appended to `out`.
 */
export function fastIsolateFreepages(
  m: Machine,
  env: CompactEnv,
  cc: CompactControl,
  out: number[],
): void {
  if (cc.order <= 0) return
  const z = m.zones[cc.zoneId]
  const s = compactionState(m)
  const pb = m.pageblockNrPages
  const limit = { v: Math.max(1, freelistScanLimit(cc) >> 1) }
  let scanStart = false
  if (cc.freePfn >= s.initFreePfn[cc.zoneId]) {
    limit.v = pb >> 1
    scanStart = true
  }
  const distance = cc.freePfn - cc.migratePfn
  let lowPfn = pageblockStartPfn(m, cc.freePfn - (distance >> 2))
  const minPfn = pageblockStartPfn(m, cc.freePfn - (distance >> 1))
  if (minPfn > lowPfn) lowPfn = minPfn
  cc.searchOrder = Math.min(cc.order - 1, cc.searchOrder)
  const highest = { v: 0 }
  let page = -1
  let nrScanned = 0
  let totalIsolated = 0
  for (let order = cc.searchOrder; page < 0 && order >= 0; order = nextSearchOrder(cc, order)) {
    if (m.nrFree[cc.zoneId * m.nrOrders + order] === 0) continue
    env.clock.nowNs += env.cost.lockNs
    const li = movableList(m, cc.zoneId, order)
    const r = scanOrderReverse(m, li, lowPfn, minPfn, limit, highest, z.startPfn)
    nrScanned += r.scanned
    if (r.page >= 0) {
      cc.fastSearchFail = 0
      cc.searchOrder = order
    }
    page = r.page
    let freepage = r.freepage
    if (page < 0 && r.highPfn > 0) page = freepage = r.highPfn
    if (freepage >= 0) moveFreelistHead(m, li, freepage)
    if (page >= 0) {
      const nrIsolated = isolateFreePage(m, z, page, order)
      if (nrIsolated > 0) {
        nrScanned += nrIsolated - 1
        totalIsolated += nrIsolated
        cc.nrFreepages += nrIsolated
        out.push(page)
        countCompactEvents(m, COMPACTISOLATED, nrIsolated)
      } else {
        order = cc.searchOrder + 1
        page = -1
      }
    }
    // [6.12] "Skip fast search if enough freepages isolated" (unverified version: after 6.6).
    if (eraAtLeast(m, '6.9') && cc.nrFreepages >= cc.nrMigratepages) break
    if (r.scanned >= limit.v) limit.v = Math.max(1, limit.v >> 1)
  }
  env.clock.nowNs += nrScanned * env.cost.pfnScanNs
  if (m.traceOn[TP_FAST_ISOLATE_FREEPAGES] !== 0 && eraAtLeast(m, '6.12'))
    emitCompactionTrace(m, TP_FAST_ISOLATE_FREEPAGES, {
      name: 'mm_compaction_fast_isolate_freepages',
      start_pfn: minPfn,
      end_pfn: cc.freePfn,
      nr_scanned: nrScanned,
      nr_taken: totalIsolated,
    })
  if (page < 0) {
    cc.fastSearchFail++
    if (scanStart) {
      if (highest.v >= minPfn) {
        page = highest.v
        cc.freePfn = highest.v
      } else if (cc.directCompaction && minPfn >= z.startPfn && minPfn < z.endPfn) {
        page = minPfn
        // [6.12] the min_pfn block must be a suitable target (unverified version: after 6.6).
        if (eraAtLeast(m, '6.9') && !suitableMigrationTarget(m, cc, page)) page = -1
        cc.freePfn = minPfn
      }
    }
  }
  if (highest.v > 0 && highest.v >= s.cachedFreePfn[cc.zoneId])
    s.cachedFreePfn[cc.zoneId] = highest.v - pb
  cc.totalFreeScanned += nrScanned
  if (page < 0) return
  fastIsolateAround(m, env, cc, page, out)
}

/** compaction.c:update_fast_start_pfn: the lowest free page a fast search picked a block for. */
function updateFastStartPfn(cc: CompactControl, pfn: number): void {
  if (cc.fastStartPfn === FAST_START_USED) return
  if (cc.fastStartPfn === 0) cc.fastStartPfn = pfn
  cc.fastStartPfn = Math.min(cc.fastStartPfn, pfn)
}

/** compaction.c:reinit_migrate_pfn: a failed search restarts the linear scan there, once. */
function reinitMigratePfn(cc: CompactControl): number {
  if (cc.fastStartPfn === 0 || cc.fastStartPfn === FAST_START_USED) return cc.migratePfn
  cc.migratePfn = cc.fastStartPfn
  cc.fastStartPfn = FAST_START_USED
  return cc.migratePfn
}

/**
 * compaction.c:fast_find_migrateblock: at a block start, for `cc->order` > 3 (and a MOVABLE
 * request when direct), without `ignore_skip_hint` [and, 6.3+, without `finish_pageblock`],
 * walk the MOVABLE free lists from `cc->order - 1` down to order 3 for a free page below
 * `migrate_pfn` + ½ (first search) or ⅛ of the scanner gap, in a block not skipped; its block is
 * the next migration source. [6.1] marks that block skipped at once. Scanned entries count in
 * `total_migrate_scanned`. Returns the pfn to scan from.
 */
export function fastFindMigrateblock(m: Machine, env: CompactEnv, cc: CompactControl): number {
  const z = m.zones[cc.zoneId]
  const newer = eraAtLeast(m, '6.6')
  let pfn = cc.migratePfn
  if (cc.ignoreSkipHint) return pfn
  if (newer && cc.finishPageblock) return pfn
  if (pfn !== z.startPfn && pfn !== pageblockStartPfn(m, pfn)) return pfn
  if (cc.order <= PAGE_ALLOC_COSTLY_ORDER) return pfn
  if (cc.directCompaction && cc.migratetype !== MIGRATE_MOVABLE) return pfn
  const limit = freelistScanLimit(cc)
  let distance = (cc.freePfn - cc.migratePfn) >> 1
  if (cc.migratePfn !== z.startPfn) distance >>= 2
  const highPfn = pageblockStartPfn(m, cc.migratePfn + distance)
  let nrScanned = 0
  let found = false
  for (
    let order = cc.order - 1;
    order >= PAGE_ALLOC_COSTLY_ORDER && !found && nrScanned < limit;
    order--
  ) {
    if (m.nrFree[cc.zoneId * m.nrOrders + order] === 0) continue
    env.clock.nowNs += env.cost.lockNs
    const li = movableList(m, cc.zoneId, order)
    for (let p = m.faHead[li]; p >= 0; p = m.pg[(p << 2) + PG_NEXT]) {
      if (nrScanned++ >= limit) {
        moveFreelistTail(m, li, p)
        break
      }
      if (p >= highPfn || getPageblockSkip(m, p)) continue
      moveFreelistTail(m, li, p)
      updateFastStartPfn(cc, p)
      pfn = Math.max(pageblockStartPfn(m, p), z.startPfn)
      cc.fastSearchFail = 0
      found = true
      if (!newer) setPageblockSkip(m, p, true)
      break
    }
  }
  cc.totalMigrateScanned += nrScanned
  env.clock.nowNs += nrScanned * env.cost.pfnScanNs
  if (!found) {
    cc.fastSearchFail++
    pfn = reinitMigratePfn(cc)
  }
  return pfn
}
