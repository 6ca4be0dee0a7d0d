import { describe, expect, it } from 'vitest'
import { parseSeeds, planEntries } from './experimentPlan'

describe('parseSeeds', () => {
  it('reads lists and ranges, drops duplicates, keeps order', () => {
    expect(parseSeeds('3, 1 2')).toEqual([3, 1, 2])
    expect(parseSeeds('1-3,7,2')).toEqual([1, 2, 3, 7])
  })
  it('rejects what is not a seed', () => {
    expect(parseSeeds('')).toBe('give at least one seed')
    expect(parseSeeds('1, x')).toMatch(/"x" is not a seed/)
    expect(parseSeeds('5-2')).toMatch(/not a valid range/)
    expect(parseSeeds('0-100')).toMatch(/at most 64 seeds/)
  })
})

describe('planEntries', () => {
  it('runs variant by variant, seed by seed; no variants runs the base machine', () => {
    expect(planEntries({ variants: ['a', 'b'], seeds: [1, 2] }).map((e) => e.key)).toEqual([
      'a/1',
      'a/2',
      'b/1',
      'b/2',
    ])
    expect(planEntries({ variants: [], seeds: [5] })).toMatchObject([
      { key: 'base/5', variant: null, seed: 5, status: 'queued' },
    ])
  })
})
