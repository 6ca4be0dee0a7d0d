/**
 * What each chart plots, taken from an experiment's runs. Pure functions, no DOM: every
 * chart component asks one of these, and gets null when the runs hold no such data (the chart
 * then says what the script did not do instead of drawing an empty canvas).
 *
 * Names are the engine's (engine/api/mmRecorder.ts, contigOps.ts): series
 * `compact_success_rate`, `compact_success_rate.order<N>`, `<kind>.<outcome>` cumulative
 * outcome counts, histograms `<kind>_latency_ns`, `migrate_latency_ns`, `migrate_lock_hold_ns`;
 * and the kernel's /proc/vmstat counters (`compact_stall`, `compact_success`, ...).
 */
import { runsByVariant, type ExperimentResult } from '../../../protocol/results/experiment'
import type { RunResult, SeriesPoint } from '../../../protocol/result'
import { mergeHistograms, runHistogram, type LatencyHistogram } from './histogram'

export interface VariantGroup {
  label: string
  runs: RunResult[]
}

export function variantGroups(exp: ExperimentResult): VariantGroup[] {
  return runsByVariant(exp)
    .map((g) => ({ label: g.label, runs: g.runs }))
    .filter((g) => g.runs.length > 0)
}

/** Mean over the runs of a number each run may lack; null when none has it. */
function meanOf(runs: RunResult[], get: (r: RunResult) => number | null | undefined) {
  const xs = runs.map(get).filter((x): x is number => typeof x === 'number' && isFinite(x))
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length
}

export interface LineSet {
  label: string
  /** Seed of the run, when one line is drawn per run. */
  seed: number
  points: SeriesPoint[]
}

/** One line per run of the series `name`, labelled by variant; null when no run has it. */
export function seriesPerRun(groups: VariantGroup[], name: string): LineSet[] | null {
  const out: LineSet[] = []
  for (const g of groups) {
    for (const r of g.runs) {
      const pts = r.series[name]
      if (pts && pts.length > 0) out.push({ label: g.label, seed: r.seed, points: pts })
    }
  }
  return out.length > 0 ? out : null
}

export interface BarSet {
  /** Category labels on the x axis. */
  categories: string[]
  /** One dataset per variant: a mean value per category (null = no data). */
  datasets: { label: string; values: (number | null)[] }[]
}

function barSet(
  groups: VariantGroup[],
  categories: string[],
  value: (r: RunResult, category: string) => number | null | undefined,
): BarSet | null {
  const datasets = groups.map((g) => ({
    label: g.label,
    values: categories.map((c) => meanOf(g.runs, (r) => value(r, c))),
  }))
  return datasets.some((d) => d.values.some((v) => v !== null && v !== 0))
    ? { categories, datasets }
    : null
}

/** Means over seeds of vmstat counters, per variant, as bars; null when all are zero. */
export function vmstatBars(groups: VariantGroup[], counters: string[]): BarSet | null {
  return barSet(groups, counters, (r, c) => r.vmstat[c])
}

const ORDER_SERIES = /^compact_success_rate\.order(\d+)$/

/**
 * Direct compaction success rate by order, per variant: the last value of each
 * `compact_success_rate.order<N>` series (the rate over the whole run), in percent.
 */
export function successRateByOrder(groups: VariantGroup[]): BarSet | null {
  const orders = new Set<number>()
  for (const g of groups)
    for (const r of g.runs)
      for (const name of Object.keys(r.series)) {
        const m = ORDER_SERIES.exec(name)
        if (m) orders.add(Number(m[1]))
      }
  if (orders.size === 0) return null
  const sorted = [...orders].sort((a, b) => a - b)
  return barSet(
    groups,
    sorted.map((o) => `order ${o}`),
    (r, c) => {
      const pts = r.series[`compact_success_rate.order${c.slice(6)}`]
      return pts && pts.length > 0 ? pts[pts.length - 1]![1] * 100 : null
    },
  )
}

/**
 * The end-of-run success rate compact_success / compact_stall per variant (percent), from
 * /proc/vmstat: what a chart over time falls back to when no rate series was recorded.
 */
export function endSuccessRate(groups: VariantGroup[]): BarSet | null {
  return barSet(groups, ['compact_success / compact_stall'], (r) => {
    const stall = r.vmstat.compact_stall ?? 0
    return stall > 0 ? ((r.vmstat.compact_success ?? 0) / stall) * 100 : null
  })
}

/** The merged histogram `name` of every variant that has one (all seeds pooled). */
export function histogramsPerVariant(
  groups: VariantGroup[],
  name: string,
): { label: string; hist: LatencyHistogram }[] | null {
  const out: { label: string; hist: LatencyHistogram }[] = []
  for (const g of groups) {
    const merged = mergeHistograms(
      g.runs.map((r) => runHistogram(r, name)).filter((h): h is LatencyHistogram => h !== null),
    )
    if (merged && merged.count > 0) out.push({ label: g.label, hist: merged })
  }
  return out.length > 0 ? out : null
}

/** Outcomes of CMA, alloc_contig_range and virtio-mem requests, with the kernel's errnos. */
export const OUTCOMES = [
  { key: 'success', label: 'success' },
  { key: 'busy', label: '-EBUSY' },
  { key: 'nomem', label: '-ENOMEM' },
  { key: 'partial', label: 'partial' },
  { key: 'intr', label: '-EINTR' },
  { key: 'error', label: 'error' },
] as const

export type ContigKind = 'cma_alloc' | 'alloc_contig_range' | 'virtio_mem'

/** Count of one outcome of one kind in a run: the cumulative series, else the events. */
function outcomeCount(r: RunResult, kind: ContigKind, outcome: string): number | null {
  const pts = r.series[`${kind}.${outcome}`]
  if (pts && pts.length > 0) return pts[pts.length - 1]![1]
  const events = (r as { events?: unknown }).events
  if (!Array.isArray(events)) return null
  let n = 0
  let any = false
  for (const e of events as { kind?: unknown; fields?: Record<string, unknown> }[]) {
    if (e?.kind !== kind) continue
    any = true
    if (e.fields?.outcome === outcome) n++
  }
  return any ? n : null
}

/**
 * Mean outcome counts per variant of one request kind; only the outcomes some run had are
 * categories (success and the errnos that occurred). Null when no run made such requests.
 */
export function outcomeBars(groups: VariantGroup[], kind: ContigKind): BarSet | null {
  const present = OUTCOMES.filter((o) =>
    groups.some((g) => g.runs.some((r) => (outcomeCount(r, kind, o.key) ?? 0) > 0)),
  )
  if (present.length === 0) return null
  const byLabel = new Map<string, string>(present.map((o) => [o.label, o.key]))
  return barSet(
    groups,
    present.map((o) => o.label),
    (r, c) => outcomeCount(r, kind, byLabel.get(c)!) ?? 0,
  )
}

/**
 * Series the engine records on its own (mmRecorder, contigOps) rather than the script's
 * `k.record`: they have their own charts, so the user-series chart leaves them out.
 */
const ENGINE_SERIES =
  /^(compact_success_rate|compact_scan_efficiency|fragmentation_score$|alloc_path\.|cma_alloc\.|alloc_contig_range\.|virtio_mem[._]|migrate_wasted_targets$)|_per_request$/

export function isEngineSeries(name: string): boolean {
  return ENGINE_SERIES.test(name)
}

export function userSeries(series: Record<string, SeriesPoint[]>): Record<string, SeriesPoint[]> {
  const out: Record<string, SeriesPoint[]> = {}
  for (const [k, v] of Object.entries(series)) if (!isEngineSeries(k)) out[k] = v
  return out
}
