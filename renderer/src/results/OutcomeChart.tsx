/**
 * Outcomes of CMA allocations, alloc_contig_range and virtio-mem requests (success, -EBUSY,
 * -ENOMEM, partial, ...), mean count per variant over seeds. From the engine's cumulative
 * `<kind>.<outcome>` series, or its outcome records.
 */
import { useMemo } from 'react'
import type { ChartContext, ChartSpec } from './chartSetup'
import { ChartFrame } from './ChartFrame'
import { outcomeBars, type ContigKind, type VariantGroup } from './extract'
import { barSpec } from './specHelpers'

const NAMES: Record<ContigKind, { title: string; didNot: string }> = {
  cma_alloc: { title: 'cma_alloc outcomes', didNot: 'call cma_alloc (k.cma.alloc)' },
  alloc_contig_range: {
    title: 'alloc_contig_range outcomes',
    didNot: 'call alloc_contig_range',
  },
  virtio_mem: { title: 'virtio-mem request outcomes', didNot: 'make virtio-mem requests' },
}

export function outcomeSpec(
  kind: ContigKind,
  groups: VariantGroup[],
  ctx: ChartContext,
): ChartSpec {
  const meta = { title: NAMES[kind].title, testId: `chart-outcome-${kind}` }
  const bars = outcomeBars(groups, kind)
  if (bars) return barSpec(meta, bars, ctx, 'outcome', 'requests (mean over seeds)')
  return {
    kind: 'empty',
    ...meta,
    reason: `No data in this run: the script did not ${NAMES[kind].didNot}.`,
  }
}

export function OutcomeChart(p: { kind: ContigKind; groups: VariantGroup[]; ctx: ChartContext }) {
  const spec = useMemo(() => outcomeSpec(p.kind, p.groups, p.ctx), [p.kind, p.groups, p.ctx])
  return <ChartFrame spec={spec} />
}
