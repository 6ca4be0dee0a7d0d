/**
 * Swap-in of one page (mm/memory.c:do_swap_page → swap_readpage, order 0 as in 6.1): allocate
 * a page with the full slow path, read it (synchronous IO from the cost model), map it as an
 * anon folio on the LRU and free the slot (the model does not keep the swap cache after
 * swap-in). Counts pswpin.
 */
import { GFP_HIGHUSER_MOVABLE } from '../mm/gfp'
import { type Machine } from '../mm/machine'
import { freePages } from '../mm/free'
import { NO_PAGE } from '../mm/memmap'
import { makeAnonLruFolio } from '../migrate/anonFolio'
import { countReclaimEvent, PSWPIN } from './counters'
import { lruAdd } from './lru'
import { allocPagesReclaim, type AllocResult } from './slowpath'
import { swapFree } from './swap'
import { reclaimCost, type ReclaimEnv, SWAP_READAHEAD_PAGES } from './types'

/** Fault `slot` back in; returns the allocation result (pfn NO_PAGE if it failed; the slot stays). */
export function swapinFolio(
  m: Machine,
  slot: number,
  env: ReclaimEnv,
  gfp = GFP_HIGHUSER_MOVABLE,
): AllocResult {
  const res = allocPagesReclaim(m, gfp, 0, env)
  if (res.pfn === NO_PAGE) return res
  const rc = reclaimCost(env)
  env.clock.nowNs += rc.swapReadLatencyNs + rc.swapReadNsPerPage
  countReclaimEvent(m, PSWPIN, 1)
  makeAnonLruFolio(m, res.pfn, 1)
  lruAdd(m, res.pfn)
  swapFree(m, slot, 1)
  res.latencyNs += rc.swapReadLatencyNs + rc.swapReadNsPerPage
  return res
}

/**
 * do_swap_page for every page of `nrPages` contiguous slots (a large folio swapped out whole
 * comes back as order-0 folios, as swap-in is in 6.1), read in SWAP_READAHEAD_PAGES windows
 * (one IO latency per window, as swap readahead brings its neighbours into the swap cache for
 * the next faults): all pages are allocated first, so
 * that a failure leaves the entry intact (VM_FAULT_OOM); then each is read, mapped once as an
 * anon LRU folio, and its slot freed. Returns the pfns, or null if an allocation failed.
 */
export function swapinRange(
  m: Machine,
  slot: number,
  nrPages: number,
  env: ReclaimEnv,
  gfp = GFP_HIGHUSER_MOVABLE,
): number[] | null {
  const pfns: number[] = []
  for (let i = 0; i < nrPages; i++) {
    const res = allocPagesReclaim(m, gfp, 0, env)
    if (res.pfn === NO_PAGE) {
      for (const p of pfns) freePages(m, p, 0)
      return null
    }
    pfns.push(res.pfn)
  }
  const rc = reclaimCost(env)
  // One read per readahead window of contiguous slots.
  const reads = Math.ceil(nrPages / SWAP_READAHEAD_PAGES)
  env.clock.nowNs += reads * rc.swapReadLatencyNs + rc.swapReadNsPerPage * nrPages
  countReclaimEvent(m, PSWPIN, nrPages)
  for (const pfn of pfns) {
    makeAnonLruFolio(m, pfn, 1)
    lruAdd(m, pfn)
  }
  swapFree(m, slot, nrPages)
  return pfns
}
