import { describe, expect, it } from 'vitest'
import { makeExperiment } from '../../../protocol/results/experiment'
import type { RunResult } from '../../../protocol/result'
import {
  endSuccessRate,
  histogramsPerVariant,
  outcomeBars,
  successRateByOrder,
  userSeries,
  variantGroups,
  vmstatBars,
} from './extract'
import { cdfPoints, histogramOfValues, histogramPercentile, mergeHistograms } from './histogram'
import { logTickLabel } from './specHelpers'

function run(variant: string, seed: number, patch: Partial<RunResult>): RunResult {
  return {
    schemaVersion: 1,
    script: 's.ts',
    seed,
    variant,
    machine: {},
    simTimeNs: 1e6,
    series: {},
    vmstat: {},
    proc: {},
    log: [],
    wall: { elapsedMs: 1 },
    ...patch,
  }
}

const exp = makeExperiment(
  's.ts',
  ['a', 'b'],
  [1, 2],
  [
    run('a', 1, {
      vmstat: { compact_stall: 4, compact_success: 3, compact_migrate_scanned: 100 },
      series: {
        'compact_success_rate.order9': [
          [10, 1],
          [20, 0.5],
        ],
        'cma_alloc.success': [
          [5, 1],
          [6, 2],
        ],
        'cma_alloc.busy': [[7, 1]],
        mine: [[1, 1]],
      },
      histograms: {
        migrate_latency_ns: { unit: 'ns', count: 2, sum: 10, min: 3, max: 7, buckets: [0, 2] },
      },
    }),
    run('a', 2, {
      vmstat: { compact_stall: 4, compact_success: 1, compact_migrate_scanned: 300 },
      series: { 'compact_success_rate.order9': [[10, 0]] },
    }),
    run('b', 1, {
      vmstat: { compact_stall: 0 },
      events: [
        { timeNs: 1, kind: 'virtio_mem', fields: { outcome: 'partial' } },
        { timeNs: 2, kind: 'virtio_mem', fields: { outcome: 'nomem' } },
      ],
    }),
  ],
)
const groups = variantGroups(exp)

describe('chart data from an experiment', () => {
  it('success rate compact_success / compact_stall: mean over seeds; no stall, no rate', () => {
    // a: 3/4 and 1/4 -> 50%; b never stalled: no bar value.
    expect(endSuccessRate(groups)?.datasets).toEqual([
      { label: 'a', values: [50] },
      { label: 'b', values: [null] },
    ])
  })
  it('success rate by order: last value of each order series, in percent', () => {
    expect(successRateByOrder(groups)).toEqual({
      categories: ['order 9'],
      datasets: [
        { label: 'a', values: [25] },
        { label: 'b', values: [null] },
      ],
    })
  })
  it('vmstat bars are means over seeds; all-zero counters give no chart', () => {
    expect(vmstatBars(groups, ['compact_migrate_scanned'])?.datasets[0]!.values).toEqual([200])
    expect(vmstatBars(groups, ['compact_fail'])).toBeNull()
  })
  it('outcomes with the kernel errnos, from counts or outcome records', () => {
    expect(outcomeBars(groups, 'cma_alloc')?.categories).toEqual(['success', '-EBUSY'])
    expect(outcomeBars(groups, 'virtio_mem')).toEqual({
      categories: ['-ENOMEM', 'partial'],
      datasets: [
        { label: 'a', values: [0, 0] },
        { label: 'b', values: [1, 1] },
      ],
    })
    expect(outcomeBars(groups, 'alloc_contig_range')).toBeNull()
  })
  it('latency histograms per variant; variants without samples are left out', () => {
    const h = histogramsPerVariant(groups, 'migrate_latency_ns')
    expect(h?.map((x) => x.label)).toEqual(['a'])
    expect(histogramsPerVariant(groups, 'cma_alloc_latency_ns')).toBeNull()
  })
  it('leaves the engine series out of the user-series chart', () => {
    expect(Object.keys(userSeries(exp.runs[0]!.series))).toEqual(['mine'])
  })
})

describe('log2 latency histograms', () => {
  it('buckets as the engine: [0,2), [2,4), [4,8) ...; CDF ends at 1 at the max', () => {
    const h = histogramOfValues([1, 3, 5, 6, 1000])
    expect(h.buckets).toEqual([1, 1, 2, 0, 0, 0, 0, 0, 0, 1])
    expect(histogramPercentile(h, 50)).toBe(7)
    expect(histogramPercentile(h, 100)).toBe(1000)
    const cdf = cdfPoints(h)
    expect(cdf.at(-1)).toEqual({ x: 1000, y: 1 })
    // Starts at 0 at the smallest sample (1 ns), steps at each bucket's upper bound.
    expect(cdf[0]).toEqual({ x: 1, y: 0 })
    expect(cdf[2]).toEqual({ x: 4, y: 0.4 })
  })
  it('merges seeds by adding buckets', () => {
    const m = mergeHistograms([histogramOfValues([1]), histogramOfValues([5, 9])])
    expect(m).toMatchObject({ count: 3, min: 1, max: 9, buckets: [1, 0, 1, 1] })
  })
})

describe('log ns axis labels', () => {
  const ticks = (...v: number[]) => v.map((value) => ({ value }))
  it('labels decades when two or more are in view', () => {
    const t = ticks(1e3, 2e3, 5e3, 1e4, 2e4, 1e5)
    expect(t.map((x) => logTickLabel(x.value, t))).toEqual(['1 µs', '', '', '10 µs', '', '100 µs'])
  })
  it('labels 1-2-5 steps and both ends on a short axis', () => {
    const t = ticks(3e3, 4e3, 5e3, 6e3, 1e4, 2e4, 3e4)
    expect(t.map((x) => logTickLabel(x.value, t))).toEqual([
      '3 µs',
      '',
      '5 µs',
      '',
      '10 µs',
      '20 µs',
      '30 µs',
    ])
  })
})
