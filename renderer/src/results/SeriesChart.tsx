/**
 * A chart.js line chart of the series the script recorded. Updated in place (no animation) so
 * streamed points do not re-create the chart. With one variant every series has its own
 * colour; with several, each variant's series are overlaid in the variant's colour (one line
 * style per series), from the first seed of each variant.
 */
import { useEffect, useRef, useState } from 'react'
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Title,
  Tooltip,
  type ChartConfiguration,
  type ChartOptions,
} from 'chart.js'
import type { SeriesPoint } from '../../../protocol/result'
import { csvField } from '../../../protocol/results/csv'
import { planChart } from './chartPlan'
import { canvasPng, download, downloadText, pageTheme } from './chartSetup'
import { colourOf, PALETTE, type VariantColours } from './palette'

Chart.register(LineController, LineElement, PointElement, LinearScale, Title, Tooltip, Legend)

/** The series of one run, labelled by its variant. */
export interface SeriesRun {
  label: string
  seed: number
  series: Record<string, SeriesPoint[]>
}

const SEP = ' · '
const DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3]]

/**
 * One series record for the plan: plain names for one variant; for several, `variant · name`
 * of the one chosen series (all of them overlaid would be unreadable).
 */
function mergeRuns(
  runs: SeriesRun[],
  chosen: string | null,
): { series: Record<string, SeriesPoint[]>; multi: boolean } {
  const firstPerVariant = runs.filter((r, i) => runs.findIndex((x) => x.label === r.label) === i)
  const multi = firstPerVariant.length > 1
  if (!multi) return { series: firstPerVariant[0]?.series ?? {}, multi }
  const series: Record<string, SeriesPoint[]> = {}
  for (const r of firstPerVariant)
    for (const [name, pts] of Object.entries(r.series))
      if (chosen === null || name === chosen) series[`${r.label}${SEP}${name}`] = pts
  return { series, multi }
}

function seriesNamesOf(runs: SeriesRun[]): string[] {
  const names: string[] = []
  for (const r of runs) for (const n of Object.keys(r.series)) if (!names.includes(n)) names.push(n)
  return names
}

function seriesCsv(runs: SeriesRun[]): string {
  const lines = ['variant,seed,series,time_ns,value']
  for (const r of runs)
    for (const [name, pts] of Object.entries(r.series))
      for (const [t, v] of pts) lines.push([r.label, r.seed, name, t, v].map(csvField).join(','))
  return lines.join('\n') + '\n'
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

type Scales = NonNullable<ChartOptions<'line'>['scales']>

function buildScales(
  series: Record<string, SeriesPoint[]>,
  multi: boolean,
  colours: VariantColours,
) {
  const plan = planChart(series)
  const fg = cssVar('--fg-muted') || '#888'
  const grid = cssVar('--grid') || 'rgba(128,128,128,0.2)'
  const scales: Scales = {
    x: {
      type: 'linear',
      title: { display: true, text: plan.xTitle, color: fg },
      ticks: { color: fg, maxTicksLimit: 10 },
      grid: { color: grid },
    },
  }
  for (const axis of plan.yAxes) {
    scales[axis.id] = {
      type: 'linear',
      position: axis.position,
      title: { display: true, text: axis.title, color: fg },
      ticks: { color: fg },
      grid: { color: grid, drawOnChartArea: axis.id === 'y' },
    }
  }
  if (plan.yAxes.length === 0) {
    scales.y = {
      type: 'linear',
      title: { display: true, text: 'value (count)', color: fg },
      ticks: { color: fg },
      grid: { color: grid },
    }
  }
  const names: string[] = []
  const datasets = plan.datasets.map((d, i) => {
    const variant = multi ? d.label.split(SEP)[0]! : ''
    const name = multi ? d.label.slice(variant.length + SEP.length) : d.label
    if (!names.includes(name)) names.push(name)
    const colour = multi ? colourOf(colours, variant) : PALETTE[i % PALETTE.length]
    return {
      label: d.label,
      data: d.data,
      yAxisID: d.yAxisID,
      borderColor: colour,
      backgroundColor: colour,
      borderDash: multi ? DASHES[names.indexOf(name) % DASHES.length] : [],
      borderWidth: 1.5,
      pointRadius: d.data.length > 60 ? 0 : 2,
      tension: 0,
    }
  })
  return { scales, datasets, fg }
}

export function SeriesChart({ runs, colours }: { runs: SeriesRun[]; colours: VariantColours }) {
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const chartRef = useRef<Chart<'line', { x: number; y: number }[]> | null>(null)
  const [pick, setPick] = useState('')
  const names = seriesNamesOf(runs)
  const variantCount = new Set(runs.map((r) => r.label)).size
  const chosen =
    variantCount > 1 && names.length > 1 ? (names.includes(pick) ? pick : names[0]!) : null
  const { series, multi } = mergeRuns(runs, chosen)

  useEffect(() => {
    const { scales, datasets, fg } = buildScales(series, multi, colours)
    const chart = chartRef.current
    if (chart) {
      chart.data.datasets = datasets
      chart.options.scales = scales
      chart.update('none')
      return
    }
    const config: ChartConfiguration<'line', { x: number; y: number }[]> = {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false },
        // Room above the legend for the series picker and the export buttons.
        layout: { padding: { top: 26 } },
        scales,
        plugins: {
          legend: { labels: { color: fg, boxWidth: 12 } },
          tooltip: { enabled: true },
        },
      },
    }
    chartRef.current = new Chart(canvasRef.current!, config)
    // `series` is derived from `runs` on every render; `runs` is the dependency that changes.
  }, [runs, colours, chosen])

  useEffect(
    () => () => {
      chartRef.current?.destroy()
      chartRef.current = null
    },
    [],
  )

  const empty = Object.values(series).every((pts) => pts.length === 0)
  return (
    <div className="chart-box" data-testid="chart">
      {!empty && (
        <span className="chart-actions chart-actions-float">
          <button
            className="small"
            title="Export as PNG"
            onClick={() =>
              canvasRef.current &&
              download(canvasPng(canvasRef.current, pageTheme().bg), 'series.png')
            }
          >
            PNG
          </button>
          <button
            className="small"
            title="Export the series as CSV"
            onClick={() => downloadText(seriesCsv(runs), 'series.csv', 'text/csv')}
          >
            CSV
          </button>
        </span>
      )}
      {chosen !== null && (
        <select
          className="series-pick"
          aria-label="Series to overlay per variant"
          data-testid="series-pick"
          value={chosen}
          onChange={(e) => setPick(e.target.value)}
        >
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      )}
      <canvas ref={canvasRef} aria-label="Series recorded by the script" role="img" />
      {empty && (
        <div className="chart-empty">
          <span>
            No series yet. Record one with <code>k.record(name, value)</code> and press Run.
          </span>
        </div>
      )}
    </div>
  )
}
