/**
 * Folios: references (`folio_get`/`folio_put`, speculative `get_page_unless_zero`), mapcount,
 * FOLL_LONGTERM pins, and the flags reclaim and migration look at. All functions take any pfn
 * of the folio unless noted; the head is found from the aligned allocation heads.
 */
import { freeThePage, putPageTestzero } from './free'
import { type Machine } from './machine'
import {
  GUP_PIN_COUNTING_BIAS,
  PAGE_ALLOC,
  PAGE_EXTRA,
  PG_active,
  PG_dirty,
  PG_file,
  PG_head,
  PG_locked,
  PG_lru,
  PG_mlocked,
  PG_unevictable,
  PG_writeback,
  pageFlags,
  pageOrder,
  setPageFlags,
  setPageOrder,
} from './memmap'
import { reportViolation } from './violation'
import { VM_NR_DIRTY, VM_NR_WRITEBACK } from './vmstatItems'

/**
 * `compound_head()` / `page_folio()`: the head pfn of the compound page holding `pfn`, or
 * `pfn` itself for a head, an order-0 page, a free page or a non-compound page.
 */
export function compoundHead(m: Machine, pfn: number): number {
  if ((pageFlags(m, pfn) & PAGE_ALLOC) !== 0) return pfn
  for (let o = 1; o <= m.maxOrder; o++) {
    const cand = pfn & ~((1 << o) - 1)
    const f = pageFlags(m, cand)
    if ((f & (PAGE_ALLOC | PG_head)) === (PAGE_ALLOC | PG_head) && pageOrder(m, cand) >= o)
      return cand
  }
  return pfn
}

/** `folio_order()`: the compound order, 0 for a non-compound page. */
export function folioOrder(m: Machine, pfn: number): number {
  const h = compoundHead(m, pfn)
  return (pageFlags(m, h) & PG_head) !== 0 ? pageOrder(m, h) : 0
}

/** `folio_nr_pages()`. */
export function folioNrPages(m: Machine, pfn: number): number {
  return 1 << folioOrder(m, pfn)
}

/** `folio_ref_count()`. */
export function folioRefCount(m: Machine, pfn: number): number {
  return m.refcount[compoundHead(m, pfn)]
}

/** `folio_get()`: take a reference on a folio the caller already holds one on. */
export function folioGet(m: Machine, pfn: number): void {
  m.op = 'folio_get'
  const h = compoundHead(m, pfn)
  if (m.debugVm && m.refcount[h] <= 0)
    reportViolation(m, 'folio-get-on-free', h, `folio_get with refcount ${m.refcount[h]}`)
  m.refcount[h]++
}

/**
 * `__page_cache_release()` (mm/swap.c) → `__folio_clear_lru_flags()`: a folio still on the LRU
 * when its last reference goes is taken off it: PG_lru cleared, and PG_active and
 * PG_unevictable too unless both are set (left for bad_page). PG_mlocked is left to
 * `free_pages_prepare`, which clears it with its NR_MLOCK accounting.
 */
function pageCacheRelease(m: Machine, h: number): void {
  const f = pageFlags(m, h)
  if ((f & PG_lru) === 0) return
  let nf = f & ~PG_lru
  if ((f & (PG_active | PG_unevictable)) !== (PG_active | PG_unevictable))
    nf &= ~(PG_active | PG_unevictable)
  setPageFlags(m, h, nf)
}

/**
 * `folio_put()`: drop a reference and free the folio at zero (`__folio_put`: `__page_cache_release`
 * takes an LRU folio off the LRU first), with its compound order. A non-compound high-order block
 * freed this way loses its tail pages, as in the kernel: they stay allocated with refcount 0
 * (leaked).
 */
export function folioPut(m: Machine, pfn: number): void {
  m.op = 'folio_put'
  const h = compoundHead(m, pfn)
  if (!putPageTestzero(m, h)) return
  pageCacheRelease(m, h)
  const order = pageOrder(m, h)
  if ((pageFlags(m, h) & PG_head) !== 0) {
    freeThePage(m, h, order)
    return
  }
  if ((pageFlags(m, h) & PAGE_ALLOC) !== 0 && order > 0) {
    setPageOrder(m, h, 0)
    for (let o = order - 1; o >= 0; o--) {
      const p = h + (1 << o)
      setPageFlags(m, p, PAGE_ALLOC)
      setPageOrder(m, p, o)
      m.refcount[p] = 0
    }
  }
  freeThePage(m, h, 0)
}

/** `get_page_unless_zero()`: a speculative reference on exactly this page; fails on a free page or a tail. */
export function getPageUnlessZero(m: Machine, pfn: number): boolean {
  m.op = 'get_page_unless_zero'
  if (m.refcount[pfn] === 0) return false
  m.refcount[pfn]++
  return true
}

/** `folio_try_get()` on `page_folio(pfn)`: as PFN walkers take speculative references. */
export function folioTryGet(m: Machine, pfn: number): boolean {
  return getPageUnlessZero(m, compoundHead(m, pfn))
}

/** `folio_mapcount()`: number of mappings (0 when unmapped). */
export function folioMapcount(m: Machine, pfn: number): number {
  return m.mapcount[compoundHead(m, pfn)]
}

/** Map or unmap the folio `delta` times (rmap add/remove). */
export function folioAddMapcount(m: Machine, pfn: number, delta: number): void {
  m.op = 'folio_add_mapcount'
  const h = compoundHead(m, pfn)
  if (m.debugVm && (pageFlags(m, h) & PAGE_ALLOC) === 0)
    reportViolation(m, 'map-unallocated', h, 'mapping a page that is not an allocated folio')
  const v = m.mapcount[h] + delta
  if (m.debugVm && v < 0) reportViolation(m, 'mapcount-underflow', h, `mapcount would become ${v}`)
  m.mapcount[h] = v
  setPageFlags(m, h, pageFlags(m, h) | PAGE_EXTRA)
}

/**
 * `try_grab_folio(FOLL_PIN)` as FOLL_LONGTERM users do: a large folio counts in `_pincount`
 * plus one reference; a small one adds `GUP_PIN_COUNTING_BIAS` to its refcount. Pinned folios
 * cannot migrate (the reference count never matches).
 */
export function folioPin(m: Machine, pfn: number): void {
  m.op = 'pin_user_pages'
  const h = compoundHead(m, pfn)
  if (m.debugVm && (m.refcount[h] <= 0 || (pageFlags(m, h) & PAGE_ALLOC) === 0))
    reportViolation(m, 'pin-on-free', h, 'pinning a page that is not an allocated folio')
  if ((pageFlags(m, h) & PG_head) !== 0) {
    m.pincount[h]++
    m.refcount[h]++
    setPageFlags(m, h, pageFlags(m, h) | PAGE_EXTRA)
  } else {
    m.refcount[h] += GUP_PIN_COUNTING_BIAS
  }
}

/** `unpin_user_page()`: undo `folioPin`; frees the folio if that was the last reference. */
export function folioUnpin(m: Machine, pfn: number): void {
  m.op = 'unpin_user_page'
  const h = compoundHead(m, pfn)
  if ((pageFlags(m, h) & PG_head) !== 0) {
    if (m.debugVm && m.pincount[h] <= 0)
      reportViolation(m, 'pincount-underflow', h, 'unpin without pin')
    m.pincount[h]--
    folioPut(m, h)
    return
  }
  if (m.debugVm && m.refcount[h] < GUP_PIN_COUNTING_BIAS)
    reportViolation(m, 'pincount-underflow', h, 'unpin without pin')
  m.refcount[h] -= GUP_PIN_COUNTING_BIAS - 1
  folioPut(m, h)
}

/** `folio_maybe_dma_pinned()`. */
export function folioMaybeDmaPinned(m: Machine, pfn: number): boolean {
  const h = compoundHead(m, pfn)
  if ((pageFlags(m, h) & PG_head) !== 0) return m.pincount[h] > 0
  return m.refcount[h] >= GUP_PIN_COUNTING_BIAS
}

/** Test a folio flag (PG_* from memmap.ts) on the head. */
export function folioTestFlag(m: Machine, pfn: number, flag: number): boolean {
  return (pageFlags(m, compoundHead(m, pfn)) & flag) !== 0
}

/**
 * Set or clear folio flags on the head. Accounted flags keep their counters: PG_dirty on a
 * file folio (nr_dirty, nr_zone_write_pending), PG_writeback (nr_writeback,
 * nr_zone_write_pending), PG_mlocked (nr_mlock). Setting a flag that is set is a no-op.
 */
export function folioSetFlags(m: Machine, pfn: number, flags: number, on: boolean): void {
  m.op = 'folio_set_flags'
  const h = compoundHead(m, pfn)
  if (m.debugVm && (pageFlags(m, h) & PAGE_ALLOC) === 0)
    reportViolation(m, 'flag-on-free', h, 'setting folio flags on a free page')
  const old = pageFlags(m, h)
  const changed = on ? flags & ~old : flags & old
  if (changed === 0) return
  const nr = (old & PG_head) !== 0 ? 1 << pageOrder(m, h) : 1
  const sign = on ? 1 : -1
  const z = m.zones[m.pbZone[h >> m.pageblockOrder]]
  if ((changed & PG_dirty) !== 0 && (old & PG_file) !== 0) {
    m.vmEvents[VM_NR_DIRTY] += sign * nr
    z.nrZoneWritePending += sign * nr
  }
  if ((changed & PG_writeback) !== 0) {
    m.vmEvents[VM_NR_WRITEBACK] += sign * nr
    z.nrZoneWritePending += sign * nr
  }
  if ((changed & PG_mlocked) !== 0) z.nrMlock += sign * nr
  setPageFlags(m, h, on ? old | changed : old & ~changed)
}

/** `folio_trylock()`: false if already locked. */
export function folioTrylock(m: Machine, pfn: number): boolean {
  const h = compoundHead(m, pfn)
  if ((pageFlags(m, h) & PG_locked) !== 0) return false
  setPageFlags(m, h, pageFlags(m, h) | PG_locked)
  return true
}

/** `folio_unlock()`. */
export function folioUnlock(m: Machine, pfn: number): void {
  const h = compoundHead(m, pfn)
  if (m.debugVm && (pageFlags(m, h) & PG_locked) === 0)
    reportViolation(m, 'unlock-unlocked', h, 'folio_unlock on an unlocked folio')
  setPageFlags(m, h, pageFlags(m, h) & ~PG_locked)
}
