/** `enum zone_type` (include/linux/mmzone.h) on x86_64: no HIGHMEM, no DEVICE. */
export const ZONE_DMA = 0
export const ZONE_DMA32 = 1
export const ZONE_NORMAL = 2
export const ZONE_MOVABLE = 3
export const MAX_NR_ZONES = 4

/** `zone_names[]` (mm/page_alloc.c), as printed in /proc/buddyinfo and zoneinfo. */
export const ZONE_NAMES: readonly string[] = ['DMA', 'DMA32', 'Normal', 'Movable']

/** `sysctl_lowmem_reserve_ratio[]` defaults (mm/page_alloc.c); 0 means no reserve. */
export const LOWMEM_RESERVE_RATIO: readonly number[] = [256, 256, 32, 0]
