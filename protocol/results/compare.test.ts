import { describe, expect, it } from 'vitest'
import { compareExperiment, defaultMetrics, renderComparisonText } from './compare'
import { makeExperiment } from './experiment'
import { sampleExperiment, sampleRunResult } from './fixtures'

describe('compareExperiment', () => {
  const table = compareExperiment(sampleExperiment(), {
    metrics: [
      { kind: 'vmstat', counter: 'compact_stall' },
      { kind: 'series', series: 'latencyNs', stat: 'mean' },
    ],
  })

  it('has variants as columns, the first as baseline', () => {
    expect(table.columns).toEqual(['baseline', 'nofallback'])
    expect(table.seeds).toEqual([1, 2, 3])
    expect(table.rows.map((r) => r.metric)).toEqual(['compact_stall', 'latencyNs mean (ns)'])
  })

  it('marks a hand-computed significant difference (Welch df = 4, p = 0.021)', () => {
    const [base, other] = table.rows[0].cells
    expect(base).toMatchObject({
      mean: 5,
      stddev: 1,
      n: 3,
      min: 4,
      max: 6,
      deltaPct: 0,
      pValue: null,
    })
    expect(base.significant).toBe(false)
    expect(base.ci).toBeCloseTo(4.302653 / Math.sqrt(3), 5)
    // (2 - 5) / 5 = -60%.
    expect(other).toMatchObject({ mean: 2, deltaPct: -60, significant: true })
    expect(other.pValue).toBeCloseTo(0.0213, 4)
  })

  it('does not mark a difference smaller than the noise', () => {
    // Per-seed means 1500, 2000, 2500 vs 1750, 2250, 2750: +12.5%, t = -0.61, p = 0.57.
    const [base, other] = table.rows[1].cells
    expect(base.mean).toBe(2000)
    expect(other.mean).toBe(2250)
    expect(other.deltaPct).toBeCloseTo(12.5, 12)
    expect(other.pValue).toBeCloseTo(0.573, 3)
    expect(other.significant).toBe(false)
  })

  it('compares the non-zero vmstat counters by default', () => {
    expect(table.vmstat.map((r) => r.metric)).toEqual([
      'nr_free_pages',
      'compact_stall',
      'compact_success',
      'compact_fail',
    ])
    // Identical in every run: zero variance, equal means → p = 1, not significant.
    expect(table.vmstat[2].cells[1]).toMatchObject({
      mean: 3,
      deltaPct: 0,
      pValue: 1,
      significant: false,
    })
    expect(compareExperiment(sampleExperiment(), { vmstat: false }).vmstat).toEqual([])
    expect(compareExperiment(sampleExperiment(), { vmstat: ['compact_fail'] }).vmstat).toHaveLength(
      1,
    )
  })

  it('defaults to the mean of every series', () => {
    expect(defaultMetrics(sampleExperiment())).toEqual([
      { kind: 'series', series: 'latencyNs', stat: 'mean' },
      { kind: 'series', series: 'free_pages', stat: 'mean' },
    ])
  })

  it('handles a baseline of zero, a single seed and a variant without runs', () => {
    const a = sampleRunResult({ seed: 1, variant: 'a' })
    const b = sampleRunResult({ seed: 1, variant: 'b' })
    a.vmstat = { compact_fail: 0, compact_stall: 0 }
    b.vmstat = { compact_fail: 2, compact_stall: 0 }
    const t = compareExperiment(makeExperiment('s.ts', ['a', 'b', 'c'], [1], [a, b]), {
      metrics: [],
      vmstat: 'all',
    })
    expect(t.vmstat[0].cells[1]).toMatchObject({
      mean: 2,
      deltaPct: null,
      ci: null,
      pValue: null,
      significant: false,
    })
    expect(t.vmstat[1].cells[1]).toMatchObject({ mean: 0, deltaPct: 0 })
    expect(t.vmstat[0].cells[2]).toMatchObject({ n: 0, mean: null, deltaPct: null })
  })

  it('labels the base machine "base" when the script declares no variants', () => {
    const x = makeExperiment(
      's.ts',
      [],
      [1, 2],
      [sampleRunResult({ seed: 1 }), sampleRunResult({ seed: 2 })],
    )
    expect(compareExperiment(x).columns).toEqual(['base'])
  })
})

describe('renderComparisonText', () => {
  it('prints aligned mmtests-style rows, *x%* for significant differences', () => {
    const text = renderComparisonText(
      compareExperiment(sampleExperiment(), {
        metrics: [
          { kind: 'vmstat', counter: 'compact_stall' },
          { kind: 'series', series: 'latencyNs', stat: 'mean' },
        ],
        vmstat: ['compact_stall', 'compact_success'],
      }),
    )
    expect(text).toBe(
      [
        "examples/fragment.ts: 2 variant(s) x 3 seed(s); mean (±95% CI), difference to baseline; *x%* = significant (Welch's t-test, p < 0.05)",
        '',
        '                                          baseline                     nofallback',
        'compact_stall            5.00 (±   2.48) (  0.00%)      2.00 (±   2.48) *-60.00%*',
        'latencyNs mean (ns)   2000.00 (±1242.07) (  0.00%)   2250.00 (±1242.07) (+12.50%)',
        '',
        'vmstat                                    baseline                     nofallback',
        'compact_stall            5.00 (±   2.48) (  0.00%)      2.00 (±   2.48) *-60.00%*',
        'compact_success          3.00 (±   0.00) (  0.00%)      3.00 (±   0.00) (  0.00%)',
        '',
      ].join('\n'),
    )
  })

  it('keeps every line of a section the same width', () => {
    const text = renderComparisonText(compareExperiment(sampleExperiment(), { vmstat: 'all' }))
    const body = text
      .split('\n')
      .slice(2, -1)
      .filter((l) => l !== '')
    const cellLines = body.filter((l) => !l.startsWith(' ') && !l.startsWith('vmstat'))
    expect(new Set(cellLines.map((l) => l.length)).size).toBe(1)
  })
})
