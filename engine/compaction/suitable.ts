/**
 * Is compaction worth running in a zone? (mm/compaction.c: `__compaction_suitable`,
 * `compaction_suitable`, `compaction_suit_allocation_order`, `compaction_zonelist_suitable`;
 * mm/vmstat.c: `fragmentation_index`, `extfrag_for_order`.)
 */
import { ALLOC_CMA, ALLOC_WMARK_MIN, ALLOC_WMARK_LOW } from '../mm/allocFlags'
import { type Machine } from '../mm/machine'
import { PAGE_ALLOC_COSTLY_ORDER } from '../mm/pcpIndex'
import { wmarkPages, zoneWatermarkOk } from '../mm/watermark'
import { type Zone } from '../mm/zone'
import { extfragForOrder, fillContigPageInfo, fragmentationIndex } from '../proc/extfrag'
import { emitCompactionTrace } from './state'
import { TP_SUITABLE } from './traceTypes'
import { compactGap, type CompactResult } from './types'

/** `sysctl_extfrag_threshold` default. */
export const EXTFRAG_THRESHOLD_DEFAULT = 500

/** The zone's `free_area[].nr_free` as a plain array (blocks per order). */
export function zoneNrFree(m: Machine, z: Zone): number[] {
  return Array.from(m.nrFree.subarray(z.id * m.nrOrders, (z.id + 1) * m.nrOrders))
}

/** vmstat.c:fragmentation_index(zone, order): -1000 (would succeed), 0..1000 (0 = lack of memory, 1000 = fragmentation). */
export function zoneFragmentationIndex(m: Machine, z: Zone, order: number): number {
  return fragmentationIndex(order, fillContigPageInfo(zoneNrFree(m, z), order))
}

/** vmstat.c:extfrag_for_order: % of free memory in blocks below `order`. */
export function zoneExtfragForOrder(m: Machine, z: Zone, order: number): number {
  return extfragForOrder(zoneNrFree(m, z), order)
}

function traceSuitable(m: Machine, z: Zone, order: number, ret: CompactResult): void {
  if (m.traceOn[TP_SUITABLE] !== 0)
    emitCompactionTrace(m, TP_SUITABLE, {
      name: 'mm_compaction_suitable',
      nid: z.nid,
      idx: z.type,
      order,
      ret,
    })
}

/**
 * `__compaction_suitable()` [6.5+]: enough free base pages to migrate into? Order-0
 * `__zone_watermark_ok` at (order > COSTLY ? LOW : MIN) + `compact_gap(order)`, counting CMA.
 */
export function compactionSuitableWmark(
  m: Machine,
  z: Zone,
  order: number,
  highestZoneidx: number,
  wmarkTarget: number,
): boolean {
  const mark =
    wmarkPages(z, order > PAGE_ALLOC_COSTLY_ORDER ? ALLOC_WMARK_LOW : ALLOC_WMARK_MIN) +
    compactGap(order)
  return zoneWatermarkOk(m, z, 0, mark, highestZoneidx, ALLOC_CMA, wmarkTarget)
}

/**
 * `compaction_suitable()` [6.5+ bool]: false when the watermark check fails (trace SKIPPED) or,
 * for costly orders, when `0 <= fragmentation_index <= extfrag_threshold` (the failure is a lack
 * of memory, not fragmentation: trace NOT_SUITABLE_ZONE).
 */
export function compactionSuitable(
  m: Machine,
  z: Zone,
  order: number,
  highestZoneidx: number,
  extfragThreshold = EXTFRAG_THRESHOLD_DEFAULT,
): boolean {
  let ret: CompactResult = 'continue'
  if (!compactionSuitableWmark(m, z, order, highestZoneidx, z.nrFreePages)) {
    ret = 'skipped'
  } else if (order > PAGE_ALLOC_COSTLY_ORDER) {
    const fragindex = zoneFragmentationIndex(m, z, order)
    if (fragindex >= 0 && fragindex <= extfragThreshold) ret = 'not_suitable_zone'
  }
  traceSuitable(m, z, order, ret)
  return ret === 'continue'
}

/**
 * `compaction_suit_allocation_order()`: SUCCESS if the allocation's own watermark is already
 * met at `order`, SKIPPED if compaction is not suitable, else CONTINUE.
 */
export function compactionSuitAllocationOrder(
  m: Machine,
  z: Zone,
  order: number,
  highestZoneidx: number,
  allocFlags: number,
  extfragThreshold = EXTFRAG_THRESHOLD_DEFAULT,
): CompactResult {
  const mark = wmarkPages(z, allocFlags)
  if (zoneWatermarkOk(m, z, order, mark, highestZoneidx, allocFlags, z.nrFreePages))
    return 'success'
  if (!compactionSuitable(m, z, order, highestZoneidx, extfragThreshold)) return 'skipped'
  return 'continue'
}

/**
 * `compaction_zonelist_suitable()`: would compaction have a chance after reclaim? Free pages
 * count `reclaimable / order` extra. `reclaimablePages` comes from the reclaim model (0 without).
 */
export function compactionZonelistSuitable(
  m: Machine,
  zoneIds: readonly number[],
  order: number,
  highestZoneidx: number,
  reclaimablePages: (z: Zone) => number = () => 0,
): boolean {
  for (const id of zoneIds) {
    const z = m.zones[id]
    if (z.type > highestZoneidx) continue
    const available = Math.floor(reclaimablePages(z) / Math.max(1, order)) + z.nrFreePages
    if (compactionSuitableWmark(m, z, order, highestZoneidx, available)) return true
  }
  return false
}
