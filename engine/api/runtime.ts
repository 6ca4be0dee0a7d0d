/**
 * Runtime values of the constants mmwb.d.ts declares: what `import … from 'mmwb'` yields inside
 * a workload (the guest's require shim copies this table). Values come from the engine's own
 * definitions, so the API and the model can never disagree.
 */
import {
  COMPACT_PRIO_ASYNC,
  COMPACT_PRIO_SYNC_FULL,
  COMPACT_PRIO_SYNC_LIGHT,
} from '../compaction/types'
import * as gfp from '../mm/gfp'
import {
  MIGRATE_CMA,
  MIGRATE_HIGHATOMIC,
  MIGRATE_ISOLATE,
  MIGRATE_MOVABLE,
  MIGRATE_RECLAIMABLE,
  MIGRATE_UNMOVABLE,
} from '../mm/migratetype'

export const GFP_NAMES = [
  '__GFP_DMA',
  '__GFP_HIGHMEM',
  '__GFP_DMA32',
  '__GFP_MOVABLE',
  '__GFP_RECLAIMABLE',
  '__GFP_HIGH',
  '__GFP_IO',
  '__GFP_FS',
  '__GFP_ZERO',
  '__GFP_DIRECT_RECLAIM',
  '__GFP_KSWAPD_RECLAIM',
  '__GFP_RECLAIM',
  '__GFP_WRITE',
  '__GFP_NOWARN',
  '__GFP_RETRY_MAYFAIL',
  '__GFP_NOFAIL',
  '__GFP_NORETRY',
  '__GFP_MEMALLOC',
  '__GFP_COMP',
  '__GFP_NOMEMALLOC',
  '__GFP_HARDWALL',
  '__GFP_THISNODE',
  '__GFP_ACCOUNT',
  'GFP_KERNEL',
  'GFP_ATOMIC',
  'GFP_NOWAIT',
  'GFP_NOIO',
  'GFP_NOFS',
  'GFP_USER',
  'GFP_DMA',
  'GFP_DMA32',
  'GFP_HIGHUSER',
  'GFP_HIGHUSER_MOVABLE',
  'GFP_TRANSHUGE_LIGHT',
  'GFP_TRANSHUGE',
] as const

/**
 * The constants for a machine whose `MAX_PAGE_ORDER` and `pageblock_order` may differ from
 * x86_64's defaults (both are machine settings).
 */
export function mmwbConstants(geometry: {
  maxPageOrder: number
  pageblockOrder: number
}): Record<string, number> {
  const out: Record<string, number> = {
    PAGE_SIZE: 4096,
    PAGE_SHIFT: 12,
    MAX_PAGE_ORDER: geometry.maxPageOrder,
    NR_PAGE_ORDERS: geometry.maxPageOrder + 1,
    PAGEBLOCK_ORDER: geometry.pageblockOrder,
    PAGEBLOCK_NR_PAGES: 2 ** geometry.pageblockOrder,
    PAGE_ALLOC_COSTLY_ORDER: 3,
    HPAGE_PMD_ORDER: 9,
    COMPACT_PRIO_SYNC_FULL,
    COMPACT_PRIO_SYNC_LIGHT,
    COMPACT_PRIO_ASYNC,
    MIGRATE_UNMOVABLE,
    MIGRATE_MOVABLE,
    MIGRATE_RECLAIMABLE,
    MIGRATE_HIGHATOMIC,
    MIGRATE_CMA,
    MIGRATE_ISOLATE,
  }
  const table = gfp as unknown as Record<string, number>
  for (const name of GFP_NAMES) out[name] = table[name]
  return out
}

/** The constants of the default x86_64 geometry. */
export const MMWB_CONSTANTS: Readonly<Record<string, number>> = Object.freeze(
  mmwbConstants({ maxPageOrder: 10, pageblockOrder: 9 }),
)
