/**
 * Growing and shrinking the persistent huge page pool as a write to /proc/sys/vm/nr_hugepages
 * does (mm/hugetlb.c): `set_max_huge_pages` → `alloc_pool_huge_folio` →
 * `alloc_buddy_hugetlb_folio` → `__alloc_pages` with the whole slow path (engine/reclaim):
 * async direct compaction first (costly order), then direct reclaim and compaction at
 * `compact_priority` (SYNC_LIGHT), `should_compact_retry`, deferral. The pool is plain data
 * owned by the caller (a run keeps one per hstate).
 */
import { freePages } from '../mm/free'
import {
  __GFP_COMP,
  __GFP_NOWARN,
  __GFP_RETRY_MAYFAIL,
  __GFP_THISNODE,
  GFP_HIGHUSER_MOVABLE,
} from '../mm/gfp'
import { type Machine } from '../mm/machine'
import { NO_PAGE, PG_head } from '../mm/memmap'
import { VM_HTLB_BUDDY_PGALLOC, VM_HTLB_BUDDY_PGALLOC_FAIL } from '../mm/vmstatItems'
import { allocPagesReclaim, type AllocResult, condResched } from '../reclaim/slowpath'
import { type ReclaimEnv } from '../reclaim/types'

/** `HUGETLB_PAGE_ORDER` on x86_64: 2 MiB huge pages (the pageblock order). */
export const HUGETLB_PAGE_ORDER = 9

/**
 * `htlb_alloc_mask(h)` for a 2 MiB hstate (include/linux/hugetlb.h): migration of such pages is
 * supported, so `GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOWARN`. `alloc_pool_huge_folio`
 * adds `__GFP_THISNODE`.
 */
export const HTLB_ALLOC_MASK = GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOWARN

/** One hstate's persistent pool: the huge pages it holds (head pfns) and its allocation state. */
export interface HugetlbPool {
  order: number
  /** Head pfns of the pool's huge pages (`nr_huge_pages`), all free in the pool. */
  pages: number[]
  /** `h->next_nid_to_alloc`. */
  nextNidToAlloc: number
  /** This pool's share of the `htlb_buddy_alloc_success` / `htlb_buddy_alloc_fail` vm events. */
  buddyAllocSuccess: number
  buddyAllocFail: number
}

export function createHugetlbPool(order = HUGETLB_PAGE_ORDER): HugetlbPool {
  return { order, pages: [], nextNidToAlloc: 0, buddyAllocSuccess: 0, buddyAllocFail: 0 }
}

/** What one `alloc_buddy_hugetlb_folio` call did. */
export interface HugetlbAllocResult {
  pfn: number
  /** `alloc_try_hard`: the request carried __GFP_RETRY_MAYFAIL. */
  tryHard: boolean
  slowpath: AllocResult
}

/**
 * mm/hugetlb.c:alloc_buddy_hugetlb_folio (6.12; alloc_buddy_huge_page in 6.1): `__GFP_RETRY_MAYFAIL`
 * unless `node_alloc_noretry` has the node (a previous try-hard attempt there failed in this
 * `set_max_huge_pages` call); a success without it clears the bit, a failure with it sets the
 * bit. Counts htlb_buddy_alloc_success/fail. `noretry` is the caller's node mask (bit per nid).
 */
export function allocBuddyHugetlbFolio(
  m: Machine,
  env: ReclaimEnv,
  pool: HugetlbPool,
  gfp: number,
  nid: number,
  noretry: { mask: number } | null,
): HugetlbAllocResult {
  const bit = 1 << nid
  const tryHard = noretry === null || (noretry.mask & bit) === 0
  if (tryHard) gfp |= __GFP_RETRY_MAYFAIL
  const r = allocPagesReclaim(m, gfp, pool.order, env, nid)
  const pfn = r.pfn
  if (noretry !== null && pfn !== NO_PAGE && !tryHard) noretry.mask &= ~bit
  if (noretry !== null && pfn === NO_PAGE && tryHard) noretry.mask |= bit
  if (pfn === NO_PAGE) {
    pool.buddyAllocFail++
    m.vmEvents[VM_HTLB_BUDDY_PGALLOC_FAIL]++
  } else {
    pool.buddyAllocSuccess++
    m.vmEvents[VM_HTLB_BUDDY_PGALLOC]++
  }
  return { pfn, tryHard, slowpath: r }
}

/**
 * mm/hugetlb.c:alloc_pool_huge_folio: `htlb_alloc_mask | __GFP_THISNODE` on each node in turn
 * from `next_nid_to_alloc` (`for_each_node_mask_to_alloc`), the first success wins.
 */
export function allocPoolHugeFolio(
  m: Machine,
  env: ReclaimEnv,
  pool: HugetlbPool,
  noretry: { mask: number } | null,
): number {
  const nrNodes = m.cfg.nrNodes
  for (let i = 0; i < nrNodes; i++) {
    const nid = pool.nextNidToAlloc % nrNodes
    pool.nextNidToAlloc = (nid + 1) % nrNodes
    const r = allocBuddyHugetlbFolio(m, env, pool, HTLB_ALLOC_MASK | __GFP_THISNODE, nid, noretry)
    if (r.pfn !== NO_PAGE) return r.pfn
  }
  return NO_PAGE
}

/** What a write to nr_hugepages did. */
export interface SetNrHugepagesResult {
  /** `nr_hugepages` afterwards (what reading the file back gives). */
  nrHugepages: number
  /** Huge pages allocated / freed by this write. */
  allocated: number
  freed: number
}

/**
 * mm/hugetlb.c:set_max_huge_pages(h, count, NUMA_NO_NODE): grow the pool one
 * `alloc_pool_huge_folio` at a time and stop at the first failure (the loop's `goto out`), with
 * a fresh `node_alloc_noretry` mask for the call; or shrink it by freeing huge pages to the
 * buddy allocator (`update_and_free_hugetlb_folio` → `__free_pages`). No surplus pages and no
 * reservations are modelled, so every pool page is free.
 */
export function setMaxHugePages(
  m: Machine,
  env: ReclaimEnv,
  pool: HugetlbPool,
  count: number,
): SetNrHugepagesResult {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`nr_hugepages: ${String(count)}: Invalid argument (a count ≥ 0)`)
  const noretry = { mask: 0 }
  let allocated = 0
  let freed = 0
  while (count > pool.pages.length) {
    // "yield cpu to avoid soft lockup"
    condResched(m, env)
    const pfn = allocPoolHugeFolio(m, env, pool, noretry)
    if (pfn === NO_PAGE) break
    pool.pages.push(pfn)
    allocated++
  }
  while (count < pool.pages.length) {
    const pfn = pool.pages.pop() as number
    // __free_pages of the compound page (the pool held its only reference).
    if ((m.pg[pfn << 2] & PG_head) === 0) throw new Error(`hugetlb: pfn ${pfn} is no folio head`)
    freePages(m, pfn, pool.order)
    freed++
  }
  return { nrHugepages: pool.pages.length, allocated, freed }
}
