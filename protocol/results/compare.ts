/**
 * An mmtests-style comparison of the variants of an experiment (cf. mmtests'
 * compare-kernels.sh): rows are metrics, columns are variants, the first variant is the
 * baseline. Every cell holds the mean over seeds with its confidence interval, and non-baseline
 * cells the relative difference to the baseline, marked significant when Welch's t-test gives
 * p < 0.05. A second section compares the vmstat counters.
 *
 * Two renderings: `compareExperiment` returns a structured table for the renderer and HTML
 * reports; `renderComparisonText` prints it with fixed-width aligned columns for the CLI.
 */
import {
  aggregateMetric,
  seriesNames,
  vmstatCounters,
  type MetricAggregate,
  type MetricSpec,
} from './aggregate'
import { runsByVariant, type ExperimentResult } from './experiment'
import { welchTTest } from './stats'

/** One variant's figures for one metric. */
export interface ComparisonCell {
  /** Mean over seeds; null when no run had the metric. */
  mean: number | null
  /** Half-width of the confidence interval of the mean; null when n < 2. */
  ci: number | null
  stddev: number | null
  min: number | null
  max: number | null
  n: number
  /**
   * Relative difference of the mean to the baseline's, in percent (`(mean - base) / |base|`,
   * so +5 means 5% higher). 0 for the baseline; null when either mean is missing, or the
   * baseline is 0 and this mean is not.
   */
  deltaPct: number | null
  /** Welch's two-sided p-value against the baseline; null for the baseline or when n < 2. */
  pValue: number | null
  /** pValue < alpha. */
  significant: boolean
}

/** One metric (or vmstat counter) across the variants. */
export interface ComparisonRow {
  /** Row label with the unit, e.g. `latencyNs p99 (ns)`. */
  metric: string
  unit: string | null
  /** One cell per column, in column order. */
  cells: ComparisonCell[]
}

/** The comparison of an experiment's variants: metric rows and vmstat rows. */
export interface ComparisonTable {
  script: string
  /** Variant labels; columns[0] is the baseline. */
  columns: string[]
  /** Seeds of the experiment. */
  seeds: number[]
  /** Confidence level of every `ci`. */
  confidence: number
  /** Significance level of the t-test. */
  alpha: number
  rows: ComparisonRow[]
  /** vmstat counters at the end of the runs (deltas since the simulated boot). */
  vmstat: ComparisonRow[]
}

/** What {@link compareExperiment} compares and at which levels. */
export interface CompareOptions {
  /** Metrics to compare; by default the mean of every series (see {@link defaultMetrics}). */
  metrics?: MetricSpec[]
  /**
   * vmstat counters to compare: 'nonzero' (default) lists those non-zero in some run, 'all'
   * every counter, an array names them, and false leaves the section out.
   */
  vmstat?: 'nonzero' | 'all' | string[] | false
  /** Confidence level of the intervals (default 0.95). */
  confidence?: number
  /** Significance level of Welch's t-test (default 0.05). */
  alpha?: number
}

/** The default metrics: the mean of every series recorded by any run. */
export function defaultMetrics(experiment: ExperimentResult): MetricSpec[] {
  return seriesNames(experiment.runs).map((series) => ({ kind: 'series', series, stat: 'mean' }))
}

function relativePct(mean: number | null, base: number | null): number | null {
  if (mean === null || base === null) return null
  if (base === 0) return mean === 0 ? 0 : null
  return ((mean - base) / Math.abs(base)) * 100
}

function compareRow(aggs: MetricAggregate[], alpha: number): ComparisonRow {
  const base = aggs[0]
  const cells = aggs.map((a, i): ComparisonCell => {
    const test = i === 0 ? null : welchTTest(a, base)
    return {
      mean: a.mean,
      ci: a.ci,
      stddev: a.stddev,
      min: a.min,
      max: a.max,
      n: a.n,
      deltaPct: i === 0 ? (a.mean === null ? null : 0) : relativePct(a.mean, base.mean),
      pValue: test ? test.pValue : null,
      significant: test !== null && test.pValue < alpha,
    }
  })
  return { metric: base.label, unit: base.unit, cells }
}

/**
 * Builds the comparison table of an experiment: one row per metric and per vmstat counter,
 * one column per variant (the first is the baseline).
 *
 * @example renderComparisonText(compareExperiment(validateExperiment(json)))
 */
export function compareExperiment(
  experiment: ExperimentResult,
  opts: CompareOptions = {},
): ComparisonTable {
  const confidence = opts.confidence ?? 0.95
  const alpha = opts.alpha ?? 0.05
  const groups = runsByVariant(experiment)
  const row = (spec: MetricSpec): ComparisonRow =>
    compareRow(
      groups.map((g) => aggregateMetric(g.runs, spec, confidence)),
      alpha,
    )
  const metrics = opts.metrics ?? defaultMetrics(experiment)
  const vmstatOpt = opts.vmstat ?? 'nonzero'
  let counters: string[] = []
  if (Array.isArray(vmstatOpt)) counters = vmstatOpt
  else if (vmstatOpt === 'all') counters = vmstatCounters(experiment.runs)
  else if (vmstatOpt === 'nonzero') {
    counters = vmstatCounters(experiment.runs).filter((c) =>
      experiment.runs.some((r) => (r.vmstat[c] ?? 0) !== 0),
    )
  }
  return {
    script: experiment.script,
    columns: groups.map((g) => g.label),
    seeds: [...experiment.seeds],
    confidence,
    alpha,
    rows: metrics.map(row),
    vmstat: counters.map((counter) => row({ kind: 'vmstat', counter })),
  }
}

// ---- plain text ----------------------------------------------------------------------------

/** The three parts of a rendered cell, padded per column so the table lines up. */
interface CellText {
  mean: string
  ci: string
  delta: string
  significant: boolean
}

const fixed = (v: number | null): string => (v === null ? '-' : v.toFixed(2))

function cellText(c: ComparisonCell): CellText {
  const delta =
    c.deltaPct === null ? 'n/a' : `${c.deltaPct > 0 ? '+' : ''}${c.deltaPct.toFixed(2)}%`
  return { mean: fixed(c.mean), ci: fixed(c.ci), delta, significant: c.significant }
}

/**
 * Renders the table as fixed-width text, like compare-kernels.sh:
 *
 *   compact_stall   5.00 (±2.48) (  0.00%)   2.00 (±2.48) *-60.00%*
 *
 * Each cell is `mean (±ci)` followed by the relative difference to the baseline in
 * parentheses; as in mmtests, a significant difference replaces the parentheses by `*`.
 */
export function renderComparisonText(table: ComparisonTable): string {
  const sections: { title: string; rows: ComparisonRow[] }[] = [{ title: '', rows: table.rows }]
  if (table.vmstat.length > 0) sections.push({ title: 'vmstat', rows: table.vmstat })
  const allRows = sections.flatMap((s) => s.rows)
  const texts = allRows.map((r) => r.cells.map(cellText))

  // Widths per column and part, over both sections, so every line aligns.
  const width = table.columns.map((_, col) => {
    const parts = texts.map((t) => t[col])
    const w = {
      mean: Math.max(8, ...parts.map((p) => p.mean.length)),
      ci: Math.max(4, ...parts.map((p) => p.ci.length)),
      delta: Math.max(7, ...parts.map((p) => p.delta.length)),
    }
    // mean, " (±", ci, ") ", "(", delta, ")"
    return { ...w, cell: w.mean + 3 + w.ci + 2 + 1 + w.delta + 1 }
  })
  const labelWidth = Math.max(
    ...sections.map((s) => s.title.length),
    ...allRows.map((r) => r.metric.length),
  )

  const renderCell = (t: CellText, col: number): string => {
    const w = width[col]
    const open = t.significant ? '*' : '('
    const close = t.significant ? '*' : ')'
    return `${t.mean.padStart(w.mean)} (±${t.ci.padStart(w.ci)}) ${open}${t.delta.padStart(w.delta)}${close}`
  }
  const header = (title: string): string =>
    [title.padEnd(labelWidth), ...table.columns.map((c, i) => c.padStart(width[i].cell))].join('  ')

  const pct = Math.round(table.confidence * 100)
  const lines = [
    `${table.script}: ${table.columns.length} variant(s) x ${table.seeds.length} seed(s); ` +
      `mean (±${pct}% CI), difference to ${table.columns[0]}; ` +
      `*x%* = significant (Welch's t-test, p < ${table.alpha})`,
  ]
  let rowIndex = 0
  for (const section of sections) {
    lines.push('', header(section.title))
    for (const row of section.rows) {
      const cells = texts[rowIndex++].map(renderCell)
      lines.push([row.metric.padEnd(labelWidth), ...cells].join('  '))
    }
  }
  return lines.map((l) => l.trimEnd()).join('\n') + '\n'
}
