/**
 * Pages the compaction scanners looked at: compact_migrate_scanned and compact_free_scanned
 * from /proc/vmstat at the end of the run, mean over seeds, bars per variant.
 */
import { useMemo } from 'react'
import type { ChartContext, ChartSpec } from './chartSetup'
import { ChartFrame } from './ChartFrame'
import { vmstatBars, type VariantGroup } from './extract'
import { barSpec } from './specHelpers'

const META = { title: 'Pages scanned by compaction', testId: 'chart-compaction-scanned' }

export function scannedPagesSpec(groups: VariantGroup[], ctx: ChartContext): ChartSpec {
  const bars = vmstatBars(groups, ['compact_migrate_scanned', 'compact_free_scanned'])
  if (bars) return barSpec(META, bars, ctx, '/proc/vmstat counter', 'pages (mean over seeds)')
  return {
    kind: 'empty',
    ...META,
    reason:
      'No data in this run: the script did not run compaction (compact_migrate_scanned and ' +
      'compact_free_scanned are 0).',
  }
}

export function ScannedPagesChart(p: { groups: VariantGroup[]; ctx: ChartContext }) {
  const spec = useMemo(() => scannedPagesSpec(p.groups, p.ctx), [p.groups, p.ctx])
  return <ChartFrame spec={spec} />
}
