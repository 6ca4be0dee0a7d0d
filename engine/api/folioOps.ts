/**
 * Argument checks and flag changes behind the workload API's folio calls. The state itself
 * lives in engine/mm (folioPin, folioSetFlags, ...); these wrappers refuse what would
 * corrupt the model whatever `debugVm` says (a use after free, an unpin without a pin), since
 * a workload bug must become a clear script error, not a silently wrong machine.
 */
import {
  compoundHead,
  folioOrder,
  PAGE_ALLOC,
  pageOrder,
  folioMaybeDmaPinned,
  folioPin,
  folioSetFlags,
  folioUnpin,
  pageFlags,
  PG_dirty,
  PG_locked,
  PG_mlocked,
  PG_reserved,
  PG_unevictable,
  PG_writeback,
  type Machine,
} from '../mm'

function hex(pfn: number): string {
  return '0x' + pfn.toString(16)
}

/** Checks that `pfn` is inside the machine. */
export function assertPfn(m: Machine, pfn: number, what: string): void {
  if (!Number.isInteger(pfn) || pfn < 0 || pfn >= m.endPfn) {
    throw new RangeError(`${what}: pfn ${pfn} is outside the machine (0..${hex(m.endPfn - 1)})`)
  }
}

/**
 * Checks that `pfn` names a live folio (VM_BUG_ON_FOLIO(!folio_ref_count(folio))): calling
 * into a freed folio is a use after free.
 */
export function assertLiveFolio(m: Machine, pfn: number, what: string): void {
  assertPfn(m, pfn, what)
  if ((pageFlags(m, pfn) & PG_reserved) !== 0) {
    throw new Error(
      `${what}: pfn ${hex(pfn)} is a reserved page (PG_reserved: boot memory, never a folio)`,
    )
  }
  if (m.refcount[compoundHead(m, pfn)] <= 0) {
    throw new Error(`${what}: folio at pfn ${hex(pfn)} has been freed (use after free)`)
  }
}

/**
 * The order of the allocation a handle names: the folio's order for a compound page, and for
 * a non-compound high-order block (GFP_KERNEL without __GFP_COMP) the order it was allocated
 * with, which `folio_order` does not know (0) but `__free_pages(page, order)` must be given:
 * mm/page_alloc.c:__free_pages frees `2^order` pages from `page`, so passing 0 would free the
 * first page only and leak the rest.
 */
export function allocationOrder(m: Machine, pfn: number): number {
  const h = compoundHead(m, pfn)
  return h === pfn && (pageFlags(m, h) & PAGE_ALLOC) !== 0 ? pageOrder(m, h) : folioOrder(m, pfn)
}

/** pin_user_pages(FOLL_LONGTERM) on one folio (mm/gup.c:try_grab_folio). */
export function pinFolio(m: Machine, pfn: number): void {
  assertLiveFolio(m, pfn, 'pin')
  folioPin(m, pfn)
}

/** unpin_user_page; refuses a folio that holds no pin. */
export function unpinFolio(m: Machine, pfn: number): void {
  assertLiveFolio(m, pfn, 'unpin')
  if (!folioMaybeDmaPinned(m, pfn)) throw new Error(`unpin: folio at pfn ${hex(pfn)} is not pinned`)
  folioUnpin(m, pfn)
}

/** mm/mlock.c:mlock_folio: PG_mlocked, and the folio becomes unevictable (nr_mlock). */
export function mlockFolio(m: Machine, pfn: number): void {
  assertLiveFolio(m, pfn, 'mlock')
  folioSetFlags(m, pfn, PG_mlocked | PG_unevictable, true)
}

/** mm/mlock.c:munlock_folio. */
export function munlockFolio(m: Machine, pfn: number): void {
  assertLiveFolio(m, pfn, 'munlock')
  folioSetFlags(m, pfn, PG_mlocked | PG_unevictable, false)
}

/** folio_mark_dirty: PG_dirty (accounted as nr_dirty for file folios). */
export function markFolioDirty(m: Machine, pfn: number): void {
  assertLiveFolio(m, pfn, 'markDirty')
  folioSetFlags(m, pfn, PG_dirty, true)
}

/** Mirrors the wait-queue lock state (engine/sched/pageLocks) into PG_locked. */
export function setFolioLocked(m: Machine, pfn: number, locked: boolean): void {
  folioSetFlags(m, pfn, PG_locked, locked)
}

/** Mirrors writeback state into PG_writeback (accounted as nr_writeback). */
export function setFolioWriteback(m: Machine, pfn: number, on: boolean): void {
  folioSetFlags(m, pfn, PG_writeback, on)
}
