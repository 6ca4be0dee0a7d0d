/**
 * Pageblock flags (include/linux/pageblock-flags.h, mm/page_alloc.c:get_pfnblock_flags_mask):
 * a 3-bit migratetype, `PB_migrate_skip`, and [2025] the standalone `PB_migrate_isolate` bit.
 * Before 2025 isolation overwrites the migratetype with MIGRATE_ISOLATE.
 */
import { type Machine } from './machine'
import { MIGRATE_ISOLATE } from './migratetype'

const PB_MIGRATE_MASK = 7
const PB_MIGRATE_SKIP = 8
const PB_MIGRATE_ISOLATE = 16

/** `get_pfnblock_migratetype()`: ISOLATE when the [2025] isolate bit is set. */
export function getPfnblockMigratetype(m: Machine, pfn: number): number {
  const f = m.pbFlags[pfn >> m.pageblockOrder]
  if (m.isolateBit && (f & PB_MIGRATE_ISOLATE) !== 0) return MIGRATE_ISOLATE
  return f & PB_MIGRATE_MASK
}

/** The stored migratetype, ignoring the [2025] isolate bit. */
export function getPageblockStoredMigratetype(m: Machine, pfn: number): number {
  return m.pbFlags[pfn >> m.pageblockOrder] & PB_MIGRATE_MASK
}

/**
 * `set_pageblock_migratetype()`. In the 2025 era MIGRATE_ISOLATE is refused, as in the kernel:
 * use `setPageblockIsolate`. Does not move free pages (see `moveFreepagesBlock`).
 */
export function setPageblockMigratetype(m: Machine, pfn: number, mt: number): void {
  if (m.isolateBit && mt === MIGRATE_ISOLATE) {
    throw new Error(
      'set_pageblock_migratetype(MIGRATE_ISOLATE) is rejected in the 2025 era; use setPageblockIsolate',
    )
  }
  const i = pfn >> m.pageblockOrder
  m.pbFlags[i] = (m.pbFlags[i] & ~PB_MIGRATE_MASK) | mt
}

/** `change_pageblock_range()`: relabel every pageblock covered by a block of `order`. */
export function changePageblockRange(m: Machine, pfn: number, order: number, mt: number): void {
  const n = order > m.pageblockOrder ? 1 << (order - m.pageblockOrder) : 1
  for (let i = 0; i < n; i++) setPageblockMigratetype(m, pfn + i * m.pageblockNrPages, mt)
}

/** True if the pageblock is isolated (either era's representation). */
export function isPageblockIsolated(m: Machine, pfn: number): boolean {
  return getPfnblockMigratetype(m, pfn) === MIGRATE_ISOLATE
}

/**
 * Marks a pageblock isolated or not, without moving free pages. Before 2025 isolation
 * overwrites the type, so the previous type is returned for the caller to restore
 * (`unset_migratetype_isolate` gets it passed in); in 2025 the isolate bit keeps it.
 * Keeps `zone.nrIsolatePageblock` (`nr_isolate_pageblock`) in step.
 */
export function setPageblockIsolate(
  m: Machine,
  pfn: number,
  isolate: boolean,
  restoreMt: number,
): number {
  const i = pfn >> m.pageblockOrder
  const old = getPfnblockMigratetype(m, pfn)
  const z = m.zones[m.pbZone[i]]
  if (isolate === (old === MIGRATE_ISOLATE)) return old
  if (z) z.nrIsolatePageblock += isolate ? 1 : -1
  if (m.isolateBit) {
    m.pbFlags[i] = isolate ? m.pbFlags[i] | PB_MIGRATE_ISOLATE : m.pbFlags[i] & ~PB_MIGRATE_ISOLATE
  } else {
    m.pbFlags[i] = (m.pbFlags[i] & ~PB_MIGRATE_MASK) | (isolate ? MIGRATE_ISOLATE : restoreMt)
  }
  return old
}

/** `get_pageblock_skip()`. */
export function getPageblockSkip(m: Machine, pfn: number): boolean {
  return (m.pbFlags[pfn >> m.pageblockOrder] & PB_MIGRATE_SKIP) !== 0
}

/** `set_pageblock_skip()` / `clear_pageblock_skip()`. */
export function setPageblockSkip(m: Machine, pfn: number, skip: boolean): void {
  const i = pfn >> m.pageblockOrder
  m.pbFlags[i] = skip ? m.pbFlags[i] | PB_MIGRATE_SKIP : m.pbFlags[i] & ~PB_MIGRATE_SKIP
}

/** `clear_pageblock_skip()`. */
export function clearPageblockSkip(m: Machine, pfn: number): void {
  m.pbFlags[pfn >> m.pageblockOrder] &= ~PB_MIGRATE_SKIP
}

/** `pageblock_start_pfn(pfn)`: the first pfn of the pageblock holding `pfn`. */
export function pageblockStartPfn(m: Machine, pfn: number): number {
  return pfn - (pfn & (m.pageblockNrPages - 1))
}

/** `pageblock_end_pfn(pfn)`: one past the last pfn of the pageblock holding `pfn`. */
export function pageblockEndPfn(m: Machine, pfn: number): number {
  return pfn - (pfn & (m.pageblockNrPages - 1)) + m.pageblockNrPages
}

/** `pageblock_aligned(pfn)`. */
export function pageblockAligned(m: Machine, pfn: number): boolean {
  return (pfn & (m.pageblockNrPages - 1)) === 0
}
