/**
 * A plain-data view of one zone, enough to print every /proc and debugfs file the engine
 * offers (buddyinfo, pagetypeinfo, zoneinfo-like watermarks, extfrag indices). The engine
 * fills it from its typed arrays (`zoneInfo(machine)`); the formatters in engine/proc/ only
 * read it, so they can be tested against real kernel files without a machine.
 */
export interface ZoneInfo {
  /** NUMA node id. */
  nid: number
  /** The kernel's zone name as printed: 'DMA', 'DMA32', 'Normal', 'Movable'. */
  name: string
  /** First pfn of the zone (`zone_start_pfn`). */
  startPfn: number
  spannedPages: number
  presentPages: number
  managedPages: number
  /** `free_area[order].nr_free`, in blocks, for orders 0..MAX_PAGE_ORDER (buddyinfo). */
  nrFree: number[]
  /** Free blocks per [migratetype][order] (pagetypeinfo's free-list rows). */
  nrFreeByType: number[][]
  /** Pageblocks per migratetype, by `get_pageblock_migratetype` ("Number of blocks type"). */
  nrPageblocksByType: number[]
  /** `NR_FREE_PAGES` of the zone, in pages. */
  freePages: number
  /** `_watermark[WMARK_MIN/LOW/HIGH]` in pages (without boost), and the current boost. */
  watermark: { min: number; low: number; high: number; boost: number; promo?: number }
  /** `lowmem_reserve[]` ("protection:" in /proc/zoneinfo), per zone type; filled by the engine. */
  lowmemReserve?: number[]
  /** `nr_reserved_highatomic`, in pages; filled by the engine. */
  nrReservedHighatomic?: number
  /** `NR_FREE_CMA_PAGES` ("nr_free_cma"), in pages; filled by the engine. */
  nrFreeCma?: number
  /** `zone->cma_pages` (/proc/zoneinfo "cma"): pages of the zone's CMA pageblocks; filled by the engine. */
  cmaPages?: number
  /** Pages on all CPUs' per-cpu lists, and `pcp->batch`/`pcp->high`; filled by the engine. */
  pcpPages?: number
  pcpBatch?: number
  pcpHigh?: number
}
