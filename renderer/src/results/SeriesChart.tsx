/**
 * A chart.js line chart of the series a run recorded. Updated in place (no animation) so
 * streamed points do not re-create the chart.
 */
import { useEffect, useRef } from 'react'
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
import { planChart } from './chartPlan'

Chart.register(LineController, LineElement, PointElement, LinearScale, Title, Tooltip, Legend)

const PALETTE = ['#4e9af1', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948']

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

type Scales = NonNullable<ChartOptions<'line'>['scales']>

function buildScales(series: Record<string, SeriesPoint[]>) {
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
  const datasets = plan.datasets.map((d, i) => ({
    label: d.label,
    data: d.data,
    yAxisID: d.yAxisID,
    borderColor: PALETTE[i % PALETTE.length],
    backgroundColor: PALETTE[i % PALETTE.length],
    borderWidth: 1.5,
    pointRadius: d.data.length > 60 ? 0 : 2,
    tension: 0,
  }))
  return { scales, datasets, fg }
}

export function SeriesChart({ series }: { series: Record<string, SeriesPoint[]> }) {
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const chartRef = useRef<Chart<'line', { x: number; y: number }[]> | null>(null)

  useEffect(() => {
    const { scales, datasets, fg } = buildScales(series)
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
        scales,
        plugins: {
          legend: { labels: { color: fg, boxWidth: 12 } },
          tooltip: { enabled: true },
        },
      },
    }
    chartRef.current = new Chart(canvasRef.current!, config)
  }, [series])

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
