/**
 * Reclaim's /proc/vmstat lines: the LRU gauges (`nr_zone_inactive_anon` …, `nr_inactive_anon`
 * …, engine/mm node items `NR_LRU_BASE + lru` that lru.ts keeps) and reclaim's events, read
 * from engine/mm's registry, in `vmstat_text[]` order. engine/mm's `vmstat(m)` prints them
 * with every other counter.
 */
import { type Machine } from '../mm/machine'
import { vmstat } from '../mm/vmstat'
import { RECLAIM_EVENT_NAMES } from './counters'
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

const NAMES = new Set<string>([
  ...LRU_NAMES.map((n) => `nr_zone_${n}`),
  ...LRU_NAMES.map((n) => `nr_${n}`),
  ...RECLAIM_EVENT_NAMES,
])

/** `[name, value]` pairs for reclaim's part of /proc/vmstat. */
export function reclaimVmstat(m: Machine): [string, number][] {
  lruOf(m)
  return vmstat(m).filter(([n]) => NAMES.has(n))
}
