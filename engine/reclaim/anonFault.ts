/**
 * An anonymous page fault with multi-size THP (mm/memory.c:do_anonymous_page →
 * alloc_anon_folio, mm/huge_memory.c:do_huge_pmd_anonymous_page, 6.12): the folio size is the
 * largest enabled one (`/sys/kernel/mm/transparent_hugepage/hugepages-<size>kB/enabled`), the
 * gfp comes from `transparent_hugepage/defrag` (`vma_thp_gfp_mask`), a failed large allocation
 * falls back to the next enabled size and finally to an order-0 page, and the folio becomes a
 * mapped anon LRU folio with its per-size counters (`anon_fault_alloc`, `anon_fault_fallback`,
 * `nr_anon`). A PMD-size folio is PMD-mapped and, [6.12] with `shrink_underused` on (the
 * default), queued for deferred split without being partially mapped.
 *
 * This is how calibration case W4 fills memory with 64 KiB folios (`hugepages-64kB/enabled =
 * always`, every other size `never`, `defrag = never`):
 *
 * ```ts
 * const pfn = doAnonymousPage(m, (gfp, order) => allocPages(m, gfp, order), { orders: [4], defrag: 'never' })
 * ```
 */
import {
  deferredSplitFolio,
  modMthpStat,
  MTHP_STAT_ANON_FAULT_ALLOC,
  MTHP_STAT_ANON_FAULT_FALLBACK,
} from '../mm/deferredSplit'
import {
  __GFP_COMP,
  __GFP_DIRECT_RECLAIM,
  __GFP_KSWAPD_RECLAIM,
  __GFP_NORETRY,
  __GFP_ZERO,
  GFP_HIGHUSER_MOVABLE,
  GFP_TRANSHUGE,
  GFP_TRANSHUGE_LIGHT,
} from '../mm/gfp'
import { eraAtLeast, type Machine } from '../mm/machine'
import { NO_PAGE } from '../mm/memmap'
import { HPAGE_PMD_ORDER } from '../mm/pcpIndex'
import { makeAnonLruFolio } from '../migrate/anonFolio'
import { lruAdd } from './lru'

/** `/sys/kernel/mm/transparent_hugepage/defrag`. */
export type ThpDefrag = 'always' | 'defer' | 'defer+madvise' | 'madvise' | 'never'
export const THP_DEFRAG_MODES: readonly ThpDefrag[] = [
  'always',
  'defer',
  'defer+madvise',
  'madvise',
  'never',
]

/** mm/huge_memory.c:vma_thp_gfp_mask (6.12); `madvised`: the VMA has MADV_HUGEPAGE. */
export function vmaThpGfpMask(defrag: ThpDefrag, madvised = false): number {
  switch (defrag) {
    case 'always':
      return GFP_TRANSHUGE | (madvised ? 0 : __GFP_NORETRY)
    case 'defer':
      return GFP_TRANSHUGE_LIGHT | __GFP_KSWAPD_RECLAIM
    case 'defer+madvise':
      return GFP_TRANSHUGE_LIGHT | (madvised ? __GFP_DIRECT_RECLAIM : __GFP_KSWAPD_RECLAIM)
    case 'madvise':
      return GFP_TRANSHUGE_LIGHT | (madvised ? __GFP_DIRECT_RECLAIM : 0)
    case 'never':
      return GFP_TRANSHUGE_LIGHT
  }
}

export interface AnonFaultOptions {
  /** Enabled folio orders (`hugepages-<size>kB/enabled`), 2..HPAGE_PMD_ORDER; default none. */
  orders?: readonly number[]
  /** `transparent_hugepage/defrag` (default `'madvise'`, the kernel's). */
  defrag?: ThpDefrag
  /** The VMA has MADV_HUGEPAGE. */
  madvised?: boolean
}

function checkOrders(m: Machine, orders: readonly number[]): number[] {
  for (const o of orders)
    if (!Number.isInteger(o) || o < 2 || o > HPAGE_PMD_ORDER)
      throw new RangeError(
        `doAnonymousPage: order ${o} is not an anon mTHP order (2..${HPAGE_PMD_ORDER})`,
      )
  if (orders.length > 0 && !eraAtLeast(m, '6.9') && orders.some((o) => o < HPAGE_PMD_ORDER))
    throw new RangeError(
      `doAnonymousPage: anon mTHP orders below ${HPAGE_PMD_ORDER} need 6.8+ (era ${m.cfg.kernelEra})`,
    )
  return [...new Set(orders)].sort((a, b) => b - a)
}

/**
 * One anonymous fault: returns the head pfn of the new folio (mapped once, on the LRU), or
 * NO_PAGE when even the order-0 allocation failed (VM_FAULT_OOM). `alloc(gfp, order)` is the
 * page allocator the caller runs (fast path only, or the whole slow path).
 */
export function doAnonymousPage(
  m: Machine,
  alloc: (gfp: number, order: number) => number,
  opts: AnonFaultOptions = {},
): number {
  const gfp = vmaThpGfpMask(opts.defrag ?? 'madvise', opts.madvised ?? false)
  for (const order of checkOrders(m, opts.orders ?? [])) {
    const pfn = alloc(gfp | __GFP_COMP, order)
    if (pfn === NO_PAGE) {
      modMthpStat(m, order, MTHP_STAT_ANON_FAULT_FALLBACK, 1)
      continue
    }
    mapNewAnonFolio(m, pfn, order)
    return pfn
  }
  const pfn = alloc(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0)
  if (pfn !== NO_PAGE) mapNewAnonFolio(m, pfn, 0)
  return pfn
}

/**
 * The end of the fault for a freshly allocated folio: `folio_add_new_anon_rmap` +
 * `folio_add_lru_vma`, `anon_fault_alloc`, and [6.12] the PMD-size folio's deferred-split
 * queueing (`deferred_split_folio(folio, false)` in `__do_huge_pmd_anonymous_page`).
 */
export function mapNewAnonFolio(m: Machine, pfn: number, order: number): void {
  makeAnonLruFolio(m, pfn, 1)
  lruAdd(m, pfn)
  modMthpStat(m, order, MTHP_STAT_ANON_FAULT_ALLOC, 1)
  if (order === HPAGE_PMD_ORDER) deferredSplitFolio(m, pfn, false)
}
