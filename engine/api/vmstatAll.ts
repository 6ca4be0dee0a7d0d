/**
 * /proc/vmstat as the workload API serves it: engine/mm's registry (`vmstat(m)`), where every
 * engine module counts — migration, compaction, CMA and reclaim (pgscan_*, pgsteal_*, pswp*,
 * allocstall_*, oom_kill, thp_swpout*, the LRU gauges nr_{in,}active_{anon,file}) — printed
 * in the kernel's `vmstat_text[]` order.
 */
import { vmstat, type Machine } from '../mm'

export function allVmstat(m: Machine): [name: string, value: number][] {
  return vmstat(m)
}

/** One counter by name, or undefined. */
export function vmstatCounter(m: Machine, name: string): number | undefined {
  for (const [k, v] of vmstat(m)) if (k === name) return v
  return undefined
}
