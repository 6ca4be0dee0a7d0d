/**
 * Folio state changes the workload API offers beyond allocation: pins, mlock, dirtying and
 * the PG_locked / PG_writeback bits that the page-lock wait queues (engine/sched/pageLocks)
 * mirror into the memmap, so the rest of the model (migration, compaction) sees them.
 */
import {
  GUP_PIN_COUNTING_BIAS,
  PG_dirty,
  PG_locked,
  PG_mlocked,
  PG_unevictable,
  PG_writeback,
} from '../mm/memmap'
import { folioPut, type Machine } from '../mm'

function hex(pfn: number): string {
  return '0x' + pfn.toString(16)
}

/**
 * Checks that `pfn` names the head of a live folio, as the kernel's VM_BUG_ON_FOLIO checks
 * would; a freed folio is a use-after-free.
 */
export function assertLiveFolio(m: Machine, pfn: number, what: string): void {
  if (!Number.isInteger(pfn) || pfn < 0 || pfn >= m.endPfn) {
    throw new RangeError(`${what}: pfn ${pfn} is outside the machine (0..${hex(m.endPfn - 1)})`)
  }
  if (m.refcount[pfn] <= 0) {
    throw new Error(`${what}: folio at pfn ${hex(pfn)} has been freed (use after free)`)
  }
}

/**
 * mm/gup.c:try_grab_folio(FOLL_PIN): a small folio's refcount rises by
 * GUP_PIN_COUNTING_BIAS; a large folio gets one reference plus one `_pincount`.
 */
export function pinFolio(m: Machine, pfn: number): void {
  assertLiveFolio(m, pfn, 'pin')
  if (m.order[pfn] === 0) {
    m.refcount[pfn] += GUP_PIN_COUNTING_BIAS
  } else {
    m.refcount[pfn] += 1
    m.pincount[pfn] += 1
  }
}

/** mm/gup.c:gup_put_folio(FOLL_PIN): undoes `pinFolio`; the last reference frees the folio. */
export function unpinFolio(m: Machine, pfn: number): void {
  assertLiveFolio(m, pfn, 'unpin')
  if (m.order[pfn] === 0) {
    if (m.refcount[pfn] < GUP_PIN_COUNTING_BIAS) {
      throw new Error(`unpin: folio at pfn ${hex(pfn)} is not pinned`)
    }
    m.refcount[pfn] -= GUP_PIN_COUNTING_BIAS - 1
  } else {
    if (m.pincount[pfn] <= 0) throw new Error(`unpin: folio at pfn ${hex(pfn)} is not pinned`)
    m.pincount[pfn] -= 1
  }
  folioPut(m, pfn)
}

/** `folio_maybe_dma_pinned`: for small folios, a refcount at or above the bias. */
export function folioMaybeDmaPinned(m: Machine, pfn: number): boolean {
  return m.order[pfn] === 0 ? m.refcount[pfn] >= GUP_PIN_COUNTING_BIAS : m.pincount[pfn] > 0
}

function setFlag(m: Machine, pfn: number, bit: number, on: boolean): void {
  if (on) m.flags[pfn] |= bit
  else m.flags[pfn] &= ~bit
}

/** mm/mlock.c:mlock_folio: PG_mlocked, and the folio becomes unevictable. */
export function mlockFolio(m: Machine, pfn: number): void {
  assertLiveFolio(m, pfn, 'mlock')
  setFlag(m, pfn, PG_mlocked | PG_unevictable, true)
}

/** mm/mlock.c:munlock_folio: clears PG_mlocked and PG_unevictable. */
export function munlockFolio(m: Machine, pfn: number): void {
  assertLiveFolio(m, pfn, 'munlock')
  setFlag(m, pfn, PG_mlocked | PG_unevictable, false)
}

/** folio_mark_dirty: PG_dirty. */
export function markFolioDirty(m: Machine, pfn: number): void {
  assertLiveFolio(m, pfn, 'markDirty')
  setFlag(m, pfn, PG_dirty, true)
}

/** Mirrors the wait-queue lock state into PG_locked. */
export function setFolioLocked(m: Machine, pfn: number, locked: boolean): void {
  setFlag(m, pfn, PG_locked, locked)
}

/** Mirrors writeback state into PG_writeback. */
export function setFolioWriteback(m: Machine, pfn: number, on: boolean): void {
  setFlag(m, pfn, PG_writeback, on)
}
