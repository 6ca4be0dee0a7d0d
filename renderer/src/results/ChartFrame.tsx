/**
 * The frame of every chart: a title, PNG and CSV export, and the canvas, or a sentence saying
 * why there is nothing to draw (never an empty canvas). The chart is rebuilt when its spec
 * changes; specs are cheap and charts are small.
 */
import { useEffect, useRef } from 'react'
import { canvasPng, Chart, download, downloadText, pageTheme, type ChartSpec } from './chartSetup'

function fileBase(title: string): string {
  return (
    title
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'chart'
  )
}

export function ChartFrame({ spec, height = 260 }: { spec: ChartSpec; height?: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const chartRef = useRef<Chart | null>(null)
  const config = spec.kind === 'chart' ? spec.config : null

  useEffect(() => {
    if (!config || !canvasRef.current) return
    const chart = new Chart(canvasRef.current, config)
    chartRef.current = chart
    return () => {
      chart.destroy()
      chartRef.current = null
    }
  }, [config])

  const exportPng = () => {
    const c = canvasRef.current
    if (c) download(canvasPng(c, pageTheme().bg), `${fileBase(spec.title)}.png`)
  }
  const exportCsv = () => {
    if (spec.kind === 'chart') downloadText(spec.csv(), `${fileBase(spec.title)}.csv`, 'text/csv')
  }

  return (
    <figure className="chart-frame" data-testid={spec.testId}>
      <figcaption className="chart-head">
        <span className="chart-title">{spec.title}</span>
        {spec.kind === 'chart' && (
          <span className="chart-actions">
            <button className="small" onClick={exportPng} title="Export as PNG">
              PNG
            </button>
            <button className="small" onClick={exportCsv} title="Export the data as CSV">
              CSV
            </button>
          </span>
        )}
      </figcaption>
      {spec.kind === 'chart' ? (
        <div className="chart-canvas" style={{ height }}>
          <canvas ref={canvasRef} role="img" aria-label={spec.title} />
        </div>
      ) : (
        <div className="chart-nodata" data-testid="chart-nodata" style={{ minHeight: 60 }}>
          {spec.reason}
        </div>
      )}
    </figure>
  )
}
