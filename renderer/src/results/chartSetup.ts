/**
 * chart.js registration, theme colours and the shape every chart of the workbench shares: a
 * ChartSpec is built by a pure function of the experiment (so the HTML report can draw the same
 * charts off-screen), and is either a chart.js configuration with its CSV, or the reason there
 * is nothing to draw.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js'
import type { VariantColours } from './palette'

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
)

export interface ChartTheme {
  fg: string
  grid: string
  /** Background painted under exported PNGs (the live canvas stays transparent). */
  bg: string
}

export const LIGHT_THEME: ChartTheme = {
  fg: '#5d6675',
  grid: 'rgba(60, 70, 90, 0.12)',
  bg: '#ffffff',
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

/** The page's current theme (follows prefers-color-scheme through the CSS variables). */
export function pageTheme(): ChartTheme {
  return {
    fg: cssVar('--fg-muted') || LIGHT_THEME.fg,
    grid: cssVar('--grid') || LIGHT_THEME.grid,
    bg: cssVar('--bg-panel') || LIGHT_THEME.bg,
  }
}

export interface ChartContext {
  colours: VariantColours
  theme: ChartTheme
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyChartConfig = ChartConfiguration<any, any, any>

export type ChartSpec =
  | { kind: 'chart'; title: string; testId: string; config: AnyChartConfig; csv(): string }
  | { kind: 'empty'; title: string; testId: string; reason: string }

/** Axis options with a title carrying the unit, in the theme's colours. */
export function axis(
  theme: ChartTheme,
  title: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    title: { display: true, text: title, color: theme.fg },
    ticks: { color: theme.fg, maxTicksLimit: 10 },
    grid: { color: theme.grid },
    ...extra,
  }
}

/** Options every chart shares: no animation (streamed updates), legend in the theme colour. */
export function baseOptions(theme: ChartTheme): Record<string, unknown> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: {
      legend: { labels: { color: theme.fg, boxWidth: 12 } },
      tooltip: { enabled: true },
    },
  }
}

/** Ticks of a log ns axis as 1 ns, 1 µs, 1 ms, 1 s. */
export function formatNs(v: number): string {
  if (v >= 1e9) return `${+(v / 1e9).toPrecision(3)} s`
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(3)} ms`
  if (v >= 1e3) return `${+(v / 1e3).toPrecision(3)} µs`
  return `${+v.toPrecision(3)} ns`
}

export function download(href: string, fileName: string): void {
  const a = document.createElement('a')
  a.href = href
  a.download = fileName
  a.click()
}

export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  download(url, fileName)
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** The canvas as a PNG data URI, painted over an opaque background. */
export function canvasPng(canvas: HTMLCanvasElement, bg: string): string {
  const out = document.createElement('canvas')
  out.width = canvas.width
  out.height = canvas.height
  const ctx = out.getContext('2d')!
  ctx.fillStyle = bg
  ctx.fillRect(0, 0, out.width, out.height)
  ctx.drawImage(canvas, 0, 0)
  return out.toDataURL('image/png')
}

/** Draws a spec off-screen at a fixed size and returns its PNG (for the HTML report). */
export function renderSpecPng(
  config: AnyChartConfig,
  widthPx: number,
  heightPx: number,
  bg: string,
): string {
  const canvas = document.createElement('canvas')
  canvas.width = widthPx
  canvas.height = heightPx
  const chart = new Chart(canvas, {
    ...config,
    options: { ...config.options, responsive: false, animation: false, devicePixelRatio: 1 },
  })
  try {
    return canvasPng(canvas, bg)
  } finally {
    chart.destroy()
  }
}

export { Chart }

/**
 * The moment focused from the trace log, drawn as a dashed vertical line on every chart whose
 * x axis is simulated time (its title reads `simulated time (unit)`); other charts ignore it.
 */
let focusTimeNs: number | null = null
const TIME_AXIS = /^simulated time \((ns|µs|ms|s)\)$/
const NS_PER_UNIT: Record<string, number> = { ns: 1, µs: 1e3, ms: 1e6, s: 1e9 }

Chart.register({
  id: 'focusTimeMarker',
  afterDatasetsDraw(chart: Chart) {
    if (focusTimeNs === null || chart.options.responsive === false) return
    const x = chart.scales.x
    const title = (x?.options as { title?: { text?: unknown } } | undefined)?.title?.text
    const m = typeof title === 'string' ? TIME_AXIS.exec(title) : null
    if (!x || !m) return
    const px = x.getPixelForValue(focusTimeNs / NS_PER_UNIT[m[1]!]!)
    const area = chart.chartArea
    if (!Number.isFinite(px) || px < area.left || px > area.right) return
    const ctx = chart.ctx
    ctx.save()
    ctx.strokeStyle = '#d9480f'
    ctx.lineWidth = 1.5
    ctx.setLineDash([5, 3])
    ctx.beginPath()
    ctx.moveTo(px, area.top)
    ctx.lineTo(px, area.bottom)
    ctx.stroke()
    ctx.restore()
  },
})

/** Sets the focused moment (null clears it) and redraws the charts on the page. */
export function setChartFocusTime(timeNs: number | null): void {
  if (timeNs === focusTimeNs) return
  focusTimeNs = timeNs
  for (const c of Object.values(Chart.instances)) c.draw()
}
