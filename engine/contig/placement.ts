/**
 * Exact page layouts on a `boot: 'allocated'` machine, for importers of real memory maps and
 * for tests that must reproduce a precise arrangement (a free MAX_ORDER page across two
 * pageblocks, a compound page straddling a boundary). Every page touched must still be an
 * unused allocated order-0 placeholder, as `initFreeBlock` requires.
 */
import { initFreeBlock } from '../mm/boot'
import { FPI_NONE, freeOnePage } from '../mm/buddy'
import { delFromFreeList } from '../mm/freeArea'
import { pfnZone, type Machine } from '../mm/machine'
import {
  PAGE_ALLOC,
  PAGE_BOOT,
  PAGE_TYPE_BUDDY,
  PG_head,
  pageFlags,
  pageOrder,
  setPageFlags,
  setPageOrder,
} from '../mm/memmap'
import { getPfnblockMigratetype } from '../mm/pageblock'
import { drainAllPages } from '../mm/pcp'

/** An unused allocated order-0 page of a `boot: 'allocated'` machine (PAGE_BOOT). */
const PLACEHOLDER = PAGE_ALLOC | PAGE_BOOT

function requirePlaceholders(m: Machine, pfn: number, nrPages: number, what: string): void {
  for (let p = pfn; p < pfn + nrPages; p++) {
    if (pageFlags(m, p) !== PLACEHOLDER || pageOrder(m, p) !== 0 || m.refcount[p] !== 1) {
      throw new Error(`${what}: pfn ${p} is not an unused allocated order-0 page`)
    }
  }
}

/**
 * Turn `2^order` placeholder pages at `pfn` into one allocated block with refcount 1 and the
 * given folio flags on its head (`PG_lru | PG_anon`, ...). `compound` adds PG_head (a folio
 * allocated with `__GFP_COMP`); otherwise the tails are the refcount-0 pages of a plain
 * high-order allocation.
 */
export function placeFolio(
  m: Machine,
  pfn: number,
  order: number,
  flags: number,
  compound = order > 0,
): void {
  if ((pfn & ((1 << order) - 1)) !== 0)
    throw new RangeError(`placeFolio: pfn ${pfn} not aligned to order ${order}`)
  requirePlaceholders(m, pfn, 1 << order, 'placeFolio')
  for (let p = pfn + 1; p < pfn + (1 << order); p++) {
    setPageFlags(m, p, 0)
    m.refcount[p] = 0
  }
  setPageFlags(m, pfn, PAGE_ALLOC | flags | (compound && order > 0 ? PG_head : 0))
  setPageOrder(m, pfn, order)
  m.refcount[pfn] = 1
}

/** Free `[startPfn, endPfn)` of placeholder pages as maximal naturally aligned buddies (no merging). */
export function placeFreeRange(m: Machine, startPfn: number, endPfn: number): void {
  let pfn = startPfn
  while (pfn < endPfn) {
    let order = m.maxOrder
    while (order > 0 && ((pfn & ((1 << order) - 1)) !== 0 || pfn + (1 << order) > endPfn)) order--
    initFreeBlock(m, pfn, order)
    pfn += 1 << order
  }
}

/**
 * Take `[pfn, end)` out of the buddy allocator as memblock would have reserved it at boot: free
 * buddies overlapping it are unlinked and their parts outside are freed again; the pages inside
 * become allocated order-0 pages with refcount 1 and `flags` (0 for CMA's memblock
 * reservation: the pages stay PAGE_BOOT placeholders; PAGE_TYPE_OFFLINE for a virtio-mem region
 * not yet plugged). Pages in use (anything but free buddies and placeholders) are refused.
 */
export function reserveRangeFromBuddy(m: Machine, pfn: number, end: number, flags: number): void {
  const z = pfnZone(m, pfn)
  if (z === undefined) throw new RangeError('reserve: range outside every zone')
  drainAllPages(m, z)
  const fixes: [number, number][] = []
  for (let p = pfn & ~((1 << m.maxOrder) - 1); p < end;) {
    const f = pageFlags(m, p)
    if ((f & PAGE_TYPE_BUDDY) !== 0) {
      const o = pageOrder(m, p)
      if (p + (1 << o) > pfn) fixes.push([p, o])
      p += 1 << o
    } else if ((f & PAGE_ALLOC) !== 0 && p >= pfn) {
      if (f !== PLACEHOLDER || m.refcount[p] !== 1 || pageOrder(m, p) !== 0)
        throw new Error(
          `reserve: pfn ${p} is in use; the range must be reserved before anything allocates there`,
        )
      p++
    } else p++
  }
  // A reservation without a page type stays a placeholder (memblock-reserved, nobody's page yet).
  const reserved = flags === 0 ? PLACEHOLDER : PAGE_ALLOC | flags
  for (let p = pfn; p < end; p++) if (pageFlags(m, p) === PLACEHOLDER) setPageFlags(m, p, reserved)
  for (const [head, o] of fixes) {
    delFromFreeList(m, z, head, o)
    for (let p = head; p < head + (1 << o); p++) {
      // Off the free list the buddy order goes (mm/page_alloc.c:del_page_from_free_list ->
      // __ClearPageBuddy + set_page_private(page, 0)): every page is order 0 until freed again,
      // so a PageOffline page (virtio-mem's fake-offline pages) is not read as an order-o block.
      setPageOrder(m, p, 0)
      if (p >= pfn && p < end) {
        setPageFlags(m, p, reserved)
        m.refcount[p] = 1
      } else {
        setPageFlags(m, p, 0)
        m.refcount[p] = 0
      }
    }
    // Give back the parts outside the area, as aligned pieces.
    for (const [lo, hi] of [
      [head, Math.min(pfn, head + (1 << o))],
      [Math.max(end, head), head + (1 << o)],
    ]) {
      let q = lo
      while (q < hi) {
        let order = m.maxOrder
        while (order > 0 && ((q & ((1 << order) - 1)) !== 0 || q + (1 << order) > hi)) order--
        freeOnePage(m, z, q, order, getPfnblockMigratetype(m, q), FPI_NONE)
        q += 1 << order
      }
    }
  }
}
