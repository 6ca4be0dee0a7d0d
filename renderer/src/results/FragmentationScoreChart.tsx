/**
 * The fragmentation score proactive compaction works against (fragmentation_score_node, 0..100;
 * kcompactd compacts while it is above the high watermark derived from
 * vm.compaction_proactiveness), one line per run in its variant's colour.
 */
import { useMemo } from 'react'
import type { ChartContext, ChartSpec } from './chartSetup'
import { ChartFrame } from './ChartFrame'
import { seriesPerRun, type VariantGroup } from './extract'
import { linesSpec } from './specHelpers'

const META = {
  title: 'Fragmentation score (proactive compaction)',
  testId: 'chart-fragmentation-score',
}

export function fragmentationScoreSpec(groups: VariantGroup[], ctx: ChartContext): ChartSpec {
  const lines = seriesPerRun(groups, 'fragmentation_score')
  if (lines) return linesSpec(META, lines, ctx, 'fragmentation score (0..100)')
  return {
    kind: 'empty',
    ...META,
    reason:
      'No data in this run: kcompactd did not compact proactively (vm.compaction_proactiveness ' +
      'is 0, or the run was too short for its 500 ms ticks).',
  }
}

export function FragmentationScoreChart(p: { groups: VariantGroup[]; ctx: ChartContext }) {
  const spec = useMemo(() => fragmentationScoreSpec(p.groups, p.ctx), [p.groups, p.ctx])
  return <ChartFrame spec={spec} />
}
