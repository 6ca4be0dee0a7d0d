/**
 * Direct compaction success rate by allocation order (series `compact_success_rate.order<N>`,
 * the rate over the whole run), bars per variant.
 */
import { useMemo } from 'react'
import type { ChartContext, ChartSpec } from './chartSetup'
import { ChartFrame } from './ChartFrame'
import { successRateByOrder, type VariantGroup } from './extract'
import { barSpec } from './specHelpers'

const META = {
  title: 'Compaction success rate by order',
  testId: 'chart-compaction-order',
}

export function compactionOrderSpec(groups: VariantGroup[], ctx: ChartContext): ChartSpec {
  const bars = successRateByOrder(groups)
  if (bars) return barSpec(META, bars, ctx, 'allocation order', 'success rate (%)', 100)
  return {
    kind: 'empty',
    ...META,
    reason:
      'No data in this run: the script did not stall in direct compaction at any order ' +
      '(no compact_success_rate.order<N> series).',
  }
}

export function CompactionOrderChart(p: { groups: VariantGroup[]; ctx: ChartContext }) {
  const spec = useMemo(() => compactionOrderSpec(p.groups, p.ctx), [p.groups, p.ctx])
  return <ChartFrame spec={spec} />
}
