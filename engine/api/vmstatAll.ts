/**
 * /proc/vmstat as the workload API serves it: engine/mm's counters, with the compaction and
 * CMA counters those modules still keep on their own side tables folded in (the larger value
 * wins, so this stays right while the counters move into engine/mm's registry and after).
 * Names engine/mm does not list yet are appended.
 */
import { cmaVmstat } from '../cma'
import { compactionVmstat } from '../compaction'
import { vmstat, type Machine } from '../mm'

export function allVmstat(m: Machine): [name: string, value: number][] {
  const out = vmstat(m)
  const at = new Map<string, number>()
  out.forEach(([n], i) => at.set(n, i))
  for (const [name, value] of [...compactionVmstat(m), ...cmaVmstat(m)]) {
    const i = at.get(name)
    if (i === undefined) {
      at.set(name, out.length)
      out.push([name, value])
    } else if (value > out[i][1]) out[i] = [name, value]
  }
  return out
}

/** One counter by name, or undefined. */
export function vmstatCounter(m: Machine, name: string): number | undefined {
  for (const [k, v] of allVmstat(m)) if (k === name) return v
  return undefined
}
