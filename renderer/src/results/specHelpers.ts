/**
 * Chart specs from the shapes extract.ts returns: bars per variant, lines per run over
 * simulated time, and latency distributions on a log ns axis. Every axis title names its unit.
 */
import { csvField } from '../../../protocol/results/csv'
import { axis, baseOptions, formatNs, type ChartContext, type ChartSpec } from './chartSetup'
import { pickTimeUnit } from './chartPlan'
import type { BarSet, LineSet } from './extract'
import { bucketRange, cdfPoints, histogramPoints, type LatencyHistogram } from './histogram'
import { colourOf, withAlpha } from './palette'

const NS_PER = { ns: 1, µs: 1e3, ms: 1e6, s: 1e9 } as const

function csv(header: string[], rows: (string | number | null)[][]): string {
  return [header.join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n'
}

export interface SpecMeta {
  title: string
  testId: string
}

export function barSpec(
  meta: SpecMeta,
  bars: BarSet,
  ctx: ChartContext,
  xTitle: string,
  yTitle: string,
  yMax?: number,
): ChartSpec {
  const { theme } = ctx
  return {
    kind: 'chart',
    ...meta,
    config: {
      type: 'bar',
      data: {
        labels: bars.categories,
        datasets: bars.datasets.map((d) => ({
          label: d.label,
          data: d.values,
          backgroundColor: withAlpha(colourOf(ctx.colours, d.label), 0.8),
          borderColor: colourOf(ctx.colours, d.label),
          borderWidth: 1,
        })),
      },
      options: {
        ...baseOptions(theme),
        scales: {
          x: axis(theme, xTitle),
          y: axis(theme, yTitle, { beginAtZero: true, ...(yMax ? { max: yMax } : {}) }),
        },
      },
    },
    csv: () =>
      csv(
        ['variant', 'category', 'value'],
        bars.datasets.flatMap((d) => bars.categories.map((c, i) => [d.label, c, d.values[i]!])),
      ),
  }
}

/** One line per run; every seed of a variant in the variant's colour, one legend entry each. */
export function linesSpec(
  meta: SpecMeta,
  lines: LineSet[],
  ctx: ChartContext,
  yTitle: string,
  scaleY = 1,
): ChartSpec {
  const { theme } = ctx
  let maxNs = 0
  for (const l of lines) for (const [t] of l.points) maxNs = Math.max(maxNs, t)
  const unit = pickTimeUnit(maxNs)
  const seen = new Set<string>()
  return {
    kind: 'chart',
    ...meta,
    config: {
      type: 'line',
      data: {
        datasets: lines.map((l) => {
          const first = !seen.has(l.label)
          seen.add(l.label)
          return {
            label: first ? l.label : `${l.label} (seed ${l.seed})`,
            data: l.points.map(([t, v]) => ({ x: t / NS_PER[unit], y: v * scaleY })),
            borderColor: colourOf(ctx.colours, l.label),
            backgroundColor: colourOf(ctx.colours, l.label),
            borderWidth: 1.5,
            pointRadius: l.points.length > 60 ? 0 : 2,
            stepped: true,
          }
        }),
      },
      options: {
        ...baseOptions(theme),
        parsing: false,
        plugins: {
          legend: {
            labels: {
              color: theme.fg,
              boxWidth: 12,
              filter: (item: { text: string }) => !item.text.includes('(seed '),
            },
          },
        },
        scales: {
          x: axis(theme, `simulated time (${unit})`, { type: 'linear' }),
          y: axis(theme, yTitle, { beginAtZero: true }),
        },
      },
    },
    csv: () =>
      csv(
        ['variant', 'seed', 'time_ns', 'value'],
        lines.flatMap((l) => l.points.map(([t, v]) => [l.label, l.seed, t, v * scaleY])),
      ),
  }
}

function mantissaIs(n: number, ks: number[]): boolean {
  if (n <= 0) return false
  const m = n / 10 ** Math.floor(Math.log10(n) + 1e-9)
  return ks.some((k) => Math.abs(m - k) < 1e-6)
}

/**
 * The label of a tick of a log ns axis: decades; on a short axis (fewer than two decades in
 * view) 1-2-5 steps and both ends, so an axis is never without numbers.
 */
export function logTickLabel(n: number, ticks: { value: number }[]): string {
  const decades = ticks.filter((t) => mantissaIs(t.value, [1])).length
  if (decades >= 2) return mantissaIs(n, [1]) ? formatNs(n) : ''
  const end = n === ticks[0]?.value || n === ticks[ticks.length - 1]?.value
  return end || mantissaIs(n, [1, 2, 5]) ? formatNs(n) : ''
}

export function latencySpec(
  meta: SpecMeta,
  hists: { label: string; hist: LatencyHistogram }[],
  ctx: ChartContext,
  mode: 'histogram' | 'cdf',
  what: string,
): ChartSpec {
  const { theme } = ctx
  return {
    kind: 'chart',
    ...meta,
    config: {
      type: 'line',
      data: {
        datasets: hists.map(({ label, hist }) => {
          const c = colourOf(ctx.colours, label)
          const pts = mode === 'cdf' ? cdfPoints(hist) : histogramPoints(hist)
          return {
            label: `${label} (n=${hist.count})`,
            data: pts.map((p) => ({ x: p.x, y: p.y * 100 })),
            borderColor: c,
            backgroundColor: withAlpha(c, 0.15),
            fill: mode === 'histogram' ? 'origin' : false,
            borderWidth: 1.5,
            pointRadius: 2,
            stepped: mode === 'cdf' ? 'before' : false,
          }
        }),
      },
      options: {
        ...baseOptions(theme),
        parsing: false,
        scales: {
          x: axis(theme, `${what} (ns, log scale)`, {
            type: 'logarithmic',
            // Label the decades (1 µs, 10 µs, ...), or 1-2-5 steps when fewer than two decades
            // are in view; the other ticks stay as grid lines.
            ticks: {
              color: theme.fg,
              autoSkip: false,
              maxRotation: 0,
              callback: (v: number | string, _i: number, ticks: { value: number }[]) =>
                logTickLabel(Number(v), ticks),
            },
          }),
          y: axis(theme, mode === 'cdf' ? 'samples at or below (%)' : 'samples in bucket (%)', {
            beginAtZero: true,
            ...(mode === 'cdf' ? { max: 100 } : {}),
          }),
        },
      },
    },
    csv: () => {
      const rows: (string | number)[][] = []
      for (const { label, hist } of hists) {
        let seen = 0
        hist.buckets.forEach((n, i) => {
          seen += n
          const [lo, hi] = bucketRange(i)
          rows.push([label, lo, hi, n, n / hist.count, seen / hist.count])
        })
      }
      return csv(
        ['variant', 'bucket_lo_ns', 'bucket_hi_ns', 'count', 'fraction', 'cumulative_fraction'],
        rows,
      )
    },
  }
}
