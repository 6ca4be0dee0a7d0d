/**
 * Compaction success rate over simulated time: compact_success / compact_stall after every
 * direct compaction (series `compact_success_rate`), one line per run in its variant's colour.
 * Without that series, the end-of-run rate from /proc/vmstat, as bars per variant.
 */
import { useMemo } from 'react'
import type { ChartContext, ChartSpec } from './chartSetup'
import { ChartFrame } from './ChartFrame'
import { endSuccessRate, seriesPerRun, type VariantGroup } from './extract'
import { barSpec, linesSpec } from './specHelpers'

const META = {
  title: 'Compaction success rate (compact_success / compact_stall)',
  testId: 'chart-compaction-rate',
}

export function compactionRateSpec(groups: VariantGroup[], ctx: ChartContext): ChartSpec {
  const lines = seriesPerRun(groups, 'compact_success_rate')
  if (lines) return linesSpec(META, lines, ctx, 'success rate (%)', 100)
  const bars = endSuccessRate(groups)
  if (bars) return barSpec(META, bars, ctx, 'at the end of the run', 'success rate (%)', 100)
  return {
    kind: 'empty',
    ...META,
    reason:
      'No data in this run: the script did not stall in direct compaction (compact_stall is 0). ' +
      'High-order allocations that may compact (GFP_KERNEL, GFP_TRANSHUGE) under fragmentation do.',
  }
}

export function CompactionRateChart(p: { groups: VariantGroup[]; ctx: ChartContext }) {
  const spec = useMemo(() => compactionRateSpec(p.groups, p.ctx), [p.groups, p.ctx])
  return <ChartFrame spec={spec} />
}
