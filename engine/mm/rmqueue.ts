/**
 * Taking blocks off the buddy lists under the zone lock: `__rmqueue` (per era),
 * `rmqueue_bulk` (per-cpu refill) and `rmqueue_buddy`.
 */
import {
  ALLOC_CMA,
  ALLOC_HIGHATOMIC,
  ALLOC_NOFRAGMENT,
  ALLOC_NON_BLOCK,
  ALLOC_OOM,
} from './allocFlags'
import { rmqueueClaim, rmqueueFallback, rmqueueSteal } from './fallback'
import { type Machine } from './machine'
import { NO_PAGE } from './memmap'
import { MIGRATE_HIGHATOMIC } from './migratetype'
import { rmqueueCmaFallback, rmqueueSmallest } from './rmqueueSmallest'
import { type Zone } from './zone'

/** `enum rmqueue_mode` [6.15+]: where the last successful `__rmqueue` found its page. */
export const RMQUEUE_NORMAL = 0
export const RMQUEUE_CMA = 1
export const RMQUEUE_CLAIM = 2
export const RMQUEUE_STEAL = 3

/** [6.15+] `__rmqueue` mode machine: NORMAL → CMA → CLAIM → STEAL (STEAL skipped under ALLOC_NOFRAGMENT). */
function rmqueueModal(m: Machine, z: Zone, order: number, mt: number, allocFlags: number): number {
  let page = NO_PAGE
  // The caller's `rmqueue_mode` (a local of rmqueue_bulk/rmqueue_buddy), kept on the machine.
  const mode = m.rmqueueMode
  if (mode <= RMQUEUE_NORMAL) {
    page = rmqueueSmallest(m, z, order, mt)
    if (page !== NO_PAGE) return page
  }
  if (mode <= RMQUEUE_CMA && (allocFlags & ALLOC_CMA) !== 0) {
    page = rmqueueCmaFallback(m, z, order)
    if (page !== NO_PAGE) {
      m.rmqueueMode = RMQUEUE_CMA
      return page
    }
  }
  if (mode <= RMQUEUE_CLAIM) {
    page = rmqueueClaim(m, z, order, mt, allocFlags)
    if (page !== NO_PAGE) {
      m.rmqueueMode = RMQUEUE_NORMAL
      return page
    }
  }
  if ((allocFlags & ALLOC_NOFRAGMENT) === 0) {
    page = rmqueueSteal(m, z, order, mt)
    if (page !== NO_PAGE) {
      m.rmqueueMode = RMQUEUE_STEAL
      return page
    }
  }
  return NO_PAGE
}

/**
 * `__rmqueue()`. All eras first serve movable requests from CMA when free CMA pages exceed half
 * the zone's free pages. Then [≤6.9] smallest → CMA → fallback-and-retry; [6.10–6.14] smallest →
 * CMA → `__rmqueue_fallback` (which returns the page); [6.15+] the mode machine.
 */
export function rmqueue(
  m: Machine,
  z: Zone,
  order: number,
  mt: number,
  allocFlags: number,
): number {
  let page: number
  if ((allocFlags & ALLOC_CMA) !== 0 && z.nrFreeCmaPages > Math.floor(z.nrFreePages / 2)) {
    page = rmqueueCmaFallback(m, z, order)
    if (page !== NO_PAGE) return page
  }
  if (m.claimSteal) return rmqueueModal(m, z, order, mt, allocFlags)
  for (;;) {
    page = rmqueueSmallest(m, z, order, mt)
    if (page !== NO_PAGE) return page
    if ((allocFlags & ALLOC_CMA) !== 0) {
      page = rmqueueCmaFallback(m, z, order)
      if (page !== NO_PAGE) return page
    }
    page = rmqueueFallback(m, z, order, mt, allocFlags)
    if (m.hygiene || page === NO_PAGE) return page
    // ≤6.9: the fallback moved pages onto `mt`'s lists; retry __rmqueue_smallest.
  }
}

/** Start a new `rmqueue_mode` sequence (a fresh `rmqueue_bulk`/`rmqueue_buddy` call). */
export function rmqueueModeReset(m: Machine): void {
  m.rmqueueMode = RMQUEUE_NORMAL
}

/**
 * `rmqueue_buddy()` (6.3+, and 6.1 stable): with ALLOC_HIGHATOMIC try the HIGHATOMIC lists
 * first; then `__rmqueue`; if that fails, OOM and non-blocking callers may dip into HIGHATOMIC.
 */
export function rmqueueBuddy(
  m: Machine,
  z: Zone,
  order: number,
  allocFlags: number,
  mt: number,
): number {
  let page = NO_PAGE
  m.rmqueueMode = RMQUEUE_NORMAL
  if ((allocFlags & ALLOC_HIGHATOMIC) !== 0) page = rmqueueSmallest(m, z, order, MIGRATE_HIGHATOMIC)
  if (page === NO_PAGE) {
    page = rmqueue(m, z, order, mt, allocFlags)
    if (page === NO_PAGE && (allocFlags & (ALLOC_OOM | ALLOC_NON_BLOCK)) !== 0) {
      page = rmqueueSmallest(m, z, order, MIGRATE_HIGHATOMIC)
    }
  }
  return page
}
