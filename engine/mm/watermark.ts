/**
 * Watermarks (mm/page_alloc.c): `__setup_per_zone_wmarks`, `setup_per_zone_lowmem_reserve`,
 * `__zone_watermark_ok` with the high-order free-area check, and `zone_watermark_fast`.
 */
import {
  ALLOC_CMA,
  ALLOC_HIGHATOMIC,
  ALLOC_MIN_RESERVE,
  ALLOC_NON_BLOCK,
  ALLOC_OOM,
  ALLOC_RESERVES,
  ALLOC_WMARK_MASK,
  WMARK_HIGH,
  WMARK_LOW,
  WMARK_MIN,
  WMARK_PROMO,
} from './allocFlags'
import { multFrac } from './config'
import { __GFP_DIRECT_RECLAIM, __GFP_HIGH } from './gfp'
import { eraAtLeast, type Machine } from './machine'
import { MIGRATE_CMA, MIGRATE_HIGHATOMIC, MIGRATE_TYPES } from './migratetype'
import { type Zone } from './zone'
import { LOWMEM_RESERVE_RATIO, MAX_NR_ZONES, ZONE_MOVABLE } from './zoneType'

/** `SWAP_CLUSTER_MAX`. */
const SWAP_CLUSTER_MAX = 32

/**
 * `__setup_per_zone_wmarks()`: MIN splits `min_free_kbytes/4` pages over the lowmem zones by
 * managed size (ZONE_MOVABLE gets `clamp(managed/1024, 32, 128)`); the LOW-MIN and HIGH-LOW
 * gaps are `max(MIN/4, managed * watermark_scale_factor / 10000)`. Resets the boost.
 */
export function setupPerZoneWmarks(m: Machine): void {
  const pagesMin = m.cfg.minFreeKbytes >> 2
  let lowmemPages = 0
  for (const z of m.zones) if (z.type !== ZONE_MOVABLE) lowmemPages += z.managedPages
  for (const z of m.zones) {
    const tmp = lowmemPages > 0 ? Math.floor((pagesMin * z.managedPages) / lowmemPages) : 0
    if (z.type === ZONE_MOVABLE) {
      z.wmarkMin = Math.min(128, Math.max(SWAP_CLUSTER_MAX, Math.floor(z.managedPages / 1024)))
    } else {
      z.wmarkMin = tmp
    }
    const d = Math.max(tmp >> 2, multFrac(z.managedPages, m.cfg.watermarkScaleFactor, 10000))
    z.watermarkBoost = 0
    z.wmarkLow = z.wmarkMin + d
    z.wmarkHigh = z.wmarkLow + d
    z.wmarkPromo = z.wmarkHigh + d
  }
}

/** `setup_per_zone_lowmem_reserve()`: `lowmem_reserve[j]` of zone i = managed(i+1..j) / ratio[i]. */
export function setupPerZoneLowmemReserve(m: Machine): void {
  for (const z of m.zones) {
    const ratio = LOWMEM_RESERVE_RATIO[z.type]
    const clear = ratio === 0 || z.managedPages === 0
    let managed = 0
    for (let j = 0; j < MAX_NR_ZONES; j++) {
      if (j <= z.type) {
        z.lowmemReserve[j] = 0
        continue
      }
      const upper = m.zones.find((u) => u.nid === z.nid && u.type === j)
      managed += upper ? upper.managedPages : 0
      z.lowmemReserve[j] = clear ? 0 : Math.floor(managed / ratio)
    }
  }
}

/** `wmark_pages(zone, idx)`: `_watermark[idx] + watermark_boost`. */
export function wmarkPages(z: Zone, wmark: number): number {
  switch (wmark & ALLOC_WMARK_MASK) {
    case WMARK_MIN:
      return z.wmarkMin + z.watermarkBoost
    case WMARK_LOW:
      return z.wmarkLow + z.watermarkBoost
    case WMARK_HIGH:
      return z.wmarkHigh + z.watermarkBoost
    case WMARK_PROMO:
      return z.wmarkPromo + z.watermarkBoost
  }
  return 0
}

/** `__zone_watermark_unusable_free()`. */
export function zoneWatermarkUnusableFree(
  m: Machine,
  z: Zone,
  order: number,
  allocFlags: number,
): number {
  let unusable = (1 << order) - 1
  if ((allocFlags & ALLOC_RESERVES) === 0) {
    unusable += m.freeHighatomicAcct ? z.nrFreeHighatomic : z.nrReservedHighatomic
  }
  if ((allocFlags & ALLOC_CMA) === 0) unusable += z.nrFreeCmaPages
  return unusable
}

/**
 * `__zone_watermark_ok()` (6.3+ and 6.1 stable, which has 6.3's ALLOC_RESERVES): fail if `free - unusable <= min + lowmem_reserve[highest_zoneidx]`
 * (with the reserve discounts of ALLOC_MIN_RESERVE/NON_BLOCK/OOM); order 0 then passes; a
 * higher order passes only if some order ≥ `order` has a free block on a list it may use.
 */
export function zoneWatermarkOk(
  m: Machine,
  z: Zone,
  order: number,
  mark: number,
  highestZoneidx: number,
  allocFlags: number,
  freePages: number,
): boolean {
  let min = mark
  freePages -= zoneWatermarkUnusableFree(m, z, order, allocFlags)
  if ((allocFlags & ALLOC_RESERVES) !== 0) {
    // __GFP_HIGH: half the reserve; non-blocking __GFP_HIGH (GFP_ATOMIC): a quarter of the rest.
    if ((allocFlags & ALLOC_MIN_RESERVE) !== 0) {
      min -= Math.floor(min / 2)
      if ((allocFlags & ALLOC_NON_BLOCK) !== 0) min -= Math.floor(min / 4)
    }
    if ((allocFlags & ALLOC_OOM) !== 0) min -= Math.floor(min / 2)
  }
  if (freePages <= min + z.lowmemReserve[highestZoneidx]) return false
  if (order === 0) return true
  const highatomicOk = (allocFlags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) !== 0
  for (let o = order; o <= m.maxOrder; o++) {
    if (m.nrFree[z.id * m.nrOrders + o] === 0) continue
    const base = (z.id * m.nrOrders + o) * MIGRATE_TYPES
    if (m.faHead[base] >= 0 || m.faHead[base + 1] >= 0 || m.faHead[base + 2] >= 0) return true
    if ((allocFlags & ALLOC_CMA) !== 0 && m.faHead[base + MIGRATE_CMA] >= 0) return true
    if (highatomicOk && m.faHead[base + MIGRATE_HIGHATOMIC] >= 0) return true
  }
  return false
}

/**
 * The boost-free MIN retry of `zone_watermark_fast` applies to this order-0 request: [6.3+]
 * ALLOC_MIN_RESERVE (`__GFP_HIGH`, "mm: discard __GFP_ATOMIC"); [6.1 stable] `__GFP_ATOMIC`,
 * which only GFP_ATOMIC carried (the slow path strips it from direct-reclaim callers). The
 * model's gfp has no `__GFP_ATOMIC` bit, so 6.1 tests for GFP_ATOMIC's `__GFP_HIGH` without
 * `__GFP_DIRECT_RECLAIM`.
 */
function ignoresBoost(m: Machine, allocFlags: number, gfp: number): boolean {
  if (eraAtLeast(m, '6.6')) return (allocFlags & ALLOC_MIN_RESERVE) !== 0
  return (gfp & (__GFP_HIGH | __GFP_DIRECT_RECLAIM)) === __GFP_HIGH
}

/**
 * `zone_watermark_fast()`: a quick order-0 test, then the full check, then for an order-0
 * atomic request at the MIN watermark the check against the boost-free MIN mark.
 */
export function zoneWatermarkFast(
  m: Machine,
  z: Zone,
  order: number,
  mark: number,
  highestZoneidx: number,
  allocFlags: number,
  gfp: number,
): boolean {
  const freePages = z.nrFreePages
  if (order === 0) {
    let usable = freePages
    const reserved = zoneWatermarkUnusableFree(m, z, 0, allocFlags)
    usable -= Math.min(usable, reserved)
    if (usable > mark + z.lowmemReserve[highestZoneidx]) return true
  }
  if (zoneWatermarkOk(m, z, order, mark, highestZoneidx, allocFlags, freePages)) return true
  if (
    order === 0 &&
    ignoresBoost(m, allocFlags, gfp) &&
    z.watermarkBoost !== 0 &&
    (allocFlags & ALLOC_WMARK_MASK) === WMARK_MIN
  ) {
    return zoneWatermarkOk(m, z, order, z.wmarkMin, highestZoneidx, allocFlags, freePages)
  }
  return false
}

/** `zone_watermark_ok()` with the zone's current NR_FREE_PAGES. */
export function zoneWatermarkOkSafe(
  m: Machine,
  z: Zone,
  order: number,
  mark: number,
  highestZoneidx: number,
  allocFlags: number,
): boolean {
  return zoneWatermarkOk(m, z, order, mark, highestZoneidx, allocFlags, z.nrFreePages)
}
