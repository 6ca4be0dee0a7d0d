/**
 * The comparison view: the mmtests-style table across variants, a chart of the chosen row per
 * variant, and the export of both (with every other chart that has data) as one HTML file.
 */
import { useMemo, useState } from 'react'
import type { ExperimentResult } from '../../../protocol/results/experiment'
import { compactionSpecs, contigSpecs, migrationSpecs } from '../results/chartCatalog'
import { ChartFrame } from '../results/ChartFrame'
import { downloadText, LIGHT_THEME, renderSpecPng, type ChartContext } from '../results/chartSetup'
import { variantGroups, type VariantGroup } from '../results/extract'
import { buildComparison } from './comparison'
import { ComparisonTableView } from './ComparisonTableView'
import { buildHtmlReport, reportCharts } from './htmlReport'
import { metricChartSpec } from './metricChart'

interface Props {
  experiment: ExperimentResult
  groups: VariantGroup[]
  ctx: ChartContext
  createdWith: string
}

export function CompareView({ experiment, groups, ctx, createdWith }: Props) {
  const comparison = useMemo(() => buildComparison(experiment), [experiment])
  const { table, specs } = comparison
  // Per-seed dots read the histogram statistics the comparison added to each run.
  const statGroups = useMemo(() => variantGroups(comparison.experiment), [comparison])
  const allRows = [...table.rows, ...table.vmstat]
  const [chosen, setChosen] = useState(0)
  const index = chosen < allRows.length ? chosen : 0
  const row = allRows[index]
  const spec = useMemo(
    () =>
      row
        ? metricChartSpec(row, specs[index]!, table.columns, statGroups, ctx, table.confidence)
        : null,
    [row, specs, index, table, statGroups, ctx],
  )

  const exportReport = () => {
    const light: ChartContext = { colours: ctx.colours, theme: LIGHT_THEME }
    const all = [
      ...(row
        ? [metricChartSpec(row, specs[index]!, table.columns, statGroups, light, table.confidence)]
        : []),
      ...compactionSpecs(groups, light),
      ...migrationSpecs(groups, light),
      ...contigSpecs(groups, light),
    ]
    const charts = reportCharts(all, (s) => renderSpecPng(s.config, 900, 380, LIGHT_THEME.bg))
    const html = buildHtmlReport({
      comparison,
      colours: ctx.colours,
      charts,
      createdWith,
      generatedAt: new Date(),
    })
    const base = experiment.script.replace(/\.ts$/, '').replace(/[^A-Za-z0-9._-]+/g, '-')
    downloadText(html, `${base}-report.html`, 'text/html')
  }

  if (experiment.runs.length === 0) {
    return <div className="chart-nodata">No finished runs to compare yet.</div>
  }
  return (
    <div className="compare-view" data-testid="compare-view">
      <div className="compare-actions">
        <span className="muted">{experiment.script}</span>
        <span className="spacer" />
        <button data-testid="export-report" onClick={exportReport}>
          Export HTML report
        </button>
      </div>
      {spec && <ChartFrame spec={spec} height={200} />}
      <ComparisonTableView
        table={table}
        colours={ctx.colours}
        selected={index}
        onSelect={setChosen}
      />
    </div>
  )
}
