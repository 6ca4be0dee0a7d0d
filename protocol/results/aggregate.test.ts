import { describe, expect, it } from 'vitest'
import {
  aggregateMetric,
  extractMetric,
  metricLabel,
  seriesNames,
  seriesStat,
  vmstatCounters,
} from './aggregate'
import { sampleExperiment, sampleRunResult } from './fixtures'

describe('seriesStat', () => {
  const v = [15, 20, 35, 40, 50]
  it('computes the summaries by hand', () => {
    expect(seriesStat(v, 'last')).toBe(50)
    expect(seriesStat(v, 'mean')).toBe(32)
    expect(seriesStat(v, 'min')).toBe(15)
    expect(seriesStat(v, 'max')).toBe(50)
    expect(seriesStat(v, 'sum')).toBe(160)
    expect(seriesStat(v, 'count')).toBe(5)
  })

  it('uses nearest-rank percentiles (the textbook example 15, 20, 35, 40, 50)', () => {
    // p30 → rank ⌈1.5⌉ = 2 → 20; p50 → rank 3 → 35; p90 and p99 → rank 5 → 50.
    expect(seriesStat([50, 15, 40, 20, 35], 'p50')).toBe(35)
    expect(seriesStat(v, 'p90')).toBe(50)
    expect(seriesStat(v, 'p99')).toBe(50)
    expect(seriesStat([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'p95')).toBe(10)
    expect(seriesStat([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'p90')).toBe(9)
  })

  it('has no value for an empty series except count and sum', () => {
    expect(seriesStat([], 'mean')).toBeNull()
    expect(seriesStat([], 'p99')).toBeNull()
    expect(seriesStat([], 'count')).toBe(0)
    expect(seriesStat([], 'sum')).toBe(0)
  })
})

describe('extractMetric and metricLabel', () => {
  const run = sampleRunResult({ stalls: 7, latencies: [100, 300, 200] })
  it('reads vmstat counters and series', () => {
    expect(extractMetric(run, { kind: 'vmstat', counter: 'compact_stall' })).toBe(7)
    expect(extractMetric(run, { kind: 'vmstat', counter: 'pgmigrate_success' })).toBeNull()
    expect(extractMetric(run, { kind: 'series', series: 'latencyNs', stat: 'last' })).toBe(200)
    expect(extractMetric(run, { kind: 'series', series: 'latencyNs', stat: 'mean' })).toBe(200)
    expect(extractMetric(run, { kind: 'series', series: 'latencyNs', stat: 'max' })).toBe(300)
    expect(extractMetric(run, { kind: 'series', series: 'nope', stat: 'count' })).toBeNull()
  })

  it('puts the unit in the label, inferring ns from the series name', () => {
    expect(metricLabel({ kind: 'series', series: 'latencyNs', stat: 'p99' })).toBe(
      'latencyNs p99 (ns)',
    )
    expect(metricLabel({ kind: 'series', series: 'wait_ns', stat: 'last' })).toBe('wait_ns (ns)')
    expect(metricLabel({ kind: 'series', series: 'latencyNs', stat: 'count' })).toBe(
      'latencyNs count',
    )
    expect(metricLabel({ kind: 'series', series: 'free_pages', stat: 'last', unit: 'pages' })).toBe(
      'free_pages (pages)',
    )
    expect(metricLabel({ kind: 'vmstat', counter: 'compact_stall' })).toBe('compact_stall')
    expect(metricLabel({ kind: 'vmstat', counter: 'x', label: 'latency', unit: 'ns' })).toBe(
      'latency (ns)',
    )
  })
})

describe('aggregateMetric', () => {
  it('gives mean, stddev, 95% CI (t, df = 2), min, max and n over seeds', () => {
    const baseline = sampleExperiment().runs.filter((r) => r.variant === 'baseline')
    const a = aggregateMetric(baseline, { kind: 'vmstat', counter: 'compact_stall' })
    // compact_stall = 4, 5, 6: mean 5, s = 1, CI = 4.303 / √3 = 2.484.
    expect(a).toMatchObject({
      n: 3,
      mean: 5,
      stddev: 1,
      min: 4,
      max: 6,
      label: 'compact_stall',
      unit: null,
    })
    expect(a.ci).toBeCloseTo(2.484, 3)
    expect(a.values).toEqual([4, 5, 6])
    expect(a.seeds).toEqual([1, 2, 3])
  })

  it('skips runs lacking the metric and reports n accordingly', () => {
    const runs = [sampleRunResult({ seed: 1 }), sampleRunResult({ seed: 2 })]
    delete (runs[1].vmstat as Record<string, number>).compact_fail
    const a = aggregateMetric(runs, { kind: 'vmstat', counter: 'compact_fail' })
    expect(a).toMatchObject({ n: 1, mean: 1, stddev: null, ci: null, seeds: [1] })
  })

  it('summarises the last value of a series across seeds', () => {
    const nofallback = sampleExperiment().runs.filter((r) => r.variant === 'nofallback')
    // Last latency per seed: 2500, 3500, 4500 → mean 3500, s = 1000.
    const a = aggregateMetric(
      nofallback,
      { kind: 'series', series: 'latencyNs', stat: 'last' },
      0.9,
    )
    expect(a).toMatchObject({ mean: 3500, stddev: 1000, label: 'latencyNs (ns)', confidence: 0.9 })
    // 90%, df = 2: t = 2.920.
    expect(a.ci).toBeCloseTo((2.919986 * 1000) / Math.sqrt(3), 2)
  })
})

describe('vmstatCounters and seriesNames', () => {
  it('keep first-seen order across runs', () => {
    const a = sampleRunResult()
    const b = sampleRunResult()
    b.vmstat = { compact_stall: 1, pgmigrate_success: 2 }
    b.series = { other: [] }
    expect(vmstatCounters([a, b])).toEqual([
      'nr_free_pages',
      'compact_stall',
      'compact_success',
      'compact_fail',
      'pgmigrate_success',
    ])
    expect(seriesNames([a, b])).toEqual(['latencyNs', 'free_pages', 'other'])
  })
})
