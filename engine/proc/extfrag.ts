/**
 * External fragmentation indices (mm/vmstat.c, CONFIG_COMPACTION) and their debugfs files
 * /sys/kernel/debug/extfrag/{unusable_index,extfrag_index}. All arithmetic is the kernel's
 * unsigned integer arithmetic; block counts are shifted by multiplication so that counts of
 * large zones cannot overflow 32-bit JS shifts.
 */
import { type ZoneInfo } from '../mm/zoneInfo'
import { cDiv, cInt, cIntZero, zonePrefix } from './cformat'

/** `struct contig_page_info`. */
export interface ContigPageInfo {
  freePages: number
  freeBlocksTotal: number
  freeBlocksSuitable: number
}

/**
 * mm/vmstat.c:fill_contig_page_info: free pages, free blocks, and how many blocks of
 * `suitableOrder` the free blocks of that order or larger could supply.
 */
export function fillContigPageInfo(
  nrFree: readonly number[],
  suitableOrder: number,
): ContigPageInfo {
  const info: ContigPageInfo = { freePages: 0, freeBlocksTotal: 0, freeBlocksSuitable: 0 }
  for (let order = 0; order < nrFree.length; order++) {
    const blocks = nrFree[order]
    info.freeBlocksTotal += blocks
    info.freePages += blocks * 2 ** order
    if (order >= suitableOrder) info.freeBlocksSuitable += blocks * 2 ** (order - suitableOrder)
  }
  return info
}

/**
 * mm/vmstat.c:unusable_free_index: thousandths of free memory that cannot serve an allocation
 * of `order`; 1000 when nothing is free.
 */
export function unusableIndex(order: number, info: ContigPageInfo): number {
  if (info.freePages === 0) return 1000
  return Math.floor(
    ((info.freePages - info.freeBlocksSuitable * 2 ** order) * 1000) / info.freePages,
  )
}

/**
 * mm/vmstat.c:__fragmentation_index: 0 with no free blocks; -1000 when an `order` allocation
 * would succeed; otherwise `1000 - (1000 + free_pages*1000/2^order) / free_blocks_total`, which
 * tends to 0 when the failure is a lack of memory and to 1000 when it is fragmentation. With a
 * single free block larger than half the request it goes below 0 (e.g. -500).
 */
export function fragmentationIndex(order: number, info: ContigPageInfo): number {
  if (info.freeBlocksTotal === 0) return 0
  if (info.freeBlocksSuitable > 0) return -1000
  const requested = 2 ** order
  return (
    1000 -
    Math.floor((1000 + Math.floor((info.freePages * 1000) / requested)) / info.freeBlocksTotal)
  )
}

/**
 * mm/vmstat.c:extfrag_for_order: percentage (0..100) of free pages in blocks smaller than
 * `order`; 0 when nothing is free.
 */
export function extfragForOrder(nrFree: readonly number[], order: number): number {
  const info = fillContigPageInfo(nrFree, order)
  if (info.freePages === 0) return 0
  return Math.floor(
    ((info.freePages - info.freeBlocksSuitable * 2 ** order) * 100) / info.freePages,
  )
}

/** mm/vmstat.c:fragmentation_index(zone, order). */
export function zoneFragmentationIndex(nrFree: readonly number[], order: number): number {
  return fragmentationIndex(order, fillContigPageInfo(nrFree, order))
}

/**
 * mm/vmstat.c:unusable_show_print for every populated zone: `"Node %d, zone %8s "`, then
 * `"%d.%03d "` of index/1000 and index%1000 per order, then a newline.
 */
export function formatUnusableIndex(zones: readonly ZoneInfo[]): string {
  let out = ''
  for (const z of zones) {
    if (z.presentPages === 0) continue
    out += zonePrefix(z.nid, z.name)
    for (let order = 0; order < z.nrFree.length; order++) {
      const index = unusableIndex(order, fillContigPageInfo(z.nrFree, order))
      out += `${cDiv(index, 1000)}.${cIntZero(index % 1000, 3)} `
    }
    out += '\n'
  }
  return out
}

/**
 * mm/vmstat.c:extfrag_show_print for every populated zone: `"Node %d, zone %8s "`, then
 * `"%2d.%03d "` per order. C's truncating division makes -1000 print as "-1.000" and -500 as
 * " 0.-500"; both are reproduced.
 */
export function formatExtfragIndex(zones: readonly ZoneInfo[]): string {
  let out = ''
  for (const z of zones) {
    if (z.presentPages === 0) continue
    out += zonePrefix(z.nid, z.name)
    for (let order = 0; order < z.nrFree.length; order++) {
      const index = fragmentationIndex(order, fillContigPageInfo(z.nrFree, order))
      out += `${cInt(cDiv(index, 1000), 2)}.${cIntZero(index % 1000, 3)} `
    }
    out += '\n'
  }
  return out
}
