/**
 * How a pageblock is marked isolated: variant `isolation.representation`.
 * - `'migratetype'` [≤6.15]: MIGRATE_ISOLATE overwrites the 3-bit type; undo writes back the
 *   migratetype the caller passes (`unset_migratetype_isolate(page, migratetype)`), so an
 *   UNMOVABLE block isolated by alloc_contig_range(MOVABLE) comes back MOVABLE.
 * - `'flag'` [2025] (Zi Yan, `PB_migrate_isolate`): a separate bit; the stored type survives
 *   isolation and undo just clears the bit.
 *
 * engine/mm models the era's representation (`m.isolateBit`). When the variant differs from the
 * era, the other behaviour is reproduced on top of it: 'flag' on a pre-2025 machine keeps the
 * original type in `m.pbIsolatedMt` and restores it; 'migratetype' on a 2025 machine clears the bit
 * and overwrites the stored type with the caller's. Readers (buddy, pcp, invariants) see
 * MIGRATE_ISOLATE either way.
 */
import { type Machine } from '../mm/machine'
import {
  getPageblockStoredMigratetype,
  isPageblockIsolated,
  setPageblockIsolate,
  setPageblockMigratetype,
} from '../mm/pageblock'

export type IsolationRepresentation = 'migratetype' | 'flag'

/** The era's default: the standalone bit from 2025 on. */
export function defaultRepresentation(m: Machine): IsolationRepresentation {
  return m.isolateBit ? 'flag' : 'migratetype'
}

/** The migratetype the block had when it was isolated (both representations remember it here). */
export function isolatedOriginalMigratetype(m: Machine, pfn: number): number {
  return m.isolateBit
    ? getPageblockStoredMigratetype(m, pfn)
    : m.pbIsolatedMt[pfn >> m.pageblockOrder]
}

/** `set_pageblock_migratetype(page, MIGRATE_ISOLATE)` [≤6.15] / `set_pageblock_isolate` [2025]. */
export function markPageblockIsolated(m: Machine, pfn: number): void {
  if (isPageblockIsolated(m, pfn)) return
  m.pbIsolatedMt[pfn >> m.pageblockOrder] = getPageblockStoredMigratetype(m, pfn)
  setPageblockIsolate(m, pfn, true, 0)
}

/**
 * Clear isolation. `callerMt` is the migratetype `unset_migratetype_isolate` was given; the
 * 'flag' representation ignores it. Returns the type the block now has.
 */
export function clearPageblockIsolated(
  m: Machine,
  pfn: number,
  callerMt: number,
  rep: IsolationRepresentation,
): number {
  const restore = rep === 'flag' ? isolatedOriginalMigratetype(m, pfn) : callerMt
  if (m.isolateBit) {
    setPageblockIsolate(m, pfn, false, restore)
    if (rep === 'migratetype') setPageblockMigratetype(m, pfn, restore)
  } else {
    setPageblockIsolate(m, pfn, false, restore)
  }
  return restore
}
