/**
 * /proc/vmstat lines for the counters the model maintains, in `vmstat_text[]` order
 * (mm/vmstat.c: zone items, numa items, node items, then vm events), the plain `ZoneInfo`
 * view the /proc formatters read, and the counting entry points every engine module uses.
 */
import { type Machine } from './machine'
import { MIGRATE_TYPES } from './migratetype'
import { getPfnblockMigratetype } from './pageblock'
import { zonePcpPages } from './pcp'
import {
  NR_ISOLATED_ANON,
  NR_ISOLATED_FILE,
  NR_LRU_BASE,
  NR_NODE_STAT_ITEMS,
  VM_ALLOCSTALL,
  VM_KSWAPD_HIGH_WMARK_HIT_QUICKLY,
  VM_KSWAPD_LOW_WMARK_HIT_QUICKLY,
  VM_NR_VMSCAN_IMMEDIATE,
  VM_NR_VMSCAN_WRITE,
  VM_OOM_KILL,
  VM_PAGEOUTRUN,
  VM_PGACTIVATE,
  VM_PGDEACTIVATE,
  VM_PGREFILL,
  VM_PGROTATED,
  VM_PGSCAN_ANON,
  VM_PGSCAN_DIRECT,
  VM_PGSCAN_FILE,
  VM_PGSCAN_KSWAPD,
  VM_PGSTEAL_ANON,
  VM_PGSTEAL_DIRECT,
  VM_PGSTEAL_FILE,
  VM_PGSTEAL_KSWAPD,
  VM_PSWPIN,
  VM_PSWPOUT,
  VM_THP_SWPOUT,
  VM_THP_SWPOUT_FALLBACK,
  VM_CMA_ALLOC_FAIL,
  VM_CMA_ALLOC_SUCCESS,
  VM_COMPACTFAIL,
  VM_COMPACTFREE_SCANNED,
  VM_COMPACTISOLATED,
  VM_COMPACTMIGRATE_SCANNED,
  VM_COMPACTSTALL,
  VM_COMPACTSUCCESS,
  VM_KCOMPACTD_FREE_SCANNED,
  VM_KCOMPACTD_MIGRATE_SCANNED,
  VM_KCOMPACTD_WAKE,
  VM_NR_DIRTY,
  VM_NR_WRITEBACK,
  VM_NUMA_FOREIGN,
  VM_NUMA_HIT,
  VM_NUMA_LOCAL,
  VM_NUMA_MISS,
  VM_NUMA_OTHER,
  VM_PGALLOC,
  VM_PGFREE,
  VM_PGMIGRATE_FAIL,
  VM_PGMIGRATE_SUCCESS,
  VM_THP_MIGRATION_FAIL,
  VM_THP_MIGRATION_SPLIT,
  VM_THP_MIGRATION_SUCCESS,
  VM_THP_SPLIT_PAGE,
  VM_THP_SPLIT_PAGE_FAILED,
  VM_THP_DEFERRED_SPLIT_PAGE,
  VM_HTLB_BUDDY_PGALLOC,
  VM_HTLB_BUDDY_PGALLOC_FAIL,
} from './vmstatItems'
import { type ZoneInfo } from './zoneInfo'

/**
 * `count_vm_events(item, n)`: add `n` to a vm event counter (`VM_*` from vmstatItems.ts, e.g.
 * `VM_COMPACTSTALL`). One Float64Array store; call it directly from hot loops.
 */
export function countVmEvent(m: Machine, item: number, n: number): void {
  m.vmEvents[item] += n
}

/** Current value of a vm event counter. */
export function vmEventCount(m: Machine, item: number): number {
  return m.vmEvents[item]
}

/** `mod_node_page_state(pgdat, item, delta)` for a per-node gauge (`NR_ISOLATED_ANON`/`_FILE`). */
export function modNodePageState(m: Machine, nid: number, item: number, delta: number): void {
  m.nodeStat[nid * NR_NODE_STAT_ITEMS + item] += delta
}

/** `node_page_state(pgdat, item)`. */
export function nodePageState(m: Machine, nid: number, item: number): number {
  return m.nodeStat[nid * NR_NODE_STAT_ITEMS + item]
}

/** `global_node_page_state(item)`: the gauge summed over nodes. */
export function globalNodePageState(m: Machine, item: number): number {
  let sum = 0
  for (let nid = 0; nid < m.cfg.nrNodes; nid++) sum += m.nodeStat[nid * NR_NODE_STAT_ITEMS + item]
  return sum
}

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
  const lru = [0, 1, 2, 3, 4].map((l) => globalNodePageState(m, NR_LRU_BASE + l))
  return [
    ['nr_free_pages', free],
    ['nr_zone_inactive_anon', lru[0]],
    ['nr_zone_active_anon', lru[1]],
    ['nr_zone_inactive_file', lru[2]],
    ['nr_zone_active_file', lru[3]],
    ['nr_zone_unevictable', lru[4]],
    ['nr_zone_write_pending', writePending],
    ['nr_mlock', mlock],
    ['nr_free_cma', cma],
    ['numa_hit', ev[VM_NUMA_HIT]],
    ['numa_miss', ev[VM_NUMA_MISS]],
    ['numa_foreign', ev[VM_NUMA_FOREIGN]],
    ['numa_local', ev[VM_NUMA_LOCAL]],
    ['numa_other', ev[VM_NUMA_OTHER]],
    ['nr_inactive_anon', lru[0]],
    ['nr_active_anon', lru[1]],
    ['nr_inactive_file', lru[2]],
    ['nr_active_file', lru[3]],
    ['nr_unevictable', lru[4]],
    ['nr_isolated_anon', globalNodePageState(m, NR_ISOLATED_ANON)],
    ['nr_isolated_file', globalNodePageState(m, NR_ISOLATED_FILE)],
    ['nr_dirty', ev[VM_NR_DIRTY]],
    ['nr_writeback', ev[VM_NR_WRITEBACK]],
    ['nr_vmscan_write', ev[VM_NR_VMSCAN_WRITE]],
    ['nr_vmscan_immediate_reclaim', ev[VM_NR_VMSCAN_IMMEDIATE]],
    ['pswpin', ev[VM_PSWPIN]],
    ['pswpout', ev[VM_PSWPOUT]],
    ['pgalloc_dma', ev[VM_PGALLOC]],
    ['pgalloc_dma32', ev[VM_PGALLOC + 1]],
    ['pgalloc_normal', ev[VM_PGALLOC + 2]],
    ['pgalloc_movable', ev[VM_PGALLOC + 3]],
    ['allocstall_dma', ev[VM_ALLOCSTALL]],
    ['allocstall_dma32', ev[VM_ALLOCSTALL + 1]],
    ['allocstall_normal', ev[VM_ALLOCSTALL + 2]],
    ['allocstall_movable', ev[VM_ALLOCSTALL + 3]],
    ['pgfree', ev[VM_PGFREE]],
    ['pgactivate', ev[VM_PGACTIVATE]],
    ['pgdeactivate', ev[VM_PGDEACTIVATE]],
    ['pgrefill', ev[VM_PGREFILL]],
    ['pgsteal_kswapd', ev[VM_PGSTEAL_KSWAPD]],
    ['pgsteal_direct', ev[VM_PGSTEAL_DIRECT]],
    ['pgscan_kswapd', ev[VM_PGSCAN_KSWAPD]],
    ['pgscan_direct', ev[VM_PGSCAN_DIRECT]],
    ['pgscan_anon', ev[VM_PGSCAN_ANON]],
    ['pgscan_file', ev[VM_PGSCAN_FILE]],
    ['pgsteal_anon', ev[VM_PGSTEAL_ANON]],
    ['pgsteal_file', ev[VM_PGSTEAL_FILE]],
    ['kswapd_low_wmark_hit_quickly', ev[VM_KSWAPD_LOW_WMARK_HIT_QUICKLY]],
    ['kswapd_high_wmark_hit_quickly', ev[VM_KSWAPD_HIGH_WMARK_HIT_QUICKLY]],
    ['pageoutrun', ev[VM_PAGEOUTRUN]],
    ['pgrotated', ev[VM_PGROTATED]],
    ['oom_kill', ev[VM_OOM_KILL]],
    ['pgmigrate_success', ev[VM_PGMIGRATE_SUCCESS]],
    ['pgmigrate_fail', ev[VM_PGMIGRATE_FAIL]],
    ['thp_migration_success', ev[VM_THP_MIGRATION_SUCCESS]],
    ['thp_migration_fail', ev[VM_THP_MIGRATION_FAIL]],
    ['thp_migration_split', ev[VM_THP_MIGRATION_SPLIT]],
    ['compact_migrate_scanned', ev[VM_COMPACTMIGRATE_SCANNED]],
    ['compact_free_scanned', ev[VM_COMPACTFREE_SCANNED]],
    ['compact_isolated', ev[VM_COMPACTISOLATED]],
    ['compact_stall', ev[VM_COMPACTSTALL]],
    ['compact_fail', ev[VM_COMPACTFAIL]],
    ['compact_success', ev[VM_COMPACTSUCCESS]],
    ['compact_daemon_wake', ev[VM_KCOMPACTD_WAKE]],
    ['compact_daemon_migrate_scanned', ev[VM_KCOMPACTD_MIGRATE_SCANNED]],
    ['compact_daemon_free_scanned', ev[VM_KCOMPACTD_FREE_SCANNED]],
    ['htlb_buddy_alloc_success', ev[VM_HTLB_BUDDY_PGALLOC]],
    ['htlb_buddy_alloc_fail', ev[VM_HTLB_BUDDY_PGALLOC_FAIL]],
    ['cma_alloc_success', ev[VM_CMA_ALLOC_SUCCESS]],
    ['cma_alloc_fail', ev[VM_CMA_ALLOC_FAIL]],
    ['thp_split_page', ev[VM_THP_SPLIT_PAGE]],
    ['thp_split_page_failed', ev[VM_THP_SPLIT_PAGE_FAILED]],
    ['thp_deferred_split_page', ev[VM_THP_DEFERRED_SPLIT_PAGE]],
    ['thp_swpout', ev[VM_THP_SWPOUT]],
    ['thp_swpout_fallback', ev[VM_THP_SWPOUT_FALLBACK]],
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
      cmaPages: z.cmaPages,
      pcpPages: zonePcpPages(m, z),
      pcpBatch: z.pcpBatch,
      pcpHigh: z.pcpHigh,
    }
  })
}
