/**
 * The migrate scanner (mm/compaction.c): `isolate_migratepages` walks pageblocks upward from
 * `cc->migrate_pfn`; `isolate_migratepages_block` isolates movable folios from one block.
 * `too_many_isolated` (throttle.ts) gates each block.
 */
import { __GFP_FS } from '../mm/gfp'
import { eraAtLeast, type Machine } from '../mm/machine'
import {
  PAGE_ALLOC,
  PAGE_TYPE_BUDDY,
  PG_dirty,
  PG_file,
  PG_head,
  PG_isolated,
  PG_locked,
  PG_lru,
  PG_movable_ops,
  PG_unevictable,
  PG_writeback,
  PG_INFO,
} from '../mm/memmap'
import { isMigrateMovable, MIGRATE_MOVABLE } from '../mm/migratetype'
import { getPfnblockMigratetype } from '../mm/pageblock'
import { isolationSuitable } from './freeScanner'
import { isolateLruFolio, isolateMovablePage, putbackMovablePages } from '../migrate/isolate'
import { EAGAIN } from '../migrate/types'
import {
  compactionState,
  countCompactEvents,
  COMPACTISOLATED,
  emitCompactionTrace,
  pageblockStartPfn,
} from './state'
import { fastFindMigrateblock } from './fastSearch'
import { THROTTLE_ISOLATED_NS, tooManyIsolated } from './throttle'
import { TP_ISOLATE_MIGRATEPAGES } from './traceTypes'
import { COMPACT_CLUSTER_MAX, type CompactControl, type CompactEnv } from './types'

/** `ISOLATE_UNEVICTABLE`, `ISOLATE_ASYNC_MIGRATE` (isolate_mode_t). */
export const ISOLATE_UNEVICTABLE = 0x4
export const ISOLATE_ASYNC_MIGRATE = 0x8

export type IsolateMigrateResult = 'abort' | 'none' | 'success'

/**
 * compaction.c:update_cached_migrate: raise `compact_cached_migrate_pfn[0]` (and [1] for a
 * non-async scan) past the block holding `pfn`.
 */
export function updateCachedMigrate(m: Machine, cc: CompactControl, pfn: number): void {
  if (cc.noSetSkipHint) return
  pfn = pageblockStartPfn(m, pfn) + m.pageblockNrPages
  const s = compactionState(m)
  const i = cc.zoneId * 2
  if (pfn > s.cachedMigratePfn[i]) s.cachedMigratePfn[i] = pfn
  if (cc.mode !== 'async' && pfn > s.cachedMigratePfn[i + 1]) s.cachedMigratePfn[i + 1] = pfn
}

/**
 * compaction.c:test_and_set_skip [6.4+]: on the first lock taken in a block, mark it skipped
 * and report whether it already was (another compactor owns it).
 */
export function testAndSetSkip(m: Machine, cc: CompactControl, pfn: number): boolean {
  if (cc.ignoreSkipHint) return false
  const i = pfn >> m.pageblockOrder
  const skip = (m.pbFlags[i] & 8) !== 0
  if (!skip && !cc.noSetSkipHint) m.pbFlags[i] |= 8
  return skip
}

/** Order of the compound page at `pfn` if it is a head, else -1. */
function compoundOrderAt(m: Machine, pfn: number): number {
  const f = m.pg[pfn << 2]
  return (f & (PAGE_ALLOC | PG_head)) === (PAGE_ALLOC | PG_head)
    ? m.pg[(pfn << 2) + PG_INFO] & 0xff
    : -1
}

/**
 * compaction.c:suitable_migration_source: a block whose first page is a compound page of
 * pageblock order or more is never a source (`pageblock_skip_persistent`); async direct
 * compaction wants the request's type (any movable type for a MOVABLE request); others take
 * any block.
 */
export function suitableMigrationSource(m: Machine, cc: CompactControl, pfn: number): boolean {
  if (compoundOrderAt(m, pfn) >= m.pageblockOrder) return false
  if (cc.mode !== 'async' || !cc.directCompaction) return true
  const blockMt = getPfnblockMigratetype(m, pfn)
  if (cc.migratetype === MIGRATE_MOVABLE) return isMigrateMovable(blockMt)
  return blockMt === cc.migratetype
}

/**
 * Whether a compound page of `order` is skipped as a migration source, per variant:
 * `skip` [≤6.8] always; `migrate` [6.9+] `skip_isolation_on_order` (order ≥ cc->order unless
 * order -1, or ≥ pageblock order); `split` only at pageblock order (the folio is split later).
 */
export function skipCompoundOnOrder(m: Machine, cc: CompactControl, order: number): boolean {
  const lf = cc.variants.largeFolios
  if (lf === 'skip') return true
  if (lf === 'migrate' && cc.order >= 0 && order >= cc.order) return true
  return order >= m.pageblockOrder
}

/** `block_end_pfn(pfn, order)`: ALIGN(pfn + 1, 1 << order). */
function blockEndPfn(pfn: number, order: number): number {
  const n = 2 ** order
  return Math.ceil((pfn + 1) / n) * n
}

/**
 * compaction.c:isolate_migratepages_block: isolate movable folios in `[lowPfn, endPfn)` onto
 * `cc->migratepages`, stopping at COMPACT_CLUSTER_MAX pages (unless finishing the block).
 * Per pfn: free buddies are jumped over by their order; compound pages per the largeFolios
 * variant; non-LRU pages only if `__PageMovable`; then, holding a reference, pinned anonymous
 * folios (`refcount - 1 > mapcount`), mapped folios without `__GFP_FS`, unevictable without
 * ISOLATE_UNEVICTABLE, and under ISOLATE_ASYNC_MIGRATE writeback or dirty-and-locked folios
 * fail. Direct async compaction skips the rest of a `cc->order`-aligned chunk on a failure.
 * Returns 0, or -EAGAIN when `too_many_isolated` stops it (async, or pages already held).
 */
export function isolateMigratepagesBlock(
  m: Machine,
  env: CompactEnv,
  cc: CompactControl,
  lowPfn: number,
  endPfn: number,
  mode: number,
): number {
  const pg = m.pg
  const refcount = m.refcount
  const mapcount = m.mapcount
  const startPfn = lowPfn
  let nrScanned = 0
  let nrIsolated = 0
  let locks = 0
  let locked = false
  let validPage = -1
  let skipUpdated = false
  let skipOnFailure = false
  let nextSkipPfn = 0
  cc.migratePfn = lowPfn
  // too_many_isolated: stop with pages held or in async mode (-EAGAIN: ISOLATE_ABORT, then
  // COMPACT_CONTENDED); otherwise reclaim_throttle(VMSCAN_THROTTLE_ISOLATED). Nothing else
  // runs during this call to release isolated pages, so one throttle timeout is charged and
  // the scan goes on, as when the other isolator finishes meanwhile.
  if (tooManyIsolated(m, cc)) {
    if (cc.nrMigratepages !== 0 || cc.mode === 'async') return -EAGAIN
    env.clock.nowNs += THROTTLE_ISOLATED_NS
  }
  if (cc.directCompaction && cc.mode === 'async') {
    skipOnFailure = true
    nextSkipPfn = blockEndPfn(lowPfn, cc.order)
  }
  let aborted = false
  // [6.4+] skipped free buddies and compound pages count all their pages in nr_scanned
  // (Baolin Wang, "mm: compaction: consider the number of scanning compound pages in isolate
  // fail path", v6.4); 6.1 counts one pfn for each.
  const countSkipped = eraAtLeast(m, '6.6')
  for (; lowPfn < endPfn; lowPfn++) {
    if (skipOnFailure && lowPfn >= nextSkipPfn) {
      if (nrIsolated !== 0) break
      nextSkipPfn = blockEndPfn(lowPfn, cc.order)
    }
    if (lowPfn % COMPACT_CLUSTER_MAX === 0) locked = false
    nrScanned++
    if (validPage < 0 && (lowPfn & (m.pageblockNrPages - 1)) === 0) {
      if (!isolationSuitable(m, cc, lowPfn)) {
        lowPfn = endPfn
        aborted = true
        break
      }
      validPage = lowPfn
    }
    const f = pg[lowPfn << 2]
    let ok = false
    if ((f & PAGE_TYPE_BUDDY) !== 0) {
      const o = pg[(lowPfn << 2) + PG_INFO] & 0xff
      if (o > 0 && o <= m.maxOrder) {
        lowPfn += (1 << o) - 1
        if (countSkipped) nrScanned += (1 << o) - 1
      }
      continue
    }
    let nr = 1
    if ((f & (PAGE_ALLOC | PG_head)) === (PAGE_ALLOC | PG_head) && !cc.allocContig) {
      const o = pg[(lowPfn << 2) + PG_INFO] & 0xff
      nr = 1 << o
      if (skipCompoundOnOrder(m, cc, o)) {
        lowPfn += nr - 1
        if (countSkipped) nrScanned += nr - 1
        nr = 0
      }
    }
    if (nr === 0) {
      // isolate_fail
    } else if ((f & PG_lru) === 0) {
      if ((f & PG_movable_ops) !== 0 && (f & PG_isolated) === 0) ok = isolateMovablePage(m, lowPfn)
    } else if (refcount[lowPfn] > 0) {
      // With get_page_unless_zero's reference taken, the kernel tests page_count - 1 > mapcount.
      const mapping = (f & PG_file) !== 0
      let fail = false
      if (!mapping && refcount[lowPfn] > mapcount[lowPfn]) fail = true
      else if ((cc.gfpMask & __GFP_FS) === 0 && mapping) fail = true
      else if ((mode & ISOLATE_UNEVICTABLE) === 0 && (f & PG_unevictable) !== 0) fail = true
      else if ((mode & ISOLATE_ASYNC_MIGRATE) !== 0 && (f & PG_writeback) !== 0) fail = true
      else if (
        (mode & ISOLATE_ASYNC_MIGRATE) !== 0 &&
        (f & PG_dirty) !== 0 &&
        (f & PG_locked) !== 0
      )
        fail = true
      if (!fail) {
        if (!locked) {
          locked = true
          locks++
        }
        if (!skipUpdated && validPage >= 0) {
          skipUpdated = true
          if (testAndSetSkip(m, cc, validPage) && !cc.finishPageblock) {
            lowPfn = endPfn
            aborted = true
            break
          }
        }
        // TestClearPageLRU + the isolation reference + NR_ISOLATED_{ANON,FILE}.
        ok = isolateLruFolio(m, lowPfn)
      }
    }
    if (ok) {
      cc.migratepages.push(lowPfn)
      cc.nrMigratepages += nr
      nrIsolated += nr
      nrScanned += nr - 1
      lowPfn += nr - 1
      if (cc.nrMigratepages >= COMPACT_CLUSTER_MAX && !cc.finishPageblock && !cc.contended) {
        ++lowPfn
        break
      }
      continue
    }
    // isolate_fail
    if (!skipOnFailure) continue
    if (nrIsolated !== 0) {
      putbackMovablePages(m, cc.migratepages)
      cc.nrMigratepages = 0
      nrIsolated = 0
    }
    if (lowPfn < nextSkipPfn) {
      lowPfn = nextSkipPfn - 1
      nextSkipPfn += 2 ** cc.order
    }
  }
  if (lowPfn > endPfn) lowPfn = endPfn
  if (lowPfn === endPfn && (!nrIsolated || cc.finishPageblock)) {
    if (!aborted && !cc.noSetSkipHint && validPage >= 0 && !skipUpdated)
      m.pbFlags[validPage >> m.pageblockOrder] |= 8
    updateCachedMigrate(m, cc, lowPfn)
  }
  if (m.traceOn[TP_ISOLATE_MIGRATEPAGES] !== 0) {
    emitCompactionTrace(m, TP_ISOLATE_MIGRATEPAGES, {
      name: 'mm_compaction_isolate_migratepages',
      start_pfn: startPfn,
      end_pfn: lowPfn,
      nr_scanned: nrScanned,
      nr_taken: nrIsolated,
    })
  }
  cc.totalMigrateScanned += nrScanned
  env.clock.nowNs += nrScanned * env.cost.pfnScanNs + locks * env.cost.lockNs
  if (nrIsolated !== 0) countCompactEvents(m, COMPACTISOLATED, nrIsolated)
  cc.migratePfn = lowPfn
  return 0
}

/**
 * compaction.c:isolate_migratepages: `fast_find_migrateblock` may pick the starting block;
 * from there, the first block below the free
 * scanner that is not skipped (skip bit, checked at a block start) and is a suitable source
 * gets `isolate_migratepages_block`. Returns SUCCESS if pages were isolated.
 */
export function isolateMigratepages(
  m: Machine,
  env: CompactEnv,
  cc: CompactControl,
): IsolateMigrateResult {
  const z = m.zones[cc.zoneId]
  const pb = m.pageblockNrPages
  const isolateMode =
    (env.compactUnevictableAllowed === false ? 0 : ISOLATE_UNEVICTABLE) |
    (cc.mode !== 'sync' ? ISOLATE_ASYNC_MIGRATE : 0)
  let lowPfn = fastFindMigrateblock(m, env, cc)
  let blockStartPfn = Math.max(pageblockStartPfn(m, lowPfn), z.startPfn)
  // The fast search already checked its block's skip bit.
  let fastFindBlock = lowPfn !== cc.migratePfn && cc.fastSearchFail === 0
  let blockEndPfn = pageblockStartPfn(m, lowPfn) + pb
  for (
    ;
    blockEndPfn <= cc.freePfn;
    fastFindBlock = false,
      cc.migratePfn = lowPfn = blockEndPfn,
      blockStartPfn = blockEndPfn,
      blockEndPfn += pb
  ) {
    const atBlockStart = (lowPfn & (pb - 1)) === 0 || lowPfn === z.startPfn
    if (atBlockStart && !fastFindBlock && !isolationSuitable(m, cc, blockStartPfn)) continue
    if (!suitableMigrationSource(m, cc, blockStartPfn)) {
      updateCachedMigrate(m, cc, blockEndPfn)
      continue
    }
    if (isolateMigratepagesBlock(m, env, cc, lowPfn, blockEndPfn, isolateMode) !== 0) return 'abort'
    break
  }
  return cc.nrMigratepages !== 0 ? 'success' : 'none'
}
