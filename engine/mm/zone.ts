/**
 * `struct zone`: the scalar state of one zone. Free lists, per-cpu lists and per-page state
 * live in the machine's typed arrays, indexed by `zone.id`; this object holds only numbers
 * and booleans so a snapshot can store it as JSON.
 */
import { ZONE_NAMES } from './zoneType'

export class Zone {
  /** Index into `machine.zones` (and into every per-zone typed array). */
  id: number
  nid: number
  /** Zone type: 0 DMA, 1 DMA32, 2 Normal, 3 Movable (`zone_idx`). */
  type: number
  name: string
  startPfn: number
  /** First pfn after the zone (`zone_end_pfn`). */
  endPfn: number
  spannedPages: number
  presentPages: number
  /** Pages owned by the buddy allocator (`managed_pages`). */
  managedPages: number
  /** `_watermark[WMARK_MIN..WMARK_PROMO]`, in pages. */
  wmarkMin = 0
  wmarkLow = 0
  wmarkHigh = 0
  wmarkPromo = 0
  watermarkBoost = 0
  /** `lowmem_reserve[highest_zoneidx]`, in pages. */
  lowmemReserve: number[] = [0, 0, 0, 0]
  nrReservedHighatomic = 0
  /** `nr_free_highatomic` (6.12+): free pages on HIGHATOMIC lists. */
  nrFreeHighatomic = 0
  nrIsolatePageblock = 0
  /** `cma_pages`: pages of the zone's CMA pageblocks. */
  cmaPages = 0
  /** Zone counters (`enum zone_stat_item`): NR_FREE_PAGES, NR_FREE_CMA_PAGES, NR_MLOCK, NR_ZONE_WRITE_PENDING. */
  nrFreePages = 0
  nrFreeCmaPages = 0
  nrMlock = 0
  nrZoneWritePending = 0
  /** `ZONE_BOOSTED_WATERMARK` bit of `zone->flags`. */
  boostedWatermark = false
  /** `per_cpu_pages.batch` and `.high` for this zone (`zone_batchsize`, `zone_highsize`). */
  pcpBatch = 1
  pcpHigh = 0

  constructor(id: number, nid: number, type: number, startPfn: number, nrPages: number) {
    this.id = id
    this.nid = nid
    this.type = type
    this.name = ZONE_NAMES[type]
    this.startPfn = startPfn
    this.endPfn = startPfn + nrPages
    this.spannedPages = nrPages
    this.presentPages = nrPages
    this.managedPages = nrPages
  }
}

/** `zone_spans_pfn`. */
export function zoneSpansPfn(z: Zone, pfn: number): boolean {
  return pfn >= z.startPfn && pfn < z.endPfn
}
