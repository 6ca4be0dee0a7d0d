/**
 * The comparison's chart overlay: one metric of the table, the mean per variant as a bar in
 * the variant's colour with its confidence interval as a whisker, and every seed's value as a
 * dot, so the spread behind the mean is visible.
 */
import { extractMetric, type MetricSpec } from '../../../protocol/results/aggregate'
import type { ComparisonRow } from '../../../protocol/results/compare'
import { csvField } from '../../../protocol/results/csv'
import type { Chart, Plugin } from 'chart.js'
import { axis, baseOptions, type ChartContext, type ChartSpec } from '../results/chartSetup'
import type { VariantGroup } from '../results/extract'
import { colourOf, withAlpha } from '../results/palette'

/** Draws mean ± ci whiskers over the bars of dataset 0 (ci per bar in `options.ci`). */
const whiskers: Plugin<'bar'> = {
  id: 'mmwbWhiskers',
  afterDatasetsDraw(chart: Chart<'bar'>, _args, opts: { ci?: (number | null)[]; colour?: string }) {
    const meta = chart.getDatasetMeta(0)
    const y = chart.scales.y
    const ctx = chart.ctx
    if (!y || !opts.ci) return
    ctx.save()
    ctx.strokeStyle = opts.colour ?? '#444'
    ctx.lineWidth = 1.5
    meta.data.forEach((bar, i) => {
      const ci = opts.ci![i]
      const mean = chart.data.datasets[0]!.data[i] as number | null
      if (ci === null || ci === undefined || mean === null) return
      const top = y.getPixelForValue(mean + ci)
      const bottom = y.getPixelForValue(mean - ci)
      const x = bar.x
      ctx.beginPath()
      ctx.moveTo(x, top)
      ctx.lineTo(x, bottom)
      ctx.moveTo(x - 6, top)
      ctx.lineTo(x + 6, top)
      ctx.moveTo(x - 6, bottom)
      ctx.lineTo(x + 6, bottom)
      ctx.stroke()
    })
    ctx.restore()
  },
}

export function metricChartSpec(
  row: ComparisonRow,
  spec: MetricSpec,
  columns: string[],
  groups: VariantGroup[],
  ctx: ChartContext,
  confidence: number,
): ChartSpec {
  const { theme } = ctx
  const perSeed = columns.map((label) => {
    const g = groups.find((x) => x.label === label)
    return (g?.runs ?? []).map((r) => ({ seed: r.seed, value: extractMetric(r, spec) }))
  })
  const dots = columns.flatMap((label, i) =>
    perSeed[i]!.filter((d) => d.value !== null).map((d) => ({ x: label, y: d.value as number })),
  )
  const pct = Math.round(confidence * 100)
  return {
    kind: 'chart',
    title: `${row.metric}: mean per variant (±${pct}% CI) and each seed`,
    testId: 'chart-compare-metric',
    config: {
      type: 'bar',
      data: {
        labels: columns,
        datasets: [
          {
            type: 'bar',
            label: 'mean over seeds',
            data: row.cells.map((c) => c.mean),
            backgroundColor: columns.map((c) => withAlpha(colourOf(ctx.colours, c), 0.75)),
            borderColor: columns.map((c) => colourOf(ctx.colours, c)),
            borderWidth: 1,
          },
          {
            type: 'scatter',
            label: 'one seed',
            data: dots,
            backgroundColor: theme.fg,
            pointRadius: 3,
          },
        ],
      },
      options: {
        ...baseOptions(theme),
        plugins: {
          legend: { labels: { color: theme.fg, boxWidth: 12 } },
          mmwbWhiskers: { ci: row.cells.map((c) => c.ci), colour: theme.fg },
        },
        scales: {
          x: axis(theme, 'variant'),
          y: axis(theme, row.unit ? `${row.metric}` : `${row.metric} (count)`, {
            beginAtZero: true,
          }),
        },
      },
      plugins: [whiskers],
    },
    csv: () => {
      const lines = ['variant,seed,value']
      columns.forEach((label, i) => {
        for (const d of perSeed[i]!) lines.push([label, d.seed, d.value].map(csvField).join(','))
      })
      return lines.join('\n') + '\n'
    },
  }
}
