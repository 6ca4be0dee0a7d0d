/**
 * /proc/vmstat lines for the counters the model maintains, in `vmstat_text[]` order
 * (mm/vmstat.c: zone items, numa items, node items, then vm events), and the plain `ZoneInfo`
 * view the /proc formatters read.
 */
import { type Machine } from './machine'
import { MIGRATE_TYPES } from './migratetype'
import { getPfnblockMigratetype } from './pageblock'
import { zonePcpPages } from './pcp'
import {
  VM_NR_DIRTY,
  VM_NR_WRITEBACK,
  VM_NUMA_FOREIGN,
  VM_NUMA_HIT,
  VM_NUMA_LOCAL,
  VM_NUMA_MISS,
  VM_NUMA_OTHER,
  VM_PGALLOC,
  VM_PGFREE,
} from './vmstatItems'
import { type ZoneInfo } from './zoneInfo'

/** `/proc/vmstat` as `[name, value]` pairs in kernel order. */
export function vmstat(m: Machine): [name: string, value: number][] {
  let free = 0
  let cma = 0
  let mlock = 0
  let writePending = 0
  for (const z of m.zones) {
    free += z.nrFreePages
    cma += z.nrFreeCmaPages
    mlock += z.nrMlock
    writePending += z.nrZoneWritePending
  }
  const ev = m.vmEvents
  return [
    ['nr_free_pages', free],
    ['nr_zone_write_pending', writePending],
    ['nr_mlock', mlock],
    ['nr_free_cma', cma],
    ['numa_hit', ev[VM_NUMA_HIT]],
    ['numa_miss', ev[VM_NUMA_MISS]],
    ['numa_foreign', ev[VM_NUMA_FOREIGN]],
    ['numa_local', ev[VM_NUMA_LOCAL]],
    ['numa_other', ev[VM_NUMA_OTHER]],
    ['nr_dirty', ev[VM_NR_DIRTY]],
    ['nr_writeback', ev[VM_NR_WRITEBACK]],
    ['pgalloc_dma', ev[VM_PGALLOC]],
    ['pgalloc_dma32', ev[VM_PGALLOC + 1]],
    ['pgalloc_normal', ev[VM_PGALLOC + 2]],
    ['pgalloc_movable', ev[VM_PGALLOC + 3]],
    ['pgfree', ev[VM_PGFREE]],
  ]
}

/** Plain per-zone view for /proc/buddyinfo, pagetypeinfo, zoneinfo-like output and extfrag. */
export function zoneInfo(m: Machine): ZoneInfo[] {
  return m.zones.map((z) => {
    const nrFree: number[] = []
    const byType: number[][] = []
    for (let mt = 0; mt < MIGRATE_TYPES; mt++) byType.push([])
    for (let o = 0; o <= m.maxOrder; o++) {
      nrFree.push(m.nrFree[z.id * m.nrOrders + o])
      for (let mt = 0; mt < MIGRATE_TYPES; mt++)
        byType[mt].push(m.faCount[(z.id * m.nrOrders + o) * MIGRATE_TYPES + mt])
    }
    const blocks = new Array<number>(MIGRATE_TYPES).fill(0)
    for (let pfn = z.startPfn; pfn < z.endPfn; pfn += m.pageblockNrPages)
      blocks[getPfnblockMigratetype(m, pfn)]++
    return {
      nid: z.nid,
      name: z.name,
      startPfn: z.startPfn,
      spannedPages: z.spannedPages,
      presentPages: z.presentPages,
      managedPages: z.managedPages,
      nrFree,
      nrFreeByType: byType,
      nrPageblocksByType: blocks,
      freePages: z.nrFreePages,
      watermark: {
        min: z.wmarkMin,
        low: z.wmarkLow,
        high: z.wmarkHigh,
        boost: z.watermarkBoost,
        promo: z.wmarkPromo,
      },
      lowmemReserve: [...z.lowmemReserve],
      nrReservedHighatomic: z.nrReservedHighatomic,
      nrFreeCma: z.nrFreeCmaPages,
      pcpPages: zonePcpPages(m, z),
      pcpBatch: z.pcpBatch,
      pcpHigh: z.pcpHigh,
    }
  })
}
