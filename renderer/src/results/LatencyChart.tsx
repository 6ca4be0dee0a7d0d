/**
 * A latency distribution on a log ns axis, per variant overlaid (seeds pooled): the histogram
 * (share of samples per log2 bucket) or the CDF. Reads the engine's histogram of that name
 * (RunResult `histograms`), or a series of that name holding one latency per point.
 */
import { useMemo } from 'react'
import type { ChartContext, ChartSpec } from './chartSetup'
import { ChartFrame } from './ChartFrame'
import { histogramsPerVariant, type VariantGroup } from './extract'
import { latencySpec } from './specHelpers'

export interface LatencyChartDef {
  /** Histogram (or series) name, e.g. `migrate_latency_ns`. */
  histogram: string
  mode: 'histogram' | 'cdf'
  title: string
  testId: string
  /** What the samples are, for the x axis title: "latency per folio". */
  what: string
  /** Completes "No data in this run: the script did not …". */
  didNot: string
}

export function latencyChartSpec(
  def: LatencyChartDef,
  groups: VariantGroup[],
  ctx: ChartContext,
): ChartSpec {
  const meta = { title: def.title, testId: def.testId }
  const hists = histogramsPerVariant(groups, def.histogram)
  if (hists) return latencySpec(meta, hists, ctx, def.mode, def.what)
  return {
    kind: 'empty',
    ...meta,
    reason: `No data in this run: the script did not ${def.didNot}.`,
  }
}

export function LatencyChart(p: {
  def: LatencyChartDef
  groups: VariantGroup[]
  ctx: ChartContext
}) {
  const spec = useMemo(() => latencyChartSpec(p.def, p.groups, p.ctx), [p.def, p.groups, p.ctx])
  return <ChartFrame spec={spec} />
}
