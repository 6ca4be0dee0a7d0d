/**
 * # engine/hugetlb: the persistent huge page pool (mm/hugetlb.c)
 *
 * `setMaxHugePages(m, env, pool, count)` is a write to /proc/sys/vm/nr_hugepages: order-9
 * `alloc_pool_huge_folio` allocations (`htlb_alloc_mask | __GFP_THISNODE`, plus
 * `__GFP_RETRY_MAYFAIL` unless the call's `node_alloc_noretry` has the node) through
 * engine/reclaim's whole slow path, until the count or the first failure; a lower count frees
 * pool pages. The pool (`createHugetlbPool`) is plain data the caller keeps. Counts
 * htlb_buddy_alloc_success/fail.
 *
 * ## Where the model departs from the kernel
 * - One hstate (2 MiB); no gigantic pages, surplus pages, reservations or per-node writes.
 * - `cond_resched()` between allocations (and after a failed direct compaction) lets a woken
 *   kswapd run to its sleep (`'wake-only'` mode), as one CPU would; in `'inline'` mode kswapd
 *   already ran at its wakeup.
 */
export {
  allocBuddyHugetlbFolio,
  allocPoolHugeFolio,
  createHugetlbPool,
  HTLB_ALLOC_MASK,
  type HugetlbAllocResult,
  type HugetlbPool,
  HUGETLB_PAGE_ORDER,
  setMaxHugePages,
  type SetNrHugepagesResult,
} from './pool'
