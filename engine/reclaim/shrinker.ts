/**
 * Shrinkers under reclaim (mm/shrinker.c:shrink_slab → do_shrink_slab, 6.12; the same
 * arithmetic in 6.1's mm/vmscan.c). The model has one shrinker, the THP deferred split shrinker
 * ("thp-deferred_split", mm/huge_memory.c: `deferred_split_count` / `deferred_split_scan`,
 * DEFAULT_SEEKS, SHRINK_BATCH), which splits the large anon folios queued on the node's deferred
 * split queue (engine/mm/deferredSplit.ts). `shrink_node` calls `shrinkSlab` once per pass after
 * the LRU lists (`shrink_node_memcgs`), for direct reclaim and kswapd alike.
 *
 * Where the model departs: one root memcg (the queue and `nr_deferred` are per node); no slab
 * caches, so `shrink_slab` runs only this shrinker; `thp_underused` is false, as with the
 * default `khugepaged/max_ptes_none` (511), which makes it return early; split pieces are added
 * at the head of their LRU list rather than next to the head page.
 */
import {
  deferredSplitCount,
  deferredSplitScanDone,
  deferredSplitState,
  deferredSplitTakeHead,
  folioTestPartiallyMapped,
} from '../mm/deferredSplit'
import { folioPut, folioTrylock, folioUnlock } from '../mm/folio'
import { eraAtLeast, type Machine } from '../mm/machine'
import { pageOrder } from '../mm/memmap'
import { splitFolio } from '../migrate/split'
import { lruAdd } from './lru'
import { reclaimCost, type ReclaimEnv } from './types'

/** `SHRINK_BATCH`. */
export const SHRINK_BATCH = 128
/** `DEFAULT_SEEKS`. */
export const DEFAULT_SEEKS = 2
/** `SHRINK_STOP`. */
export const SHRINK_STOP = -1

/**
 * mm/huge_memory.c:deferred_split_scan: take up to `nrToScan` folios off the queue head (each
 * with a reference), split those that are partially mapped (6.12; before 6.12 every queued
 * folio) and that it can lock; put the unsplit partially mapped ones back at the tail and drop
 * the others from the queue (6.12: not partially mapped and not underused). Returns the number
 * split, or SHRINK_STOP when none was and the queue is empty.
 */
export function deferredSplitScan(
  m: Machine,
  nid: number,
  nrToScan: number,
  env: ReclaimEnv,
): number {
  const flagged = eraAtLeast(m, '6.12')
  const list = deferredSplitTakeHead(m, nid, nrToScan)
  const keep: number[] = []
  const drop: number[] = []
  let split = 0
  for (const h of list) {
    m.refcount[h]++ // folio_try_get
    env.clock.nowNs += reclaimCost(env).scanFolioNs
    let didSplit = false
    const partial = !flagged || folioTestPartiallyMapped(m, h)
    // !partially mapped: thp_underused() is false with max_ptes_none = 511.
    if (partial && folioTrylock(m, h)) {
      const nrPages = 1 << pageOrder(m, h)
      if (splitFolio(m, h, env.clock, env.cost) === 0) {
        didSplit = true
        split++
        // lru_add_split_folio: the pieces are LRU folios of their own.
        for (let p = h; p < h + nrPages; p++) lruAdd(m, p)
      }
      folioUnlock(m, h)
    }
    // split_folio took it off the queue; an unsplit partially mapped folio goes back, any
    // other leaves it.
    if (!didSplit) (partial ? keep : drop).push(h)
    folioPut(m, h)
  }
  deferredSplitScanDone(m, nid, keep, drop)
  if (split === 0 && deferredSplitCount(m, nid) === 0) return SHRINK_STOP
  return split
}

/**
 * mm/shrinker.c:do_shrink_slab for the deferred split shrinker on node `nid` at `priority`:
 * `delta = (freeable >> priority) * 4 / seeks` plus the deferred work `nr >> priority`, capped at
 * twice the freeable count, scanned in batches of SHRINK_BATCH (or all at once when that is
 * everything); what was not scanned is carried over in `nr_deferred`. Returns the folios split.
 */
export function shrinkSlab(m: Machine, nid: number, priority: number, env: ReclaimEnv): number {
  const freeable = deferredSplitCount(m, nid)
  if (freeable === 0) return 0
  const s = deferredSplitState(m)
  const nr = s.nrDeferred[nid]
  s.nrDeferred[nid] = 0
  const delta = Math.floor((Math.floor(freeable / 2 ** priority) * 4) / DEFAULT_SEEKS)
  let totalScan = Math.min(Math.floor(nr / 2 ** priority) + delta, 2 * freeable)
  let freed = 0
  let scanned = 0
  while (totalScan >= SHRINK_BATCH || totalScan >= freeable) {
    const nrToScan = Math.min(SHRINK_BATCH, totalScan)
    const ret = deferredSplitScan(m, nid, nrToScan, env)
    if (ret === SHRINK_STOP) break
    freed += ret
    totalScan -= nrToScan
    scanned += nrToScan
  }
  const nextDeferred = Math.min(Math.max(nr + delta - scanned, 0), 2 * freeable)
  s.nrDeferred[nid] += nextDeferred
  return freed
}
