/**
 * Splitting a large folio into order-0 folios when migration cannot get a destination of its
 * order, or finds it queued for deferred split (mm/migrate.c:try_split_folio →
 * mm/huge_memory.c:split_huge_page_to_list, 6.1; split_huge_page_to_list_to_order, 6.12), and
 * in place for the deferred split shrinker (`split_folio`).
 *
 * Reference convention (as in the kernel): every mapping of a folio holds one reference, the
 * page cache holds one per page, and the isolator holds one. `can_split_folio` therefore
 * requires `refcount == mapcount + extra_pins + 1` (extra_pins: nr_pages for page cache, 0 for
 * anon); a pin or a speculative reference makes the split fail with -EAGAIN. Each piece ends
 * with its own isolation reference, its mappings' references and (file) its cache reference,
 * and sits on the caller's list (tails in descending order, then the head, as
 * `__split_huge_page` and `try_split_folio` queue them).
 */
import {
  PAGE_EXTRA,
  pageFlags,
  setPageFlags,
  pageOrder,
  setPageOrder,
  PAGE_ALLOC,
  PG_anon,
  PG_file,
  PG_head,
  PG_locked,
  PG_partially_mapped,
  PG_private,
} from '../mm/memmap'
import { type CostModel } from '../sched/costModel'
import { HPAGE_PMD_ORDER } from '../mm/pcpIndex'
import { eraAtLeast, type Machine } from '../mm/machine'
import {
  deferredSplitFolio,
  folioUnqueueDeferredSplit,
  modMthpStat,
  MTHP_STAT_NR_ANON,
  MTHP_STAT_SPLIT,
  MTHP_STAT_SPLIT_FAILED,
} from '../mm/deferredSplit'
import { countVmEvent } from '../mm/vmstat'
import { VM_THP_SPLIT_PAGE, VM_THP_SPLIT_PAGE_FAILED } from '../mm/vmstatItems'
import { notifySplit } from './counters'
import { type SimClock } from './simClock'
import { EAGAIN, EBUSY } from './types'

/**
 * `try_split_folio(folio, split_folios)`: split the isolated large folio `head` into order-0
 * folios appended to `list`. Returns 0, -EAGAIN (extra references or the folio lock held by
 * somebody else: the kernel's folio_lock would sleep, which a synchronous call cannot) or
 * -EBUSY (anon folio without an anon_vma, i.e. unmapped; a file folio with private data;
 * neither anon nor file).
 */
export function trySplitFolio(
  m: Machine,
  head: number,
  list: number[],
  clock: SimClock,
  cost: CostModel,
): number {
  const f = pageFlags(m, head)
  if ((f & PG_head) === 0 || (f & PAGE_ALLOC) === 0) return -EBUSY
  if ((f & PG_locked) !== 0) return -EAGAIN
  clock.nowNs += cost.lockNs
  const rc = splitHugePageToList(m, head, list, clock, cost)
  clock.nowNs += cost.lockNs
  return rc
}

/**
 * `split_folio(folio)` (`split_huge_page_to_list_to_order(folio, NULL, 0)`) of a folio that is
 * not isolated, as the deferred-split shrinker calls it on a folio it holds one reference on and
 * has locked: the pieces stay on the LRU (`lru_add_split_folio`), the head keeps the caller's
 * reference. Returns 0, -EAGAIN or -EBUSY as `trySplitFolio`.
 */
export function splitFolio(m: Machine, head: number, clock: SimClock, cost: CostModel): number {
  const f = pageFlags(m, head)
  if ((f & PG_head) === 0 || (f & PAGE_ALLOC) === 0) return -EBUSY
  return splitHugePageToList(m, head, null, clock, cost)
}

/** The end of split_huge_page_to_list_to_order: THP_SPLIT_PAGE(_FAILED) and the mTHP counters. */
function countSplit(m: Machine, order: number, rc: number): number {
  if (order >= HPAGE_PMD_ORDER)
    countVmEvent(m, rc === 0 ? VM_THP_SPLIT_PAGE : VM_THP_SPLIT_PAGE_FAILED, 1)
  modMthpStat(m, order, rc === 0 ? MTHP_STAT_SPLIT : MTHP_STAT_SPLIT_FAILED, 1)
  return rc
}

function splitHugePageToList(
  m: Machine,
  head: number,
  list: number[] | null,
  clock: SimClock,
  cost: CostModel,
): number {
  const f = pageFlags(m, head)
  const order = pageOrder(m, head)
  const nr = 1 << order
  const anon = (f & PG_anon) !== 0
  const file = !anon && (f & PG_file) !== 0
  const mapcount = m.mapcount[head]
  // folio_get_anon_vma() is NULL for an unmapped anon folio; a file folio needs its mapping.
  if (anon && mapcount === 0) return countSplit(m, order, -EBUSY)
  if (!anon && !file) return -EBUSY
  // filemap_release_folio() of the buffers is not modelled: a file folio with private data stays whole.
  if (file && (f & PG_private) !== 0) return -EBUSY
  const extraPins = file ? nr : 0
  // mm/huge_memory.c:can_split_folio
  if (mapcount !== m.refcount[head] - extraPins - 1) return countSplit(m, order, -EAGAIN)
  // unmap_folio → try_to_migrate: the PMD (if any) is split into PTEs, which are unmapped one
  // at a time, so a mapped anon folio is found partially mapped and queued on the way
  // (deferred_split_folio(folio, true), counted split_deferred); [6.9+] also a PTE-mapped mTHP.
  if (anon && order > 1 && (order >= HPAGE_PMD_ORDER || eraAtLeast(m, '6.9')))
    deferredSplitFolio(m, head, true)
  // Under folio_ref_freeze: off the deferred split queue; one anon folio of this size less.
  folioUnqueueDeferredSplit(m, head)
  if (anon) modMthpStat(m, order, MTHP_STAT_NR_ANON, -1)

  // unmap_folio + remap_page: every mapping goes through migration entries and comes back as
  // nr PTEs; one flush for the PMD-level unmap.
  clock.nowNs += cost.pteUnmapNs * mapcount * (1 + nr) + cost.bookkeepingNs * nr
  if (mapcount > 0) clock.nowNs += cost.tlbFlushNs

  // Isolated (list): every piece gets an isolation reference; in place, only the head keeps the
  // caller's, and the tails are mapped LRU folios.
  const tailRefs = (list ? 1 : 0) + mapcount + (file ? 1 : 0)
  // PAGE_EXTRA: the pieces carry mapcounts, which the free path must reset.
  const pieceFlags = (f & ~(PG_head | PG_partially_mapped)) | PAGE_ALLOC | PAGE_EXTRA
  for (let i = nr - 1; i >= 1; i--) {
    const p = head + i
    setPageFlags(m, p, pieceFlags)
    setPageOrder(m, p, 0)
    m.refcount[p] = tailRefs
    m.mapcount[p] = mapcount
    m.pincount[p] = 0
    list?.push(p)
  }
  setPageFlags(m, head, pieceFlags)
  setPageOrder(m, head, 0)
  m.refcount[head] = 1 + mapcount + (file ? 1 : 0)
  m.pincount[head] = 0
  list?.push(head)
  countSplit(m, order, 0)
  const pieces: number[] = []
  for (let i = 0; i < nr; i++) pieces.push(head + i)
  notifySplit(m, head, pieces)
  return 0
}
