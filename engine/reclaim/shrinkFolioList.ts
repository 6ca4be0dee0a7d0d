/**
 * mm/vmscan.c:shrink_folio_list: decide, folio by folio, what reclaim does with an isolated
 * batch. Clean page cache is dropped; dirty page cache is handed to writeback (PG_reclaim, freed
 * on a later pass once the IO completes and `folio_rotate_reclaimable` put it at the inactive
 * tail); anon folios get swap slots (`add_to_swap`), are unmapped, written (`pageout` →
 * `swap_writepage`) and freed when the write completed; a large anon folio without contiguous
 * swap is split and its pieces reprocessed (`thp_swpout_fallback`, seed 002). Unevictable,
 * referenced, pinned and extra-referenced folios are kept or activated.
 */
import { folioMaybeDmaPinned, folioPut, folioSetFlags } from '../mm/folio'
import { __GFP_IO } from '../mm/gfp'
import { type Machine, eraAtLeast } from '../mm/machine'
import {
  PAGE_ALLOC,
  PG_active,
  PG_anon,
  PG_dirty,
  PG_head,
  PG_locked,
  PG_mlocked,
  PG_reclaim,
  PG_referenced,
  PG_swapbacked,
  PG_workingset,
  PG_writeback,
  pageFlags,
  pageOrder,
  setPageFlags,
} from '../mm/memmap'
import { HPAGE_PMD_ORDER } from '../mm/pcpIndex'
import { trySplitFolio } from '../migrate/split'
import {
  countReclaimEvent,
  NR_VMSCAN_IMMEDIATE,
  NR_VMSCAN_WRITE,
  PGACTIVATE,
  PSWPOUT,
  THP_SWPOUT,
  THP_SWPOUT_FALLBACK,
} from './counters'
import { folioEvictable, folioIsFileLru, folioReferenced, lruOf } from './lru'
import { notifyUnmapped } from './observers'
import { folioAllocSwap, folioSwapEntry, setFolioSwapEntry, swapDevice } from './swap'
import { defaultReclaimVariants, reclaimCost, type ReclaimEnv, type ScanControl } from './types'
import { folioStartWriteback } from './writeback'

/** `struct reclaim_stat`. */
export interface ReclaimStat {
  nrDirty: number
  nrUnqueuedDirty: number
  nrCongested: number
  nrWriteback: number
  nrImmediate: number
  nrPageout: number
  nrActivate: number
  nrRefKeep: number
  nrUnmapFail: number
}

type FolioRef = 'activate' | 'keep' | 'reclaim' | 'reclaim-clean'

function nrPagesOf(m: Machine, h: number): number {
  return (pageFlags(m, h) & PG_head) !== 0 ? 1 << pageOrder(m, h) : 1
}

/** mm/vmscan.c:folio_check_references: PTE young bits and PG_referenced decide. */
function folioCheckReferences(m: Machine, h: number): FolioRef {
  const referencedPtes = folioReferenced(m, lruOf(m), h)
  const f = pageFlags(m, h)
  const referencedFolio = (f & PG_referenced) !== 0
  setPageFlags(m, h, f & ~PG_referenced)
  if (referencedPtes > 0) {
    setPageFlags(m, h, pageFlags(m, h) | PG_referenced)
    if (referencedFolio || referencedPtes > 1) return 'activate'
    return 'keep'
  }
  if (referencedFolio && folioIsFileLru(m, h)) return 'reclaim-clean'
  return 'reclaim'
}

/** mm/huge_memory.c:can_split_folio for an isolated folio: only its mappings' references. */
function canSplitFolio(m: Machine, h: number): boolean {
  const extraPins = folioSwapEntry(m, h) >= 0 || folioIsFileLru(m, h) ? nrPagesOf(m, h) : 0
  return m.mapcount[h] === m.refcount[h] - extraPins - 1
}

/**
 * Reclaim what can be reclaimed of the isolated folios in `list` (head pfns, each holding the
 * isolation reference); splits append their pieces to `list`. Folios not freed go to `ret`
 * (activated ones with PG_active set), for the caller's putback. Returns base pages freed.
 */
export function shrinkFolioList(
  m: Machine,
  list: number[],
  sc: ScanControl,
  env: ReclaimEnv,
  ret: number[],
  stat: ReclaimStat,
): number {
  const rc = reclaimCost(env)
  const v = { ...defaultReclaimVariants(m), ...env.variants }
  const clock = env.clock
  const fallbackAnyLarge = !eraAtLeast(m, '6.10')
  let nrReclaimed = 0
  let unmapped = false

  const activate = (h: number, nr: number): void => {
    if ((pageFlags(m, h) & PG_mlocked) === 0) {
      setPageFlags(m, h, pageFlags(m, h) | PG_active)
      stat.nrActivate += nr
      countReclaimEvent(m, PGACTIVATE, nr)
    }
    ret.push(h)
  }

  for (let i = 0; i < list.length; i++) {
    const h = list[i]
    let nr = nrPagesOf(m, h)
    clock.nowNs += rc.scanFolioNs
    if ((pageFlags(m, h) & PG_locked) !== 0) {
      ret.push(h)
      continue
    }
    sc.nrScanned += nr
    if (!folioEvictable(m, h)) {
      activate(h, nr)
      continue
    }
    if (!sc.mayUnmap && m.mapcount[h] > 0) {
      ret.push(h)
      continue
    }
    let f = pageFlags(m, h)
    const file = folioIsFileLru(m, h)
    // folio_check_dirty_writeback: anon folios are not the flushers' business.
    if (file && (f & (PG_dirty | PG_writeback)) !== 0) {
      stat.nrDirty += nr
      if ((f & PG_writeback) === 0) stat.nrUnqueuedDirty += nr
      else if ((f & PG_reclaim) !== 0) stat.nrCongested += nr
    }
    if ((f & PG_writeback) !== 0) {
      // Under IO: mark for immediate reclaim when it completes, and move on.
      setPageFlags(m, h, f | PG_reclaim)
      stat.nrWriteback += nr
      activate(h, nr)
      continue
    }
    const ref = folioCheckReferences(m, h)
    if (ref === 'activate') {
      activate(h, nr)
      continue
    }
    if (ref === 'keep') {
      stat.nrRefKeep += nr
      ret.push(h)
      continue
    }
    f = pageFlags(m, h)
    const anon = (f & (PG_anon | PG_swapbacked)) === (PG_anon | PG_swapbacked)
    if (anon && folioSwapEntry(m, h) < 0) {
      if ((sc.gfpMask & __GFP_IO) === 0 || folioMaybeDmaPinned(m, h)) {
        ret.push(h)
        continue
      }
      const large = (f & PG_head) !== 0
      if (large && !canSplitFolio(m, h)) {
        activate(h, nr)
        continue
      }
      let slot = folioAllocSwap(m, nr, v)
      if (slot < 0) {
        if (!large) {
          activate(h, nr)
          continue
        }
        // add_to_swap failed for the large folio: split it and retry the head alone.
        const pieces: number[] = []
        if (trySplitFolio(m, h, pieces, clock, env.cost) !== 0) {
          activate(h, nr)
          continue
        }
        if (fallbackAnyLarge || nr >= 1 << HPAGE_PMD_ORDER)
          countReclaimEvent(m, THP_SWPOUT_FALLBACK, 1)
        for (const p of pieces) if (p !== h) list.push(p)
        sc.nrScanned -= nr - 1
        nr = 1
        slot = folioAllocSwap(m, 1, v)
        if (slot < 0) {
          activate(h, nr)
          continue
        }
      }
      // add_to_swap: the swap cache holds one reference per page; the folio is dirty.
      setFolioSwapEntry(m, h, slot)
      m.refcount[h] += nr
      folioSetFlags(m, h, PG_dirty, true)
    }
    if (m.mapcount[h] > 0) {
      // try_to_unmap: PTEs become swap entries (anon) or are cleared (file).
      const maps = m.mapcount[h]
      clock.nowNs += env.cost.pteUnmapNs * maps
      m.refcount[h] -= maps
      m.mapcount[h] = 0
      unmapped = true
      notifyUnmapped(m, h, nr, anon ? folioSwapEntry(m, h) : -1)
    }
    if (folioMaybeDmaPinned(m, h)) {
      activate(h, nr)
      continue
    }
    if ((pageFlags(m, h) & PG_dirty) !== 0) {
      if (file) {
        // The flushers write it; reclaim marks it for immediate reclaim on completion.
        const doneNs = clock.nowNs + rc.writebackLatencyNs + rc.writebackNsPerPage * nr
        folioStartWriteback(m, h, doneNs)
        setPageFlags(m, h, pageFlags(m, h) | PG_reclaim)
        countReclaimEvent(m, NR_VMSCAN_IMMEDIATE, nr)
        activate(h, nr)
        continue
      }
      if (ref === 'reclaim-clean' || !sc.mayWritepage) {
        ret.push(h)
        continue
      }
      // pageout → swap_writepage
      stat.nrPageout += nr
      countReclaimEvent(m, NR_VMSCAN_WRITE, nr)
      countReclaimEvent(m, PSWPOUT, nr)
      if (nr >= 1 << HPAGE_PMD_ORDER) countReclaimEvent(m, THP_SWPOUT, 1)
      const ioNs = rc.swapWriteLatencyNs + rc.swapWriteNsPerPage * nr
      if (!swapDevice(m).synchronousIo) {
        folioStartWriteback(m, h, clock.nowNs + ioNs)
        setPageFlags(m, h, pageFlags(m, h) | PG_reclaim)
        ret.push(h)
        continue
      }
      clock.nowNs += ioNs
      folioSetFlags(m, h, PG_dirty, false)
    }
    // __remove_mapping: freeze the references the cache and we hold; anything else keeps it.
    const swapcache = folioSwapEntry(m, h) >= 0
    if (anon && !swapcache) {
      ret.push(h)
      continue
    }
    if (m.refcount[h] !== 1 + nr) {
      ret.push(h)
      continue
    }
    if (swapcache) setFolioSwapEntry(m, h, -1)
    setPageFlags(m, h, pageFlags(m, h) & ~(PG_active | PG_referenced | PG_reclaim | PG_workingset))
    m.refcount[h] = 1
    folioPut(m, h)
    clock.nowNs += env.cost.freeNs
    nrReclaimed += nr
  }
  if (unmapped) clock.nowNs += env.cost.tlbFlushNs
  return nrReclaimed
}

/** A fresh `reclaim_stat`. */
export function createReclaimStat(): ReclaimStat {
  return {
    nrDirty: 0,
    nrUnqueuedDirty: 0,
    nrCongested: 0,
    nrWriteback: 0,
    nrImmediate: 0,
    nrPageout: 0,
    nrActivate: 0,
    nrRefKeep: 0,
    nrUnmapFail: 0,
  }
}

/** True if `h` is still an allocated folio head (not freed by reclaim). */
export function folioAlive(m: Machine, h: number): boolean {
  return (pageFlags(m, h) & PAGE_ALLOC) !== 0
}
