/**
 * Internal allocation flags (mm/internal.h, 6.3+ values, also in 6.1 stable) and the GFP → alloc_flags helpers
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
import { type Machine } from './machine'
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
 * Whether the era's kernel has 6a204d4b14c9 ("mm/page_alloc: only set ALLOC_HIGHATOMIC for
 * __GPF_HIGH allocations", 6.18-rc1, Cc: stable; in 6.17.4 and the 5.15, 6.1 and 6.12 stable
 * queues of 17 Oct 2025, so in the Debian 6.1.192 and 6.12 sources). Without it (1ebbb21811b7,
 * 6.3, until then) every non-blocking order > 0 request got ALLOC_HIGHATOMIC, so a GFP_NOWAIT
 * order-1 allocation served by the MIN retry turned its pageblock HighAtomic. The 6.9, 6.10 and
 * 6.15 stable series had ended by then; 6.6 is an LTS series like 6.1 and 6.12.
 */
export function highatomicNeedsMinReserve(m: Machine): boolean {
  const era = m.cfg.kernelEra
  return era !== '6.9' && era !== '6.10' && era !== '6.15'
}

/**
 * `gfp_to_alloc_flags()` (mm/page_alloc.c, 6.3+; backported to 6.1 stable, as the Debian 6.1.192
 * source shows): the slow path's flags: the MIN watermark, `__GFP_HIGH` → ALLOC_MIN_RESERVE
 * and `__GFP_KSWAPD_RECLAIM` → ALLOC_KSWAPD (same bits). A caller that cannot reclaim directly
 * gets ALLOC_NON_BLOCK unless `__GFP_NOMEMALLOC`, and above order 0 ALLOC_HIGHATOMIC, only
 * together with ALLOC_MIN_RESERVE where the era has 6a204d4b14c9 (`highatomicNeedsMinReserve`);
 * a non-blocking `__GFP_HIGH` caller ignores cpusets. (The rt-task ALLOC_MIN_RESERVE is not
 * modelled: simulated tasks are not realtime.)
 */
export function gfpToAllocFlags(m: Machine, gfp: number, order: number): number {
  let flags = ALLOC_WMARK_MIN | ALLOC_CPUSET
  flags |= gfp & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
  if ((gfp & __GFP_DIRECT_RECLAIM) === 0) {
    if ((gfp & __GFP_NOMEMALLOC) === 0) {
      flags |= ALLOC_NON_BLOCK
      const minReserve = (flags & ALLOC_MIN_RESERVE) !== 0
      if (order > 0 && (minReserve || !highatomicNeedsMinReserve(m))) flags |= ALLOC_HIGHATOMIC
    }
    if ((flags & ALLOC_MIN_RESERVE) !== 0) flags &= ~ALLOC_CPUSET
  }
  return gfpToAllocFlagsCma(gfp, flags)
}
