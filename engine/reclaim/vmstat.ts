/**
 * Reclaim's /proc/vmstat lines: the LRU gauges (`nr_zone_inactive_anon` … per zone summed,
 * `nr_inactive_anon` … per node summed: `enum zone_stat_item` / `enum node_stat_item`), swap
 * and writeback, then reclaim's events. Merge with engine/mm's `vmstat(m)` and order with
 * engine/proc's `sortVmstat`.
 */
import { type Machine } from '../mm/machine'
import { reclaimEventLines } from './counters'
import { LRU_NAMES, lruOf, NR_LRU_LISTS } from './lru'

/** Pages on each LRU list, summed over nodes, keyed `inactive_anon` … `unevictable`. */
export function lruCounts(m: Machine): Record<string, number> {
  const l = lruOf(m)
  const out: Record<string, number> = {}
  for (let lru = 0; lru < NR_LRU_LISTS; lru++) {
    let n = 0
    for (const z of m.zones) n += l.zonePages[z.id * NR_LRU_LISTS + lru]
    out[LRU_NAMES[lru]] = n
  }
  return out
}

/** `[name, value]` pairs for reclaim's part of /proc/vmstat. */
export function reclaimVmstat(m: Machine): [string, number][] {
  const c = lruCounts(m)
  const lines: [string, number][] = []
  for (const n of LRU_NAMES) lines.push([`nr_zone_${n}`, c[n]])
  for (const n of LRU_NAMES) lines.push([`nr_${n}`, c[n]])
  return [...lines, ...reclaimEventLines(m)]
}
