/**
 * Per-cpu list indexing (include/linux/mmzone.h, mm/page_alloc.c:order_to_pindex): one list
 * per (migratetype < MIGRATE_PCPTYPES, order ≤ PAGE_ALLOC_COSTLY_ORDER), plus two THP lists
 * (non-movable, movable) for order `HPAGE_PMD_ORDER`.
 */
import { MIGRATE_MOVABLE, MIGRATE_PCPTYPES } from './migratetype'

export const PAGE_ALLOC_COSTLY_ORDER = 3
/** `HPAGE_PMD_ORDER` on x86_64 with 4 KiB pages. */
export const HPAGE_PMD_ORDER = 9
export const NR_LOWORDER_PCP_LISTS = MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1)
export const NR_PCP_LISTS = NR_LOWORDER_PCP_LISTS + 2

/** `pcp_allowed_order()`. */
export function pcpAllowedOrder(order: number): boolean {
  return order <= PAGE_ALLOC_COSTLY_ORDER || order === HPAGE_PMD_ORDER
}

/** `order_to_pindex()`. */
export function orderToPindex(mt: number, order: number): number {
  if (order > PAGE_ALLOC_COSTLY_ORDER)
    return NR_LOWORDER_PCP_LISTS + (mt === MIGRATE_MOVABLE ? 1 : 0)
  return MIGRATE_PCPTYPES * order + mt
}

/** `pindex_to_order()`. */
export function pindexToOrder(pindex: number): number {
  if (pindex >= NR_LOWORDER_PCP_LISTS) return HPAGE_PMD_ORDER
  return Math.floor(pindex / MIGRATE_PCPTYPES)
}
