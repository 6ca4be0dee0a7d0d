import { describe, expect, it } from 'vitest'
import {
  compareExperiment,
  makeExperiment,
  renderComparisonText,
  runsByVariant,
  seriesToCsv,
  validateExperiment,
  variantLabel,
} from './index'
import { sampleRunResult } from './fixtures'

describe('makeExperiment', () => {
  it('orders runs by variant, then seed, whatever order they finished in', () => {
    const runs = [
      sampleRunResult({ seed: 2, variant: 'b' }),
      sampleRunResult({ seed: 1, variant: 'b' }),
      sampleRunResult({ seed: 2, variant: 'a' }),
      sampleRunResult({ seed: 1, variant: 'a' }),
    ]
    const x = makeExperiment('s.ts', ['a', 'b'], [1, 2], runs)
    expect(x.runs.map((r) => `${r.variant}/${r.seed}`)).toEqual(['a/1', 'a/2', 'b/1', 'b/2'])
    // Same input in another order gives byte-identical JSON.
    const y = makeExperiment('s.ts', ['a', 'b'], [1, 2], [...runs].reverse())
    expect(JSON.stringify(y)).toBe(JSON.stringify(x))
  })

  it('groups runs by variant in column order, "base" for no variants', () => {
    const x = makeExperiment('s.ts', ['a', 'b'], [1], [sampleRunResult({ variant: 'b' })])
    expect(runsByVariant(x).map((g) => [g.label, g.runs.length])).toEqual([
      ['a', 0],
      ['b', 1],
    ])
    expect(variantLabel(null)).toBe('base')
  })
})

describe('results pipeline through the public entry point', () => {
  it('JSON file → validateExperiment → comparison table and CSV', () => {
    const runs = [1, 2, 3].flatMap((seed) => [
      sampleRunResult({ seed, variant: 'v1', stalls: 10 + seed }),
      sampleRunResult({ seed, variant: 'v2', stalls: 10 + seed }),
    ])
    const text = JSON.stringify(
      makeExperiment('examples/fragment.ts', ['v1', 'v2'], [1, 2, 3], runs),
    )
    const x = validateExperiment(JSON.parse(text))
    const table = compareExperiment(x, { metrics: [{ kind: 'vmstat', counter: 'compact_stall' }] })
    expect(table.rows[0].cells.map((c) => c.mean)).toEqual([12, 12])
    expect(renderComparisonText(table)).toContain('compact_stall')
    expect(seriesToCsv(x.runs).split('\n')).toHaveLength(1 + 6 * 5 + 1)
  })
})
