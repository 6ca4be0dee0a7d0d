/**
 * The free scanner (mm/compaction.c): `isolate_freepages` walks pageblocks downward from
 * `cc->free_pfn`, `isolate_freepages_block` takes whole free buddies off the free lists with
 * `__isolate_free_page` (mm/page_alloc.c). `fast_isolate_freepages` is not modelled: the linear
 * walk finds the same pages, only later.
 */
import { ALLOC_CMA } from '../mm/allocFlags'
import { delFromFreeList } from '../mm/freeArea'
import { eraAtLeast, type Machine } from '../mm/machine'
import { PAGE_ALLOC, PAGE_TYPE_BUDDY, PG_head, PG_INFO } from '../mm/memmap'
import {
  isMigrateMovable,
  MIGRATE_ISOLATE,
  MIGRATE_MOVABLE,
  migratetypeIsMergeable,
} from '../mm/migratetype'
import { moveFreepagesBlock } from '../mm/moveFreepages'
import {
  getPageblockSkip,
  getPfnblockMigratetype,
  setPageblockMigratetype,
  setPageblockSkip,
} from '../mm/pageblock'
import { zoneWatermarkOk } from '../mm/watermark'
import { type Zone } from '../mm/zone'
import {
  compactionState,
  countCompactEvents,
  COMPACTISOLATED,
  emitCompactionTrace,
  pageblockStartPfn,
} from './state'
import { fastIsolateFreepages } from './fastSearch'
import { TP_ISOLATE_FREEPAGES } from './traceTypes'
import { COMPACT_CLUSTER_MAX, type CompactControl, type CompactEnv } from './types'

/**
 * page_alloc.c:__isolate_free_page: take a whole free buddy of `order` off its list, if an
 * order-0 allocation of `MIN + 2^order` would pass (not checked in isolated blocks). A buddy of
 * order ≥ pageblock_order - 1 relabels its mergeable pageblocks MOVABLE. The isolated block is
 * left as a refcount-0 allocated block of `order` (`set_page_private(page, order)`).
 * Returns the pages isolated, 0 on watermark failure.
 */
export function isolateFreePage(m: Machine, z: Zone, pfn: number, order: number): number {
  const mt = getPfnblockMigratetype(m, pfn)
  if (mt !== MIGRATE_ISOLATE) {
    const watermark = z.wmarkMin + (1 << order)
    if (!zoneWatermarkOk(m, z, 0, watermark, 0, ALLOC_CMA, z.nrFreePages)) return 0
  }
  delFromFreeList(m, z, pfn, order)
  m.pg[pfn << 2] = PAGE_ALLOC
  m.pg[(pfn << 2) + PG_INFO] = order
  m.refcount[pfn] = 0
  if (order >= m.pageblockOrder - 1) {
    const end = pfn + (1 << order) - 1
    for (let p = pfn; p < end; p += m.pageblockNrPages) {
      const bt = getPfnblockMigratetype(m, p)
      if (!migratetypeIsMergeable(bt) || bt === MIGRATE_MOVABLE) continue
      // [6.10+] free pages follow their block's type (move_freepages_block); before, only the label changes.
      if (m.hygiene) moveFreepagesBlock(m, z, p, MIGRATE_MOVABLE)
      else setPageblockMigratetype(m, p, MIGRATE_MOVABLE)
    }
  }
  return 1 << order
}

/**
 * compaction.c:suitable_migration_target: not a block holding a large free buddy (≥ `cc->order`
 * [6.9+, pageblock_order for order -1] or ≥ pageblock_order [≤6.8]); with
 * `ignore_block_suitable` any block; otherwise MOVABLE or CMA blocks.
 */
export function suitableMigrationTarget(m: Machine, cc: CompactControl, pfn: number): boolean {
  if ((m.pg[pfn << 2] & PAGE_TYPE_BUDDY) !== 0) {
    const limit =
      cc.variants.freepages !== 'order0-split' && cc.order > 0 ? cc.order : m.pageblockOrder
    if ((m.pg[(pfn << 2) + PG_INFO] & 0xff) >= limit) return false
  }
  if (cc.ignoreBlockSuitable) return true
  return isMigrateMovable(getPfnblockMigratetype(m, pfn))
}

/**
 * compaction.c:isolate_freepages_block: scan `[startPfn, endPfn)` with `stride`, isolating
 * every free buddy onto `out` (list order) until `nr_freepages ≥ nr_migratepages`. Compound
 * pages are jumped over. The zone lock is taken at the first buddy and dropped every
 * COMPACT_CLUSTER_MAX pfns (each acquisition costs `lockNs`). `strict` (alloc_contig) stops at
 * the first non-free pfn and then reports 0. Returns the pages isolated; how far the scan got
 * (`*start_pfn` on return) is left in `cc.freeBlockScannedTo`.
 */
export function isolateFreepagesBlock(
  m: Machine,
  env: CompactEnv,
  cc: CompactControl,
  startPfn: number,
  endPfn: number,
  out: number[],
  stride: number,
  strict: boolean,
): number {
  const z = m.zones[cc.zoneId]
  const pg = m.pg
  let nrScanned = 0
  let totalIsolated = 0
  let locks = 0
  let locked = false
  let blockpfn = startPfn
  const newer = eraAtLeast(m, '6.6')
  if (strict) stride = 1
  for (; blockpfn < endPfn; blockpfn += stride) {
    if (blockpfn % COMPACT_CLUSTER_MAX === 0) locked = false
    nrScanned++
    const f = pg[blockpfn << 2]
    if ((f & (PAGE_ALLOC | PG_head)) === (PAGE_ALLOC | PG_head)) {
      const order = pg[(blockpfn << 2) + PG_INFO] & 0xff
      // [6.6+] only a compound page inside the block is jumped over (unverified: 6.6, Kemeng
      // Shi's 2023 fixes); [6.4+] its pages count in nr_scanned (v6.4, Baolin Wang).
      if (!newer || blockpfn + (1 << order) <= endPfn) {
        blockpfn += (1 << order) - 1
        if (newer) nrScanned += (1 << order) - 1
      }
      if (strict) break
      continue
    }
    if ((f & PAGE_TYPE_BUDDY) === 0) {
      if (strict) break
      continue
    }
    if (!locked) {
      locked = true
      locks++
    }
    const order = pg[(blockpfn << 2) + PG_INFO] & 0xff
    const isolated = isolateFreePage(m, z, blockpfn, order)
    if (isolated === 0) break
    nrScanned += isolated - 1
    totalIsolated += isolated
    cc.nrFreepages += isolated
    out.push(blockpfn)
    if (!strict && cc.nrMigratepages <= cc.nrFreepages) {
      blockpfn += isolated
      break
    }
    blockpfn += isolated - 1
  }
  if (blockpfn > endPfn) blockpfn = endPfn
  if (m.traceOn[TP_ISOLATE_FREEPAGES] !== 0) {
    emitCompactionTrace(m, TP_ISOLATE_FREEPAGES, {
      name: 'mm_compaction_isolate_freepages',
      start_pfn: startPfn,
      end_pfn: blockpfn,
      nr_scanned: nrScanned,
      nr_taken: totalIsolated,
    })
  }
  cc.freeBlockScannedTo = blockpfn
  if (strict && blockpfn < endPfn) totalIsolated = 0
  cc.totalFreeScanned += nrScanned
  env.clock.nowNs += nrScanned * env.cost.pfnScanNs + locks * env.cost.lockNs
  if (totalIsolated !== 0) countCompactEvents(m, COMPACTISOLATED, totalIsolated)
  return totalIsolated
}

/**
 * compaction.c:update_pageblock_skip: mark a fully scanned free-scanner block skipped and
 * lower `compact_cached_free_pfn` to it.
 */
export function updatePageblockSkip(m: Machine, cc: CompactControl, pfn: number): void {
  if (cc.noSetSkipHint) return
  setPageblockSkip(m, pfn, true)
  const s = compactionState(m)
  if (pfn < s.cachedFreePfn[cc.zoneId]) s.cachedFreePfn[cc.zoneId] = pfn
}

/** compaction.c:isolation_suitable. */
export function isolationSuitable(m: Machine, cc: CompactControl, pfn: number): boolean {
  return cc.ignoreSkipHint || !getPageblockSkip(m, pfn)
}

/**
 * compaction.c:isolate_freepages: `fast_isolate_freepages` first; if that left any page isolated
 * (`cc->nr_freepages`, counting pages still listed from before), nothing more. Otherwise, from
 * the block holding `cc->free_pfn` down to the block after
 * the migrate scanner's, isolate free pages from suitable, non-skipped blocks until there are
 * as many as pages to migrate. The stride starts at 32 (async) or 1 (sync), doubles up to 32
 * after an empty block and resets to 1 after a productive one. Saves the position in
 * `cc->free_pfn`. Isolated buddies are appended to `out` in list order.
 */
export function isolateFreepages(
  m: Machine,
  env: CompactEnv,
  cc: CompactControl,
  out: number[],
): void {
  // "Try a small search of the free lists for a candidate" (fastSearch.ts).
  fastIsolateFreepages(m, env, cc, out)
  if (cc.nrFreepages > 0) return
  const z = m.zones[cc.zoneId]
  const pb = m.pageblockNrPages
  let isolateStartPfn = cc.freePfn
  let blockStartPfn = pageblockStartPfn(m, isolateStartPfn)
  let blockEndPfn = Math.min(blockStartPfn + pb, z.endPfn)
  const lowPfn = pageblockStartPfn(m, cc.migratePfn) + pb
  let stride = cc.mode === 'async' ? COMPACT_CLUSTER_MAX : 1
  for (
    ;
    blockStartPfn >= lowPfn;
    blockEndPfn = blockStartPfn, blockStartPfn -= pb, isolateStartPfn = blockStartPfn
  ) {
    if (blockStartPfn < z.startPfn) break
    if (!suitableMigrationTarget(m, cc, blockStartPfn)) continue
    if (!isolationSuitable(m, cc, blockStartPfn)) continue
    const nrIsolated = isolateFreepagesBlock(
      m,
      env,
      cc,
      isolateStartPfn,
      blockEndPfn,
      out,
      stride,
      false,
    )
    isolateStartPfn = cc.freeBlockScannedTo
    if (isolateStartPfn === blockEndPfn) updatePageblockSkip(m, cc, blockStartPfn)
    if (cc.nrFreepages >= cc.nrMigratepages) {
      if (isolateStartPfn >= blockEndPfn) isolateStartPfn = blockStartPfn - pb
      break
    } else if (isolateStartPfn < blockEndPfn) {
      break
    }
    if (nrIsolated !== 0) {
      stride = 1
      continue
    }
    stride = Math.min(COMPACT_CLUSTER_MAX, stride << 1)
  }
  cc.freePfn = isolateStartPfn
}
