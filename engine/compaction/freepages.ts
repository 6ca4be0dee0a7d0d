/**
 * Compaction's private allocator (mm/compaction.c): `compaction_alloc` / `compaction_free`,
 * the callbacks migrate_pages gets, `split_map_pages` [≤6.8] and `release_free_list`. The
 * `freepages` variant picks the list layout (order-0 pages vs per-order blocks split on demand);
 * `freeRefcount` picks how an unused destination comes back (seed 000's review).
 */
import { getPageUnlessZero } from '../mm/folio'
import { freePages, putPageTestzero } from '../mm/free'
import { type Machine } from '../mm/machine'
import { PAGE_ALLOC, PG_head, PG_INFO } from '../mm/memmap'
import { freePagesPrepare } from '../mm/prep'
import { isolateFreepages } from './freeScanner'
import { type CompactControl, type CompactEnv } from './types'

/** Scratch list for the free scanner's freshly isolated buddies (list order). */
const isolatedScratch: number[] = []

/** `post_alloc_hook` + `set_page_refcounted` (+ `prep_compound_page` for order > 0). */
function markAllocated(m: Machine, pfn: number, order: number): void {
  m.pg[pfn << 2] = order > 0 ? PAGE_ALLOC | PG_head : PAGE_ALLOC
  m.pg[(pfn << 2) + PG_INFO] = order
  m.refcount[pfn] = 1
}

/** An isolated free block of `order` on compaction's list: refcount 0, order in `private`. */
function markIsolatedFree(m: Machine, pfn: number, order: number): void {
  m.pg[pfn << 2] = PAGE_ALLOC
  m.pg[(pfn << 2) + PG_INFO] = order
  m.refcount[pfn] = 0
}

/**
 * compaction.c:split_map_pages [≤6.8]: every isolated buddy becomes 2^order refcounted order-0
 * pages, in pfn order, at the front of `cc->freepages` (`list_splice`).
 */
function splitMapPages(m: Machine, cc: CompactControl, isolated: number[]): void {
  const list = cc.freepages[0]
  for (let i = isolated.length - 1; i >= 0; i--) {
    const pfn = isolated[i]
    const n = 1 << (m.pg[(pfn << 2) + PG_INFO] & 0xff)
    for (let p = pfn + n - 1; p >= pfn; p--) {
      markAllocated(m, p, 0)
      list.pushHead(p)
    }
  }
}

/** Run the free scanner and put what it isolated on `cc->freepages` per the variant. */
function isolateFreepagesToLists(m: Machine, env: CompactEnv, cc: CompactControl): void {
  isolatedScratch.length = 0
  isolateFreepages(m, env, cc, isolatedScratch)
  if (cc.variants.freepages === 'order0-split') {
    splitMapPages(m, cc, isolatedScratch)
  } else {
    for (let i = 0; i < isolatedScratch.length; i++) {
      const pfn = isolatedScratch[i]
      cc.freepages[m.pg[(pfn << 2) + PG_INFO] & 0xff].pushTail(pfn)
    }
  }
  isolatedScratch.length = 0
}

/**
 * compaction.c:compaction_alloc for a source folio of `order`.
 * - order0-split [≤6.8]: pop an order-0 page (refcounted already); an empty list runs the free
 *   scanner once. A large source gets nothing (NULL): ≤6.8 never isolates one.
 * - per-order [6.9+]: the smallest non-empty `freepages[k ≥ order]`, split down to `order`
 *   with the upper halves pushed on `freepages[k-1..order]`; `post_alloc_hook`, refcount 1,
 *   `prep_compound_page`. `nr_freepages` and `nr_migratepages` drop by 2^order.
 * - per-order-nosplit (seed 000, v3 2/3): `freepages[order]` only; NULL if it stays empty after
 *   one free-scanner run, even with larger blocks isolated.
 * Returns the destination head pfn or -1.
 */
export function compactionAlloc(
  m: Machine,
  env: CompactEnv,
  cc: CompactControl,
  order: number,
): number {
  let dst = -1
  if (cc.variants.freepages === 'order0-split') {
    if (order > 0) return -1
    const list = cc.freepages[0]
    if (list.length === 0) {
      isolateFreepagesToLists(m, env, cc)
      if (list.length === 0) return -1
    }
    dst = list.popHead()
    cc.nrFreepages--
  } else if (cc.variants.freepages === 'per-order-nosplit') {
    // Zi Yan's v3 2/3: the list of the source's order only, no split.
    const list = cc.freepages[order]
    if (list.length === 0) {
      isolateFreepagesToLists(m, env, cc)
      if (list.length === 0) return -1
    }
    dst = list.popHead()
    markAllocated(m, dst, order)
    cc.nrFreepages -= 1 << order
    cc.nrMigratepages -= 1 << order
  } else {
    let hasIsolatedPages = false
    let start = order
    for (;;) {
      for (start = order; start <= m.maxOrder; start++) if (cc.freepages[start].length !== 0) break
      if (start <= m.maxOrder) break
      if (hasIsolatedPages) return -1
      isolateFreepagesToLists(m, env, cc)
      hasIsolatedPages = true
    }
    dst = cc.freepages[start].popHead()
    let size = 1 << start
    while (start > order) {
      start--
      size >>= 1
      markIsolatedFree(m, dst + size, start)
      cc.freepages[start].pushHead(dst + size)
    }
    markAllocated(m, dst, order)
    cc.nrFreepages -= 1 << order
    cc.nrMigratepages -= 1 << order
  }
  if (env.speculativeRefOnNewDst !== undefined && env.speculativeRefOnNewDst(dst)) {
    // A PFN walker on another CPU: get_page_unless_zero on a page with refcount 1 succeeds.
    if (getPageUnlessZero(m, dst)) cc.speculativeRefs.push(dst)
  }
  return dst
}

/**
 * compaction.c:compaction_free: an unused destination comes back.
 * - order0-split [≤6.8]: `list_add` of the still-refcounted page.
 * - per-order, put-testzero (merged): recycle only if `folio_put_testzero(dst)`; otherwise a
 *   speculative holder owns the page, compaction loses it, and the holder's final put returns it
 *   to the buddy.
 * - per-order, set-count-zero (Zi Yan's v2/v3): `folio_set_count(dst, 0)` and recycle, even
 *   under a holder, whose later put then underflows or frees a page in use.
 * `nr_migratepages` grows back by 2^order in the per-order variant.
 */
export function compactionFree(m: Machine, cc: CompactControl, dst: number): void {
  const order = m.pg[(dst << 2) + PG_INFO] & 0xff
  if (cc.variants.freepages === 'order0-split') {
    cc.freepages[0].pushHead(dst)
    cc.nrFreepages++
    return
  }
  let recycle: boolean
  if (cc.variants.freeRefcount === 'set-count-zero') {
    m.refcount[dst] = 0
    recycle = true
  } else {
    recycle = putPageTestzero(m, dst)
  }
  if (recycle) {
    freePagesPrepare(m, dst, order)
    markIsolatedFree(m, dst, order)
    cc.freepages[order].pushHead(dst)
    cc.nrFreepages += 1 << order
  } else {
    cc.lostFreepages += 1 << order
  }
  cc.nrMigratepages += 1 << order
}

/**
 * compaction.c:release_free_list (6.9+; release_freepages ≤6.8): every page still on the lists
 * goes back to the buddy allocator (`post_alloc_hook` + `__free_pages`). Returns the highest
 * pfn released, or -1.
 */
export function releaseFreeList(m: Machine, cc: CompactControl): number {
  let highPfn = -1
  for (let order = 0; order <= m.maxOrder; order++) {
    const list = cc.freepages[order]
    for (let pfn = list.popHead(); pfn >= 0; pfn = list.popHead()) {
      if (cc.variants.freepages !== 'order0-split') markAllocated(m, pfn, order)
      m.pg[pfn << 2] &= ~PG_head
      freePages(m, pfn, order)
      if (pfn > highPfn) highPfn = pfn
    }
  }
  cc.nrFreepages = 0
  return highPfn
}
