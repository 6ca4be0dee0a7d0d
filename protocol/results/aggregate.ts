/**
 * Aggregation across the seeds of one variant: a metric is reduced to one number per run
 * (a vmstat counter, the last value of a series, or a summary of a series), and those numbers
 * are summarised by mean, sample standard deviation, a Student's t confidence interval, min,
 * max and n (stats.ts).
 *
 * vmstat counters are read at the end of the run. The simulated machine boots at time 0, so an
 * event counter's end value is its delta over the run; gauges (`nr_free_pages`) are end values.
 */
import type { RunResult } from '../result'
import { summarize, type SampleSummary } from './stats'

/** How a series is reduced to one number per run. Percentiles use the nearest-rank method. */
export type SeriesStat =
  'last' | 'mean' | 'min' | 'max' | 'sum' | 'count' | 'p50' | 'p90' | 'p95' | 'p99'

/** A metric of a run. `label` overrides the row name; `unit` is shown as `name (unit)`. */
export type MetricSpec =
  | { kind: 'vmstat'; counter: string; label?: string; unit?: string }
  | { kind: 'series'; series: string; stat: SeriesStat; label?: string; unit?: string }

/**
 * The unit of a metric: the spec's, or `ns` for series named like `latencyNs`/`wait_ns` (the
 * project names units in names), or null.
 */
export function metricUnit(spec: MetricSpec): string | null {
  if (spec.unit !== undefined) return spec.unit
  if (spec.kind === 'series' && spec.stat !== 'count' && /(Ns|_ns)$/.test(spec.series)) return 'ns'
  return null
}

/** The row label of a metric: `compact_stall`, `latencyNs p99 (ns)`, `free_pages (pages)`. */
export function metricLabel(spec: MetricSpec): string {
  const unit = metricUnit(spec)
  const name =
    spec.label ??
    (spec.kind === 'vmstat'
      ? spec.counter
      : spec.stat === 'last'
        ? spec.series
        : `${spec.series} ${spec.stat}`)
  return unit ? `${name} (${unit})` : name
}

/** Nearest-rank percentile of sorted values: the smallest value with at least p% at or below it. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1]
}

/** Reduces a series' values to one number; null for an empty series (except count and sum). */
export function seriesStat(values: readonly number[], stat: SeriesStat): number | null {
  if (stat === 'count') return values.length
  if (stat === 'sum') return values.reduce((a, b) => a + b, 0)
  if (values.length === 0) return null
  switch (stat) {
    case 'last':
      return values[values.length - 1]
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length
    case 'min':
      return values.reduce((a, b) => Math.min(a, b))
    case 'max':
      return values.reduce((a, b) => Math.max(a, b))
    default: {
      const sorted = [...values].sort((a, b) => a - b)
      return percentile(sorted, Number(stat.slice(1)))
    }
  }
}

/** The value of a metric in one run, or null if the run lacks the counter or series. */
export function extractMetric(run: RunResult, spec: MetricSpec): number | null {
  if (spec.kind === 'vmstat') return run.vmstat[spec.counter] ?? null
  const points = run.series[spec.series]
  if (points === undefined) return null
  return seriesStat(
    points.map((p) => p[1]),
    spec.stat,
  )
}

/** A metric aggregated over runs (normally the seeds of one variant). */
export interface MetricAggregate extends SampleSummary {
  /** Row label, with the unit. */
  label: string
  unit: string | null
  /** The per-run values that went into the summary, in run order (runs lacking it skipped). */
  values: number[]
  /** The seeds of those runs, parallel to `values`. */
  seeds: number[]
}

/**
 * Aggregates a metric over runs: mean, sample standard deviation, confidence interval of the
 * mean (Student's t, 95% unless `confidence` says otherwise), min, max and n.
 *
 * @example aggregateMetric(runsOfVariant, { kind: 'vmstat', counter: 'compact_stall' })
 */
export function aggregateMetric(
  runs: readonly RunResult[],
  spec: MetricSpec,
  confidence = 0.95,
): MetricAggregate {
  const values: number[] = []
  const seeds: number[] = []
  for (const run of runs) {
    const v = extractMetric(run, spec)
    if (v === null) continue
    values.push(v)
    seeds.push(run.seed)
  }
  return {
    ...summarize(values, confidence),
    label: metricLabel(spec),
    unit: metricUnit(spec),
    values,
    seeds,
  }
}

/** vmstat counter names of the runs, in first-seen order (the kernel's /proc/vmstat order). */
export function vmstatCounters(runs: readonly RunResult[]): string[] {
  const names = new Set<string>()
  for (const run of runs) for (const name of Object.keys(run.vmstat)) names.add(name)
  return [...names]
}

/** Series names of the runs, in first-seen order. */
export function seriesNames(runs: readonly RunResult[]): string[] {
  const names = new Set<string>()
  for (const run of runs) for (const name of Object.keys(run.series)) names.add(name)
  return [...names]
}
