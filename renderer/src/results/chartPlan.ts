/**
 * Turns recorded series into chart axes and datasets, with a unit on every axis.
 *
 * The x axis is simulated time (points carry ns), shown in the largest unit that keeps the
 * numbers readable. The y unit comes from the series name, following the project's rule that
 * names carry units (`latencyNs`, `nrFreePages`, `free_kb`, `unusablePct`); series with
 * different units get separate y axes.
 */
import type { SeriesPoint } from '../../../protocol/result'

export type TimeUnit = 'ns' | 'µs' | 'ms' | 's'

const NS_PER: Record<TimeUnit, number> = { ns: 1, µs: 1e3, ms: 1e6, s: 1e9 }

export function pickTimeUnit(maxNs: number): TimeUnit {
  if (maxNs < 1e4) return 'ns'
  if (maxNs < 1e7) return 'µs'
  if (maxNs < 1e10) return 'ms'
  return 's'
}

/** Splits camelCase and snake_case into lower-case words: "nrFreePages" -> [nr, free, pages]. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
}

/** The unit a series name announces; "count" when it announces none. */
export function unitOfSeries(name: string): string {
  const w = words(name)
  const last = w[w.length - 1] ?? ''
  const suffixUnits: Record<string, string> = {
    ns: 'ns',
    us: 'µs',
    ms: 'ms',
    sec: 's',
    secs: 's',
    seconds: 's',
    kb: 'KiB',
    kib: 'KiB',
    mb: 'MiB',
    mib: 'MiB',
    gb: 'GiB',
    gib: 'GiB',
    bytes: 'bytes',
    pct: '%',
    percent: '%',
    pages: 'pages',
    blocks: 'blocks',
    pageblocks: 'pageblocks',
    order: 'order',
    ratio: 'ratio',
    fraction: 'fraction',
    index: 'index',
    pfn: 'pfn',
  }
  if (suffixUnits[last]) return suffixUnits[last]!
  // Kernel counters of pages: nr_free_pages, nr_free, free, pgalloc_*, pgfree, compact_*_scanned.
  if (w.includes('pages') || w[0] === 'nr' || w.includes('free')) return 'pages'
  return 'count'
}

export interface AxisSpec {
  id: string
  unit: string
  title: string
  position: 'left' | 'right'
}

export interface DatasetSpec {
  label: string
  yAxisID: string
  data: { x: number; y: number }[]
}

export interface ChartPlan {
  xTitle: string
  xUnit: TimeUnit
  yAxes: AxisSpec[]
  datasets: DatasetSpec[]
}

export function planChart(series: Record<string, SeriesPoint[]>): ChartPlan {
  const names = Object.keys(series).filter((n) => series[n]!.length > 0)
  let maxNs = 0
  for (const n of names) for (const [t] of series[n]!) if (t > maxNs) maxNs = t
  const xUnit = pickTimeUnit(maxNs)
  const scale = NS_PER[xUnit]

  const axisByUnit = new Map<string, AxisSpec>()
  const namesByUnit = new Map<string, string[]>()
  const datasets: DatasetSpec[] = []
  for (const name of names) {
    const unit = unitOfSeries(name)
    let axis = axisByUnit.get(unit)
    if (!axis) {
      const i = axisByUnit.size
      axis = {
        id: i === 0 ? 'y' : `y${i}`,
        unit,
        title: '',
        position: i % 2 === 0 ? 'left' : 'right',
      }
      axisByUnit.set(unit, axis)
      namesByUnit.set(unit, [])
    }
    namesByUnit.get(unit)!.push(name)
    datasets.push({
      label: `${name} (${unit})`,
      yAxisID: axis.id,
      data: series[name]!.map(([t, v]) => ({ x: t / scale, y: v })),
    })
  }
  for (const [unit, axis] of axisByUnit) {
    const ns = namesByUnit.get(unit)!
    axis.title = ns.length === 1 ? `${ns[0]} (${unit})` : `${ns.join(', ')} (${unit})`
  }
  return {
    xTitle: `simulated time (${xUnit})`,
    xUnit,
    yAxes: [...axisByUnit.values()],
    datasets,
  }
}

/**
 * Appends streamed points to an accumulator in place (amortised O(1) per point over a long
 * run) and returns a new top-level object, so React sees a change.
 */
export function appendSeries(
  acc: Record<string, SeriesPoint[]>,
  more: Record<string, SeriesPoint[]>,
): Record<string, SeriesPoint[]> {
  for (const [name, pts] of Object.entries(more)) {
    const into = (acc[name] ??= [])
    for (const p of pts) into.push(p)
  }
  return { ...acc }
}
