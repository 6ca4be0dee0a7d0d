/**
 * Direct compaction stalls and their ends: compact_stall, compact_success and compact_fail
 * from /proc/vmstat at the end of the run, mean over seeds, bars per variant.
 */
import { useMemo } from 'react'
import type { ChartContext, ChartSpec } from './chartSetup'
import { ChartFrame } from './ChartFrame'
import { vmstatBars, type VariantGroup } from './extract'
import { barSpec } from './specHelpers'

const META = { title: 'Direct compaction stalls', testId: 'chart-compaction-stalls' }

export function compactionStallsSpec(groups: VariantGroup[], ctx: ChartContext): ChartSpec {
  const bars = vmstatBars(groups, ['compact_stall', 'compact_success', 'compact_fail'])
  if (bars) return barSpec(META, bars, ctx, '/proc/vmstat counter', 'events (mean over seeds)')
  return {
    kind: 'empty',
    ...META,
    reason:
      'No data in this run: the script did not stall in direct compaction (compact_stall is 0).',
  }
}

export function CompactionStallsChart(p: { groups: VariantGroup[]; ctx: ChartContext }) {
  const spec = useMemo(() => compactionStallsSpec(p.groups, p.ctx), [p.groups, p.ctx])
  return <ChartFrame spec={spec} />
}
