/**
 * What `mmwb compare` compares. Per run: the simulated end time; for every user series its
 * mean and its maximum (latency-like series matter by both); every /proc/vmstat counter at
 * the end of the run, which for event counters (pgalloc_*, pgfree, ...) is the delta over the
 * run since the machine boots with them at zero. Across the seeds of a variant each metric is
 * summarised (stats.ts) and tested against the baseline, the first variant.
 */
import type { RunResult } from '../../protocol/result'
import type { Metric, MetricSection } from './schema'
import { significantlyDifferent, summarize } from './stats'

function perRunMetrics(r: RunResult): Map<string, { section: MetricSection; value: number }> {
  const out = new Map<string, { section: MetricSection; value: number }>()
  for (const [name, pts] of Object.entries(r.series)) {
    if (pts.length === 0) continue
    const values = pts.map((p) => p[1])
    out.set(`${name} mean`, {
      section: 'series',
      value: values.reduce((a, b) => a + b, 0) / values.length,
    })
    out.set(`${name} max`, { section: 'series', value: Math.max(...values) })
  }
  out.set('simulated time ns', { section: 'run', value: r.simTimeNs })
  for (const [name, value] of Object.entries(r.vmstat)) out.set(name, { section: 'vmstat', value })
  return out
}

/**
 * Metrics across variants (in the given order; the first is the baseline). vmstat counters
 * that are identical in every run are left out: the table shows what changed.
 */
export function compareRuns(variants: readonly string[], runs: readonly RunResult[]): Metric[] {
  const values = new Map<string, { section: MetricSection; byVariant: Map<string, number[]> }>()
  for (const r of runs) {
    const v = r.variant ?? ''
    for (const [name, m] of perRunMetrics(r)) {
      let e = values.get(name)
      if (!e) values.set(name, (e = { section: m.section, byVariant: new Map() }))
      let list = e.byVariant.get(v)
      if (!list) e.byVariant.set(v, (list = []))
      list.push(m.value)
    }
  }
  const order: Record<MetricSection, number> = { series: 0, run: 1, vmstat: 2 }
  const metrics: Metric[] = []
  for (const [name, e] of values) {
    const all = [...e.byVariant.values()].flat()
    if (e.section === 'vmstat' && all.every((x) => x === all[0])) continue
    const byVariant: Metric['byVariant'] = {}
    for (const v of variants) byVariant[v] = summarize(e.byVariant.get(v) ?? [])
    const base = byVariant[variants[0]]
    const significant: Record<string, boolean> = {}
    for (const v of variants.slice(1)) significant[v] = significantlyDifferent(base, byVariant[v])
    metrics.push({ name, section: e.section, byVariant, significant })
  }
  return metrics.sort(
    (a, b) =>
      order[a.section] - order[b.section] ||
      (a.section === 'vmstat' ? a.name.localeCompare(b.name) : 0),
  )
}
