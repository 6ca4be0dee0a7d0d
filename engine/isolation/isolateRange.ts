/**
 * mm/page_isolation.c range operations: `start_isolate_page_range` with
 * `isolate_single_pageblock` for the two boundary blocks [5.19+], the ≤5.18 whole-range loop,
 * `undo_isolate_page_range` and `test_pages_isolated` (tracepoint `test_pages_isolated`).
 */
import { FPI_NONE, freeOnePage } from '../mm/buddy'
import { compoundHead } from '../mm/folio'
import { delFromFreeList } from '../mm/freeArea'
import { pfnZone, type Machine } from '../mm/machine'
import {
  PAGE_ALLOC,
  PAGE_TYPE_BUDDY,
  PAGE_TYPE_OFFLINE,
  PG_head,
  PG_lru,
  PG_movable_ops,
  pageFlags,
  pageOrder,
} from '../mm/memmap'
import { getPfnblockMigratetype, isPageblockIsolated } from '../mm/pageblock'
import { type Zone } from '../mm/zone'
import { MEMORY_OFFLINE } from './hasUnmovablePages'
import {
  EBUSY,
  setMigratetypeIsolate,
  unsetMigratetypeIsolate,
  type IsolationVariant,
} from './migratetypeIsolate'
import { emitTrace } from '../mm/trace'
import { TP_TEST_PAGES_ISOLATED } from '../mm/traceTypes'

const ENOENT = 2

/** State shared by one isolation request. */
export interface IsolateCtx {
  v: IsolationVariant
  /** MEMORY_OFFLINE / REPORT_FAILURE. */
  isolFlags: number
  /**
   * [5.19+] `__alloc_contig_migrate_range(cc, head, head + nr)` for an in-use compound page
   * straddling a boundary; returns 0 or a negative errno. Without it such pages fail the
   * isolation, as in a kernel without CONFIG_COMPACTION and CONFIG_CMA.
   */
  migrateRange?: (startPfn: number, endPfn: number) => number
  /** Pfns looked at (the caller charges `pfnScanNs` for them). */
  nrScanned: number
  /** First unmovable page that made isolation fail, or -1. */
  blockerPfn: number
}

export function newIsolateCtx(
  v: IsolationVariant,
  isolFlags = 0,
  migrateRange?: IsolateCtx['migrateRange'],
): IsolateCtx {
  return { v, isolFlags, migrateRange, nrScanned: 0, blockerPfn: -1 }
}

function pbStart(m: Machine, pfn: number): number {
  return pfn & ~(m.pageblockNrPages - 1)
}

function pbAlign(m: Machine, pfn: number): number {
  return (pfn + m.pageblockNrPages - 1) & ~(m.pageblockNrPages - 1)
}

function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x)
}

function highestBit(x: number): number {
  return 31 - Math.clz32(x)
}

/**
 * [5.19–6.9] `split_free_page(free_page, order, split_pfn_offset)`: unlink a free buddy and
 * free it again as naturally aligned pieces that do not cross `pfn + splitOffset`, each with
 * its own pageblock's type. -ENOENT if the page changed meanwhile.
 */
export function splitFreePage(
  m: Machine,
  z: Zone,
  freePfn: number,
  order: number,
  splitOffset: number,
): number {
  if (splitOffset === 0) return 0
  if ((pageFlags(m, freePfn) & PAGE_TYPE_BUDDY) === 0 || pageOrder(m, freePfn) !== order)
    return -ENOENT
  delFromFreeList(m, z, freePfn, order)
  const end = freePfn + (1 << order)
  for (let pfn = freePfn; pfn < end;) {
    const mt = getPfnblockMigratetype(m, pfn)
    const pieceOrder = Math.min(pfn !== 0 ? lowestBit(pfn) : order, highestBit(splitOffset))
    freeOnePage(m, z, pfn, pieceOrder, mt, FPI_NONE)
    pfn += 1 << pieceOrder
    splitOffset -= 1 << pieceOrder
    if (splitOffset === 0) splitOffset = end - pfn
  }
  return 0
}

/** The head of the free buddy holding `pfn` (search down through the orders), or -1. */
function freeBuddyHead(m: Machine, pfn: number): number {
  let order = 0
  let p = pfn
  while ((pageFlags(m, p) & PAGE_TYPE_BUDDY) === 0) {
    if (++order > m.maxOrder) return -1
    p &= ~((1 << order) - 1)
  }
  return p + (1 << pageOrder(m, p)) > pfn ? p : -1
}

/**
 * `isolate_single_pageblock(boundary_pfn, flags, gfp, isolate_before, skip_isolation,
 * migratetype)`: isolate the block before (`isolateBefore`) or after the boundary, then scan
 * from the MAX_ORDER-aligned start for pages crossing the boundary:
 * - a free buddy is split there ([5.19–6.9] `split_free_page`; [6.10+] already split by
 *   `move_freepages_block_isolate`); not with `boundarySplit: false` (pre-v7 series);
 * - an in-use compound page that is hugetlb, LRU or movable is migrated away with the block
 *   isolated meanwhile, then its freed buddy is split; anything else fails with -EBUSY.
 */
export function isolateSinglePageblock(
  m: Machine,
  boundaryPfn: number,
  isolateBefore: boolean,
  skipIsolation: boolean,
  migratetype: number,
  ctx: IsolateCtx,
): number {
  const isolatePb = isolateBefore ? boundaryPfn - m.pageblockNrPages : boundaryPfn
  const z = pfnZone(m, isolatePb)
  if (z === undefined) return -EBUSY
  const startPfn = Math.max(isolatePb & ~((1 << m.maxOrder) - 1), z.startPfn)
  if (!skipIsolation) {
    const blocker = { pfn: -1 }
    const ret = setMigratetypeIsolate(
      m,
      isolatePb,
      migratetype,
      ctx.isolFlags,
      isolatePb,
      isolatePb + m.pageblockNrPages,
      ctx.v,
      blocker,
    )
    ctx.nrScanned += m.pageblockNrPages
    if (ret !== 0) {
      ctx.blockerPfn = blocker.pfn
      return ret
    }
  }
  // The block beyond the boundary is not online: nothing can cross it.
  if (isolateBefore ? boundaryPfn >= z.endPfn : boundaryPfn - 1 < z.startPfn) return 0
  for (let pfn = startPfn; pfn < boundaryPfn;) {
    ctx.nrScanned++
    const f = pageFlags(m, pfn)
    if ((f & PAGE_TYPE_BUDDY) !== 0) {
      const order = pageOrder(m, pfn)
      if (pfn + (1 << order) > boundaryPfn && !m.hygiene && ctx.v.boundarySplit) {
        if (splitFreePage(m, z, pfn, order, boundaryPfn - pfn) !== 0) continue
      }
      pfn += 1 << order
      continue
    }
    const head = compoundHead(m, pfn)
    if ((pageFlags(m, head) & (PAGE_ALLOC | PG_head)) === (PAGE_ALLOC | PG_head)) {
      const nrPages = 1 << pageOrder(m, head)
      if (head + nrPages <= boundaryPfn) {
        pfn = head + nrPages
        continue
      }
      if ((pageFlags(m, head) & (PG_lru | PG_movable_ops)) === 0 || ctx.migrateRange === undefined)
        return failed(m, isolatePb, migratetype, skipIsolation, ctx)
      const pageMt = getPfnblockMigratetype(m, pfn)
      const isolatePage = !isPageblockIsolated(m, pfn)
      if (
        isolatePage &&
        setMigratetypeIsolate(m, pfn, pageMt, ctx.isolFlags, head, head + nrPages, ctx.v) !== 0
      ) {
        return failed(m, isolatePb, migratetype, skipIsolation, ctx)
      }
      const ret = ctx.migrateRange(head, head + nrPages)
      if (isolatePage) unsetMigratetypeIsolate(m, pfn, pageMt, ctx.v)
      if (ret !== 0) return failed(m, isolatePb, migratetype, skipIsolation, ctx)
      if (m.hygiene) {
        pfn = head + nrPages
        continue
      }
      const outer = freeBuddyHead(m, pfn)
      if (outer < 0) return failed(m, isolatePb, migratetype, skipIsolation, ctx)
      pfn = outer
      continue
    }
    pfn++
  }
  return 0
}

function failed(
  m: Machine,
  isolatePb: number,
  migratetype: number,
  skipIsolation: boolean,
  ctx: IsolateCtx,
): number {
  if (!skipIsolation) unsetMigratetypeIsolate(m, isolatePb, migratetype, ctx.v)
  return -EBUSY
}

/**
 * `start_isolate_page_range(start_pfn, end_pfn, migratetype, flags, gfp)`.
 * - `singleBlockBoundaries` [5.19+]: round to pageblocks, `isolate_single_pageblock` the first
 *   and last block (the last one only checked when the range is one block), then
 *   `set_migratetype_isolate` the blocks in between, checking only the range of interest.
 * - otherwise [≤5.18]: the caller aligned the range to MAX_ORDER; every block is isolated in
 *   turn with `has_unmovable_pages` over the whole block.
 * Any failure undoes what was done and returns -EBUSY.
 */
export function startIsolatePageRange(
  m: Machine,
  startPfn: number,
  endPfn: number,
  migratetype: number,
  singleBlockBoundaries: boolean,
  ctx: IsolateCtx,
): number {
  const isolateStart = pbStart(m, startPfn)
  const isolateEnd = pbAlign(m, endPfn)
  const pb = m.pageblockNrPages
  if (!singleBlockBoundaries) {
    for (let pfn = isolateStart; pfn < isolateEnd; pfn += pb) {
      const blocker = { pfn: -1 }
      ctx.nrScanned += pb
      if (
        setMigratetypeIsolate(m, pfn, migratetype, ctx.isolFlags, pfn, pfn + pb, ctx.v, blocker) !==
        0
      ) {
        ctx.blockerPfn = blocker.pfn
        undoIsolatePageRange(m, isolateStart, pfn, migratetype, ctx.v)
        return -EBUSY
      }
    }
    return 0
  }
  let ret = isolateSinglePageblock(m, isolateStart, false, false, migratetype, ctx)
  if (ret !== 0) return ret
  const skip = isolateStart === isolateEnd - pb
  ret = isolateSinglePageblock(m, isolateEnd, true, skip, migratetype, ctx)
  if (ret !== 0) {
    unsetMigratetypeIsolate(m, isolateStart, migratetype, ctx.v)
    return ret
  }
  for (let pfn = isolateStart + pb; pfn < isolateEnd - pb; pfn += pb) {
    const blocker = { pfn: -1 }
    ctx.nrScanned += pb
    if (
      setMigratetypeIsolate(
        m,
        pfn,
        migratetype,
        ctx.isolFlags,
        startPfn,
        endPfn,
        ctx.v,
        blocker,
      ) !== 0
    ) {
      ctx.blockerPfn = blocker.pfn
      undoIsolatePageRange(m, isolateStart, pfn, migratetype, ctx.v)
      unsetMigratetypeIsolate(m, isolateEnd - pb, migratetype, ctx.v)
      return -EBUSY
    }
  }
  return 0
}

/** `undo_isolate_page_range(start_pfn, end_pfn, migratetype)`: unisolate every isolated block. */
export function undoIsolatePageRange(
  m: Machine,
  startPfn: number,
  endPfn: number,
  migratetype: number,
  v: IsolationVariant,
): void {
  const end = pbAlign(m, endPfn)
  for (let pfn = pbStart(m, startPfn); pfn < end; pfn += m.pageblockNrPages) {
    if (isPageblockIsolated(m, pfn)) unsetMigratetypeIsolate(m, pfn, migratetype, v)
  }
}

/**
 * `test_pages_isolated(start_pfn, end_pfn, isol_flags)`: every pageblock must be isolated,
 * then every page free (a buddy, skipped by its order); MEMORY_OFFLINE also accepts PageOffline
 * pages with refcount 0. Emits `test_pages_isolated` with the first failing pfn. 0 or -EBUSY.
 */
export function testPagesIsolated(
  m: Machine,
  startPfn: number,
  endPfn: number,
  isolFlags: number,
): number {
  let pfn = startPfn
  for (; pfn < endPfn; pfn += m.pageblockNrPages) if (!isPageblockIsolated(m, pfn)) break
  if (pfn >= endPfn) {
    pfn = startPfn
    while (pfn < endPfn) {
      const f = pageFlags(m, pfn)
      if ((f & PAGE_TYPE_BUDDY) !== 0) pfn += 1 << pageOrder(m, pfn)
      else if (
        (isolFlags & MEMORY_OFFLINE) !== 0 &&
        (f & PAGE_TYPE_OFFLINE) !== 0 &&
        m.refcount[pfn] === 0
      )
        pfn++
      else break
    }
  }
  const ret = pfn < endPfn ? -EBUSY : 0
  if (m.traceOn[TP_TEST_PAGES_ISOLATED] !== 0) {
    emitTrace(m, TP_TEST_PAGES_ISOLATED, {
      name: 'test_pages_isolated',
      start_pfn: startPfn,
      end_pfn: endPfn,
      fin_pfn: pfn,
      ret: ret === 0 ? 'success' : 'fail',
    })
  }
  return ret
}
