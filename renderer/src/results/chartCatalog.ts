/**
 * Which charts each results tab holds, as spec builders, so the tabs and the HTML report draw
 * the same charts from the same data.
 */
import type { ChartContext, ChartSpec } from './chartSetup'
import { compactionOrderSpec } from './CompactionOrderChart'
import { compactionRateSpec } from './CompactionRateChart'
import { compactionStallsSpec } from './CompactionStallsChart'
import type { VariantGroup } from './extract'
import { fragmentationScoreSpec } from './FragmentationScoreChart'
import { latencyChartSpec, type LatencyChartDef } from './LatencyChart'
import { outcomeSpec } from './OutcomeChart'
import { scannedPagesSpec } from './ScannedPagesChart'

export const MIGRATION_CHARTS: readonly LatencyChartDef[] = [
  {
    histogram: 'migrate_latency_ns',
    mode: 'histogram',
    title: 'Migration latency per folio (histogram)',
    testId: 'chart-migrate-latency-hist',
    what: 'migration latency per folio',
    didNot: 'migrate pages (no migrate_pages calls: no compaction, CMA or explicit migration)',
  },
  {
    histogram: 'migrate_latency_ns',
    mode: 'cdf',
    title: 'Migration latency per folio (CDF)',
    testId: 'chart-migrate-latency-cdf',
    what: 'migration latency per folio',
    didNot: 'migrate pages (no migrate_pages calls: no compaction, CMA or explicit migration)',
  },
  {
    histogram: 'migrate_lock_hold_ns',
    mode: 'histogram',
    title: 'Source folio lock hold time (histogram)',
    testId: 'chart-migrate-lock-hold',
    what: 'folio_lock hold time of the source',
    didNot: 'migrate pages, so no source folio lock was held',
  },
  {
    histogram: 'direct_compaction_latency_ns',
    mode: 'cdf',
    title: 'Direct compaction stall time (CDF)',
    testId: 'chart-direct-compaction-latency',
    what: 'time stalled in direct compaction',
    didNot: 'stall in direct compaction',
  },
]

export const CONTIG_LATENCY_CHARTS: readonly LatencyChartDef[] = [
  {
    histogram: 'cma_alloc_latency_ns',
    mode: 'cdf',
    title: 'cma_alloc latency (CDF)',
    testId: 'chart-latency-cma_alloc',
    what: 'cma_alloc latency',
    didNot: 'call cma_alloc (k.cma.alloc)',
  },
  {
    histogram: 'alloc_contig_range_latency_ns',
    mode: 'cdf',
    title: 'alloc_contig_range latency (CDF)',
    testId: 'chart-latency-alloc_contig_range',
    what: 'alloc_contig_range latency',
    didNot: 'call alloc_contig_range',
  },
  {
    histogram: 'virtio_mem_latency_ns',
    mode: 'cdf',
    title: 'virtio-mem request latency (CDF)',
    testId: 'chart-latency-virtio_mem',
    what: 'virtio-mem request latency',
    didNot: 'make virtio-mem requests',
  },
]

export function compactionSpecs(groups: VariantGroup[], ctx: ChartContext): ChartSpec[] {
  return [
    compactionRateSpec(groups, ctx),
    compactionOrderSpec(groups, ctx),
    scannedPagesSpec(groups, ctx),
    compactionStallsSpec(groups, ctx),
    fragmentationScoreSpec(groups, ctx),
  ]
}

export function migrationSpecs(groups: VariantGroup[], ctx: ChartContext): ChartSpec[] {
  return MIGRATION_CHARTS.map((d) => latencyChartSpec(d, groups, ctx))
}

export function contigSpecs(groups: VariantGroup[], ctx: ChartContext): ChartSpec[] {
  return [
    outcomeSpec('cma_alloc', groups, ctx),
    outcomeSpec('alloc_contig_range', groups, ctx),
    outcomeSpec('virtio_mem', groups, ctx),
    ...CONTIG_LATENCY_CHARTS.map((d) => latencyChartSpec(d, groups, ctx)),
  ]
}
