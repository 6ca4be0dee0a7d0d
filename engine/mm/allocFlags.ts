/**
 * Internal allocation flags (mm/internal.h, 6.3+ values) and the GFP → alloc_flags helpers
 * of mm/page_alloc.c. `ALLOC_MIN_RESERVE` equals `__GFP_HIGH` and `ALLOC_KSWAPD` equals
 * `__GFP_KSWAPD_RECLAIM` on purpose, as in the kernel.
 */
import {
  __GFP_DIRECT_RECLAIM,
  __GFP_HIGH,
  __GFP_KSWAPD_RECLAIM,
  __GFP_NOMEMALLOC,
  gfpMigratetype,
} from './gfp'
import { MIGRATE_MOVABLE } from './migratetype'

export const WMARK_MIN = 0
export const WMARK_LOW = 1
export const WMARK_HIGH = 2
export const WMARK_PROMO = 3

export const ALLOC_WMARK_MIN = WMARK_MIN
export const ALLOC_WMARK_LOW = WMARK_LOW
export const ALLOC_WMARK_HIGH = WMARK_HIGH
/** Ignore watermarks entirely (PF_MEMALLOC, `__GFP_MEMALLOC`). */
export const ALLOC_NO_WATERMARKS = 0x04
export const ALLOC_WMARK_MASK = ALLOC_NO_WATERMARKS - 1
export const ALLOC_OOM = 0x08
/** Caller cannot block: access to 25% more of the min reserve (with ALLOC_MIN_RESERVE). */
export const ALLOC_NON_BLOCK = 0x10
/** `__GFP_HIGH`: access to half of the min reserve. */
export const ALLOC_MIN_RESERVE = 0x20
export const ALLOC_CPUSET = 0x40
export const ALLOC_CMA = 0x80
export const ALLOC_NOFRAGMENT = 0x100
export const ALLOC_HIGHATOMIC = 0x200
export const ALLOC_KSWAPD = 0x800
export const ALLOC_RESERVES = ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM

/** `gfp_to_alloc_flags_cma()`: movable requests may use CMA pageblocks. */
export function gfpToAllocFlagsCma(gfp: number, allocFlags: number): number {
  return gfpMigratetype(gfp) === MIGRATE_MOVABLE ? allocFlags | ALLOC_CMA : allocFlags
}

/**
 * `gfp_to_alloc_flags()` (6.3+): the slow path's flags: the MIN watermark, `__GFP_HIGH` →
 * ALLOC_MIN_RESERVE, and for callers that cannot reclaim directly ALLOC_NON_BLOCK (unless
 * `__GFP_NOMEMALLOC`) and, above order 0, ALLOC_HIGHATOMIC. For the 6.1 era the same bits stand
 * for `ALLOC_HIGH`/`ALLOC_HARDER` and `__zone_watermark_ok` applies the 6.1 arithmetic.
 */
export function gfpToAllocFlags(gfp: number, order: number, era61: boolean): number {
  let flags = ALLOC_WMARK_MIN | ALLOC_CPUSET
  flags |= gfp & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
  // 6.1: only GFP_ATOMIC (then with __GFP_ATOMIC, here: __GFP_HIGH without direct reclaim) got ALLOC_HARDER.
  const atomic = era61 ? (gfp & __GFP_HIGH) !== 0 : true
  if ((gfp & __GFP_DIRECT_RECLAIM) === 0 && atomic) {
    if ((gfp & __GFP_NOMEMALLOC) === 0) flags |= ALLOC_NON_BLOCK
    if (order > 0) flags |= ALLOC_HIGHATOMIC
  }
  if ((flags & ALLOC_MIN_RESERVE) !== 0) flags &= ~ALLOC_CPUSET
  return gfpToAllocFlagsCma(gfp, flags)
}
