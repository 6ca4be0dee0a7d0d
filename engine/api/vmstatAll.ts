/**
 * /proc/vmstat as the workload API serves it: engine/mm's registry (`vmstat(m)`), where every
 * engine module counts — migration, compaction, CMA and reclaim (pgscan_*, pgsteal_*, pswp*,
 * allocstall_*, oom_kill, thp_swpout*, the LRU gauges nr_{in,}active_{anon,file}) — printed
 * in the kernel's `vmstat_text[]` order.
 *
 * The LRU lists follow frees lazily (engine/reclaim/lru.ts:lruSync reconciles them with the
 * page flags at reclaim entry), while the kernel unlinks a folio in `__page_cache_release`
 * when it is freed. So before the LRU gauges are read, the lists are reconciled: a no-op when
 * nothing was allocated, freed or migrated since the last reconcile, one pass over the pfns
 * otherwise. Reads of other counters never pay it.
 */
import { vmstat, type Machine } from '../mm'
import { lruSync } from '../reclaim/lru'

const LRU_GAUGE = /^nr_(zone_)?(in)?active_(anon|file)$|^nr_(zone_)?unevictable$/

export function allVmstat(m: Machine): [name: string, value: number][] {
  lruSync(m)
  return vmstat(m)
}

/** One counter by name, or undefined. */
export function vmstatCounter(m: Machine, name: string): number | undefined {
  if (LRU_GAUGE.test(name)) lruSync(m)
  for (const [k, v] of vmstat(m)) if (k === name) return v
  return undefined
}
