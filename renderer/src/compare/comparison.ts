/**
 * The comparison of an experiment as the workbench shows it: compare.ts's mmtests-style table
 * with metrics chosen for the runs at hand (the mean of each series the script recorded, the
 * end value of the engine's cumulative counts and rates), the vmstat counters that moved, and
 * the MetricSpec behind every row, for the chart overlay.
 */
import type { MetricSpec } from '../../../protocol/results/aggregate'
import { seriesNames } from '../../../protocol/results/aggregate'
import {
  compareExperiment,
  type ComparisonCell,
  type ComparisonTable,
} from '../../../protocol/results/compare'
import type { ExperimentResult } from '../../../protocol/results/experiment'
import type { RunResult } from '../../../protocol/result'
import { isEngineSeries } from '../results/extract'
import { histogramPercentile, runHistogram } from '../results/histogram'

export interface Comparison {
  table: ComparisonTable
  /** The spec of every row: rows first, then the vmstat section. */
  specs: MetricSpec[]
  /** The experiment the rows were computed from (histogram statistics added as series). */
  experiment: ExperimentResult
}

const HIST_STATS = ['mean', 'p50', 'p99'] as const

/**
 * Adds each latency histogram's mean, p50 and p99 to every run as one-point series
 * (`migrate_latency_ns:p99`), so the table compares them like any metric (as `mmwb compare`).
 */
export function withHistogramStats(exp: ExperimentResult): {
  experiment: ExperimentResult
  metrics: MetricSpec[]
} {
  const names = new Set<string>()
  const runs = exp.runs.map((r): RunResult => {
    const extra: RunResult['series'] = {}
    for (const name of Object.keys(r.histograms ?? {})) {
      const h = runHistogram(r, name)
      if (!h) continue
      names.add(name)
      extra[`${name}:mean`] = [[r.simTimeNs, h.sum / h.count]]
      extra[`${name}:p50`] = [[r.simTimeNs, histogramPercentile(h, 50)!]]
      extra[`${name}:p99`] = [[r.simTimeNs, histogramPercentile(h, 99)!]]
    }
    return { ...r, series: { ...r.series, ...extra } }
  })
  const metrics = [...names].sort().flatMap((name) =>
    HIST_STATS.map((stat): MetricSpec => ({
      kind: 'series',
      series: `${name}:${stat}`,
      stat: 'last',
      label: `${name} ${stat}`,
      unit: 'ns',
    })),
  )
  return { experiment: { ...exp, runs }, metrics }
}

export function comparisonMetrics(exp: ExperimentResult): MetricSpec[] {
  return seriesNames(exp.runs).map((series): MetricSpec =>
    isEngineSeries(series)
      ? { kind: 'series', series, stat: 'last' }
      : { kind: 'series', series, stat: 'mean' },
  )
}

export function buildComparison(original: ExperimentResult): Comparison {
  const withHist = withHistogramStats(original)
  const exp = withHist.experiment
  const metrics = [...comparisonMetrics(original), ...withHist.metrics]
  const table = compareExperiment(exp, { metrics })
  const vmstatSpecs = table.vmstat.map((r): MetricSpec => ({ kind: 'vmstat', counter: r.metric }))
  return { table, specs: [...metrics, ...vmstatSpecs], experiment: exp }
}

/** A number as the table prints it: integers plainly, others with 4 significant digits. */
export function fmt(v: number | null): string {
  if (v === null) return '–'
  if (Number.isInteger(v)) return v.toLocaleString('en-US')
  const a = Math.abs(v)
  if (a >= 1000) return Math.round(v).toLocaleString('en-US')
  return v.toPrecision(4).replace(/\.?0+$/, '')
}

export function deltaText(c: ComparisonCell, baseline: boolean): string {
  if (baseline) return ''
  if (c.deltaPct === null) return 'n/a'
  const s = `${c.deltaPct > 0 ? '+' : ''}${c.deltaPct.toFixed(2)}%`
  return c.significant ? `*${s}*` : `(${s})`
}
