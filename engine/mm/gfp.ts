/**
 * GFP flags with the kernel's bit values (include/linux/gfp_types.h, x86_64, no KASAN, no
 * lockdep), the composite masks users know (`GFP_KERNEL`, `GFP_HIGHUSER_MOVABLE`, …), and the
 * two decodings the allocator needs: the highest usable zone (`gfp_zone`) and the requested
 * migratetype (`gfp_migratetype`).
 */
import { MIGRATE_MOVABLE, MIGRATE_UNMOVABLE } from './migratetype'
import { ZONE_DMA, ZONE_DMA32, ZONE_MOVABLE, ZONE_NORMAL } from './zoneType'

export const __GFP_DMA = 0x01
export const __GFP_HIGHMEM = 0x02
export const __GFP_DMA32 = 0x04
export const __GFP_MOVABLE = 0x08
export const __GFP_RECLAIMABLE = 0x10
export const __GFP_HIGH = 0x20
export const __GFP_IO = 0x40
export const __GFP_FS = 0x80
export const __GFP_ZERO = 0x100
export const __GFP_DIRECT_RECLAIM = 0x400
export const __GFP_KSWAPD_RECLAIM = 0x800
export const __GFP_WRITE = 0x1000
export const __GFP_NOWARN = 0x2000
export const __GFP_RETRY_MAYFAIL = 0x4000
export const __GFP_NOFAIL = 0x8000
export const __GFP_NORETRY = 0x10000
export const __GFP_MEMALLOC = 0x20000
export const __GFP_COMP = 0x40000
export const __GFP_NOMEMALLOC = 0x80000
export const __GFP_HARDWALL = 0x100000
export const __GFP_THISNODE = 0x200000
export const __GFP_ACCOUNT = 0x400000

export const __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM
/** `GFP_ATOMIC` (6.3+ value; 6.1 also carried the since-removed `__GFP_ATOMIC` bit 0x200). */
export const GFP_ATOMIC = __GFP_HIGH | __GFP_KSWAPD_RECLAIM
export const GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS
export const GFP_NOWAIT = __GFP_KSWAPD_RECLAIM
export const GFP_NOIO = __GFP_RECLAIM
export const GFP_NOFS = __GFP_RECLAIM | __GFP_IO
export const GFP_USER = __GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL
export const GFP_DMA = __GFP_DMA
export const GFP_DMA32 = __GFP_DMA32
export const GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM
/** `__GFP_SKIP_KASAN` is 0 without KASAN hardware tags, so it is omitted. */
export const GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | __GFP_MOVABLE
export const GFP_TRANSHUGE_LIGHT =
  (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM
export const GFP_TRANSHUGE = GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM

const GFP_MOVABLE_MASK = __GFP_RECLAIMABLE | __GFP_MOVABLE
const GFP_MOVABLE_SHIFT = 3

/**
 * `gfp_migratetype()`: MOVABLE for `__GFP_MOVABLE`, RECLAIMABLE for `__GFP_RECLAIMABLE`,
 * otherwise UNMOVABLE. Both bits together is a kernel bug (VM_WARN); the model treats it as
 * UNMOVABLE rather than return HIGHATOMIC.
 */
export function gfpMigratetype(gfp: number): number {
  const mt = (gfp & GFP_MOVABLE_MASK) >>> GFP_MOVABLE_SHIFT
  return mt === 3 ? MIGRATE_UNMOVABLE : mt
}

/**
 * `gfp_zone()` through `GFP_ZONE_TABLE` on x86_64 (no HIGHMEM, so `OPT_ZONE_HIGHMEM` is
 * NORMAL): DMA and DMA32 win; `__GFP_MOVABLE|__GFP_HIGHMEM` selects MOVABLE; anything else is
 * NORMAL. Returns the zone type index (ZONE_DMA..ZONE_MOVABLE).
 */
export function gfpZone(gfp: number): number {
  if (gfp & __GFP_DMA) return ZONE_DMA
  if (gfp & __GFP_DMA32) return ZONE_DMA32
  if ((gfp & (__GFP_MOVABLE | __GFP_HIGHMEM)) === (__GFP_MOVABLE | __GFP_HIGHMEM)) {
    return ZONE_MOVABLE
  }
  return ZONE_NORMAL
}

/** True if the request is movable, i.e. may use CMA pageblocks (`gfp_to_alloc_flags_cma`). */
export function gfpIsMovable(gfp: number): boolean {
  return gfpMigratetype(gfp) === MIGRATE_MOVABLE
}
