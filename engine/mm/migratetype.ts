/**
 * Migratetypes, as `enum migratetype` in include/linux/mmzone.h (x86_64, CONFIG_CMA and
 * CONFIG_MEMORY_ISOLATION on). The numeric values are the kernel's and index every
 * per-type array in the engine.
 */
export const MIGRATE_UNMOVABLE = 0
export const MIGRATE_MOVABLE = 1
export const MIGRATE_RECLAIMABLE = 2
/** Number of types that have per-cpu lists; HIGHATOMIC shares the value (mmzone.h). */
export const MIGRATE_PCPTYPES = 3
export const MIGRATE_HIGHATOMIC = 3
export const MIGRATE_CMA = 4
export const MIGRATE_ISOLATE = 5
export const MIGRATE_TYPES = 6

export type Migratetype = 0 | 1 | 2 | 3 | 4 | 5

/** `migratetype_names[]` (mm/vmstat.c), as printed by /proc/pagetypeinfo. */
export const MIGRATETYPE_NAMES: readonly string[] = [
  'Unmovable',
  'Movable',
  'Reclaimable',
  'HighAtomic',
  'CMA',
  'Isolate',
]

/** `is_migrate_movable()`: MOVABLE or CMA. */
export function isMigrateMovable(mt: number): boolean {
  return mt === MIGRATE_MOVABLE || mt === MIGRATE_CMA
}

/** `migratetype_is_mergeable()` (5.18+): only the three PCP types merge across pageblocks. */
export function migratetypeIsMergeable(mt: number): boolean {
  return mt < MIGRATE_PCPTYPES
}
