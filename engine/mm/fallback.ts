/**
 * Migratetype fallback (mm/page_alloc.c): the `fallbacks[]` table, `find_suitable_fallback`,
 * and the per-era stealing/claiming of foreign pageblocks:
 * - [≤6.14] `__rmqueue_fallback` + `steal_suitable_fallback` (with `boost_watermark`);
 *   [6.10–6.14] a single-page steal expands the remainder on the foreign type's lists.
 * - [6.15+] `__rmqueue_claim` (`try_to_claim_block`) and `__rmqueue_steal`.
 */
import {
  delFromFreeList,
  freeAreaEmpty,
  freeAreaNrFree,
  getPageFromFreeArea,
  moveToFreeList,
} from './freeArea'
import { type Machine } from './machine'
import { MIGRATE_MOVABLE, MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE } from './migratetype'
import {
  moveFreepagesBlock,
  moveFreepagesBlockLegacy,
  prepMoveFreepagesBlock,
} from './moveFreepages'
import { changePageblockRange, getPfnblockMigratetype, setPageblockMigratetype } from './pageblock'
import { expand, pageDelAndExpand, rmqueueSmallest } from './rmqueueSmallest'
import { TP_MM_PAGE_ALLOC_EXTFRAG } from './traceTypes'
import { traceExtfrag } from './trace'
import { ALLOC_KSWAPD, ALLOC_NOFRAGMENT } from './allocFlags'
import { multFrac } from './config'
import { MIGRATE_HIGHATOMIC } from './migratetype'
import { type Zone } from './zone'
import { NO_PAGE, pageOrder } from './memmap'

/** `fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1]`, flattened: row `mt`, two entries. */
export const FALLBACKS: readonly number[] = [
  MIGRATE_RECLAIMABLE,
  MIGRATE_MOVABLE, // UNMOVABLE
  MIGRATE_RECLAIMABLE,
  MIGRATE_UNMOVABLE, // MOVABLE
  MIGRATE_UNMOVABLE,
  MIGRATE_MOVABLE, // RECLAIMABLE
]

/** `can_steal_fallback()` [≤6.14] / `should_try_claim_block()` [6.15+], for a free block of `order`. */
export function canStealFallback(m: Machine, order: number, startMt: number): boolean {
  if (order >= m.pageblockOrder) return true
  return (
    order >= m.pageblockOrder >> 1 ||
    startMt === MIGRATE_RECLAIMABLE ||
    startMt === MIGRATE_UNMOVABLE ||
    m.mobilityDisabled
  )
}

/**
 * `find_suitable_fallback()` [≤6.14]: the first fallback type with a free block of `order`,
 * or -1; sets `m.fallbackCanSteal` (the kernel's `*can_steal`). With `onlyStealable`, only a type that may be stolen counts.
 */
export function findSuitableFallback(
  m: Machine,
  z: Zone,
  order: number,
  mt: number,
  onlyStealable: boolean,
): number {
  if (freeAreaNrFree(m, z, order) === 0) return -1
  m.fallbackCanSteal = false
  for (let i = 0; i < 2; i++) {
    const fmt = FALLBACKS[mt * 2 + i]
    if (freeAreaEmpty(m, z, order, fmt)) continue
    if (canStealFallback(m, order, mt)) m.fallbackCanSteal = true
    if (!onlyStealable) return fmt
    if (m.fallbackCanSteal) return fmt
  }
  return -1
}

/** `find_suitable_fallback(area, order, mt, claimable)` [6.15+]: -2 = orders too low to claim. */
export function findSuitableFallbackClaim(
  m: Machine,
  z: Zone,
  order: number,
  mt: number,
  claimable: boolean,
): number {
  if (claimable && !canStealFallback(m, order, mt)) return -2
  if (freeAreaNrFree(m, z, order) === 0) return -1
  for (let i = 0; i < 2; i++) {
    const fmt = FALLBACKS[mt * 2 + i]
    if (!freeAreaEmpty(m, z, order, fmt)) return fmt
  }
  return -1
}

/**
 * `boost_watermark()`: raise `watermark_boost` by a pageblock, up to
 * `max(pageblock_nr_pages, HIGH * watermark_boost_factor / 10000)`. Skipped when the factor is
 * 0 or the zone has fewer than 4 pageblocks.
 */
export function boostWatermark(m: Machine, z: Zone): boolean {
  const factor = m.cfg.watermarkBoostFactor
  if (factor === 0) return false
  if (m.pageblockNrPages * 4 > z.managedPages) return false
  let maxBoost = multFrac(z.wmarkHigh, factor, 10000)
  if (maxBoost === 0) return false
  maxBoost = Math.max(m.pageblockNrPages, maxBoost)
  z.watermarkBoost = Math.min(z.watermarkBoost + m.pageblockNrPages, maxBoost)
  return true
}

/** "More than half" rule: claim the block iff `free + alike >= pageblock_nr_pages / 2`. */
function enoughToClaim(m: Machine, startMt: number, blockMt: number): boolean {
  const free = m.moveCounts.freePages
  const movable = m.moveCounts.movablePages
  let alike = 0
  if (startMt === MIGRATE_MOVABLE) alike = movable
  else if (blockMt === MIGRATE_MOVABLE) alike = m.pageblockNrPages - (free + movable)
  return free + alike >= 1 << (m.pageblockOrder - 1) || m.mobilityDisabled
}

/** [≤6.9] `steal_suitable_fallback()`: moves pages to `startMt`'s lists; the caller retries smallest. */
function stealSuitableFallbackLegacy(
  m: Machine,
  z: Zone,
  pfn: number,
  allocFlags: number,
  startMt: number,
  wholeBlock: boolean,
): void {
  const currentOrder = pageOrder(m, pfn)
  const oldBlockType = getPfnblockMigratetype(m, pfn)
  if (oldBlockType !== MIGRATE_HIGHATOMIC) {
    if (currentOrder >= m.pageblockOrder) {
      changePageblockRange(m, pfn, currentOrder, startMt)
    } else {
      if (boostWatermark(m, z) && (allocFlags & ALLOC_KSWAPD) !== 0) z.boostedWatermark = true
      if (wholeBlock) {
        const freePages = moveFreepagesBlockLegacy(m, z, pfn, startMt)
        if (freePages !== 0) {
          if (enoughToClaim(m, startMt, oldBlockType)) setPageblockMigratetype(m, pfn, startMt)
          return
        }
      }
    }
  }
  moveToFreeList(m, z, pfn, currentOrder, startMt)
}

/** [6.10–6.14] `steal_suitable_fallback()`: returns the allocated head pfn. */
function stealSuitableFallback(
  m: Machine,
  z: Zone,
  pfn: number,
  currentOrder: number,
  order: number,
  startMt: number,
  allocFlags: number,
  wholeBlock: boolean,
): number {
  const blockType = getPfnblockMigratetype(m, pfn)
  if (blockType !== MIGRATE_HIGHATOMIC) {
    if (currentOrder >= m.pageblockOrder) {
      delFromFreeList(m, z, pfn, currentOrder)
      changePageblockRange(m, pfn, currentOrder, startMt)
      expand(m, z, pfn, order, currentOrder, startMt)
      return pfn
    }
    if (boostWatermark(m, z) && (allocFlags & ALLOC_KSWAPD) !== 0) z.boostedWatermark = true
    if (wholeBlock && prepMoveFreepagesBlock(m, z, pfn) && enoughToClaim(m, startMt, blockType)) {
      moveFreepagesBlock(m, z, m.moveCounts.startPfn, startMt)
      return rmqueueSmallest(m, z, order, startMt)
    }
  }
  pageDelAndExpand(m, z, pfn, order, currentOrder, blockType)
  return pfn
}

/** `__rmqueue_fallback()` [≤6.14]. Returns the allocated pfn ([6.10+]), or for [≤6.9] the stolen block's pfn after which the caller retries `__rmqueue_smallest`; NO_PAGE if nothing suits. */
export function rmqueueFallback(
  m: Machine,
  z: Zone,
  order: number,
  startMt: number,
  allocFlags: number,
): number {
  const minOrder =
    order < m.pageblockOrder && (allocFlags & ALLOC_NOFRAGMENT) !== 0 ? m.pageblockOrder : order
  let currentOrder = m.maxOrder
  let fallbackMt = -1
  for (; currentOrder >= minOrder; currentOrder--) {
    fallbackMt = findSuitableFallback(m, z, currentOrder, startMt, false)
    if (fallbackMt === -1) continue
    if (!m.fallbackCanSteal && startMt === MIGRATE_MOVABLE && currentOrder > order) {
      // find_smallest: a movable request that cannot steal takes the smallest foreign block.
      for (currentOrder = order; currentOrder <= m.maxOrder; currentOrder++) {
        fallbackMt = findSuitableFallback(m, z, currentOrder, startMt, false)
        if (fallbackMt !== -1) break
      }
    }
    break
  }
  if (fallbackMt === -1 || currentOrder < minOrder || currentOrder > m.maxOrder) return NO_PAGE
  const pfn = getPageFromFreeArea(m, z, currentOrder, fallbackMt)
  if (!m.hygiene) {
    stealSuitableFallbackLegacy(m, z, pfn, allocFlags, startMt, m.fallbackCanSteal)
    if (m.traceOn[TP_MM_PAGE_ALLOC_EXTFRAG] !== 0)
      traceExtfrag(m, pfn, order, currentOrder, startMt, fallbackMt)
    return pfn
  }
  const canSteal = m.fallbackCanSteal
  const page = stealSuitableFallback(m, z, pfn, currentOrder, order, startMt, allocFlags, canSteal)
  if (m.traceOn[TP_MM_PAGE_ALLOC_EXTFRAG] !== 0)
    traceExtfrag(m, page, order, currentOrder, startMt, fallbackMt)
  return page
}

/** [6.15+] `try_to_claim_block()`: claim the whole block (half rule) and allocate from it, or NO_PAGE. */
function tryToClaimBlock(
  m: Machine,
  z: Zone,
  pfn: number,
  currentOrder: number,
  order: number,
  startMt: number,
  blockType: number,
  allocFlags: number,
): number {
  if (currentOrder >= m.pageblockOrder) {
    delFromFreeList(m, z, pfn, currentOrder)
    changePageblockRange(m, pfn, currentOrder, startMt)
    expand(m, z, pfn, order, currentOrder, startMt)
    return pfn
  }
  if (boostWatermark(m, z) && (allocFlags & ALLOC_KSWAPD) !== 0) z.boostedWatermark = true
  if (!prepMoveFreepagesBlock(m, z, pfn)) return NO_PAGE
  if (!enoughToClaim(m, startMt, blockType)) return NO_PAGE
  moveFreepagesBlock(m, z, m.moveCounts.startPfn, startMt)
  return rmqueueSmallest(m, z, order, startMt)
}

/** [6.15+] `__rmqueue_claim()`: scan from MAX_PAGE_ORDER down, stop at orders too low to claim. */
export function rmqueueClaim(
  m: Machine,
  z: Zone,
  order: number,
  startMt: number,
  allocFlags: number,
): number {
  const minOrder =
    order < m.pageblockOrder && (allocFlags & ALLOC_NOFRAGMENT) !== 0 ? m.pageblockOrder : order
  for (let o = m.maxOrder; o >= minOrder; o--) {
    const fmt = findSuitableFallbackClaim(m, z, o, startMt, true)
    if (fmt === -1) continue
    if (fmt === -2) break
    const pfn = getPageFromFreeArea(m, z, o, fmt)
    const page = tryToClaimBlock(m, z, pfn, o, order, startMt, fmt, allocFlags)
    if (page !== NO_PAGE) {
      if (m.traceOn[TP_MM_PAGE_ALLOC_EXTFRAG] !== 0) traceExtfrag(m, page, order, o, startMt, fmt)
      return page
    }
  }
  return NO_PAGE
}

/** [6.15+] `__rmqueue_steal()`: the smallest foreign block, without relabelling. */
export function rmqueueSteal(m: Machine, z: Zone, order: number, startMt: number): number {
  for (let o = order; o <= m.maxOrder; o++) {
    const fmt = findSuitableFallbackClaim(m, z, o, startMt, false)
    if (fmt === -1) continue
    const pfn = getPageFromFreeArea(m, z, o, fmt)
    pageDelAndExpand(m, z, pfn, order, o, fmt)
    if (m.traceOn[TP_MM_PAGE_ALLOC_EXTFRAG] !== 0) traceExtfrag(m, pfn, order, o, startMt, fmt)
    return pfn
  }
  return NO_PAGE
}
