/**
 * `init_cma_reserved_pageblock()` (mm/mm_init.c): hand a pageblock to the buddy allocator as
 * MIGRATE_CMA. CMA pageblocks never change type implicitly: they are not fallback sources, and
 * only ALLOC_CMA (movable) requests allocate from them or count their free pages.
 */
import { FPI_NONE, freeOnePage } from './buddy'
import { delFromFreeList } from './freeArea'
import { type Machine } from './machine'
import { PAGE_ALLOC, PAGE_BOOT, PAGE_TYPE_BUDDY, PG_INFO } from './memmap'
import { MIGRATE_CMA } from './migratetype'
import { findLargeBuddy } from './moveFreepages'
import { getPfnblockMigratetype, setPageblockMigratetype } from './pageblock'
import { VM_PGFREE } from './vmstatItems'

/**
 * Make the pageblock at `pfn` a free CMA pageblock. Its pages must all be free, or (with
 * `boot: 'allocated'`) unused allocated order-0 pages, as memblock-reserved CMA pages are when
 * the kernel activates an area. The block is freed at pageblock order with MIGRATE_CMA and merges
 * with CMA neighbours; `zone.cmaPages` (`zone->cma_pages`) grows by a pageblock. The reserved
 * pages reach the buddy through `__free_pages`, so they count in PGFREE (pages that were already
 * free in the model do not).
 */
export function initCmaReservedPageblock(m: Machine, pfn: number): void {
  m.op = 'init_cma_reserved_pageblock'
  const start = pfn & ~(m.pageblockNrPages - 1)
  const end = start + m.pageblockNrPages
  const z = m.zones[m.pbZone[start >> m.pageblockOrder]]
  if (z === undefined || start < z.startPfn || end > z.endPfn)
    throw new RangeError(`initCmaReservedPageblock: pfn ${pfn} is not in a zone`)
  if (getPfnblockMigratetype(m, start) === MIGRATE_CMA)
    throw new Error(`initCmaReservedPageblock: pageblock at ${start} is already CMA`)
  // Check first, change nothing unless every page qualifies.
  const big = findLargeBuddy(m, start)
  if (big < 0) {
    for (let p = start; p < end;) {
      const f = m.pg[p << 2]
      if ((f & PAGE_TYPE_BUDDY) !== 0) p += 1 << (m.pg[(p << 2) + PG_INFO] & 0xff)
      else if (f === (PAGE_ALLOC | PAGE_BOOT) && m.refcount[p] === 1) p++
      else throw new Error(`initCmaReservedPageblock: pfn ${p} is in use`)
    }
  }
  if (big >= 0) {
    const order = m.pg[(big << 2) + PG_INFO] & 0xff
    delFromFreeList(m, z, big, order)
    for (let p = big; p < big + (1 << order); p += m.pageblockNrPages) {
      if (p !== start)
        freeOnePage(m, z, p, m.pageblockOrder, getPfnblockMigratetype(m, p), FPI_NONE)
    }
  } else {
    for (let p = start; p < end;) {
      const f = m.pg[p << 2]
      if ((f & PAGE_TYPE_BUDDY) !== 0) {
        const order = m.pg[(p << 2) + PG_INFO] & 0xff
        delFromFreeList(m, z, p, order)
        p += 1 << order
      } else {
        m.pg[p << 2] = 0
        m.refcount[p] = 0
        m.vmEvents[VM_PGFREE]++
        p++
      }
    }
  }
  setPageblockMigratetype(m, start, MIGRATE_CMA)
  freeOnePage(m, z, start, m.pageblockOrder, MIGRATE_CMA, FPI_NONE)
  z.cmaPages += m.pageblockNrPages
}
