import { describe, expect, it } from 'vitest'
import { significantlyDifferent, summarize, t95 } from './stats'

describe('comparison statistics', () => {
  it('summarises with the sample deviation and a Student-t 95% interval', () => {
    const s = summarize([1, 2, 3, 4, 5])
    expect(s).toMatchObject({ n: 5, mean: 3, min: 1, max: 5 })
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 10)
    // t(0.975, 4) = 2.776; 2.776 * sqrt(2.5) / sqrt(5)
    expect(s.ci95).toBeCloseTo(1.963, 3)
    expect(summarize([7])).toMatchObject({ n: 1, mean: 7, sd: 0, ci95: 0 })
  })

  it('uses the t table, rounding the degrees of freedom down', () => {
    expect(t95(1)).toBe(12.706)
    expect(t95(8.9)).toBe(2.306)
    expect(t95(1000)).toBe(1.96)
  })

  it("marks differences with Welch's t-test at 5%", () => {
    const a = summarize([1, 2, 3, 4, 5])
    // t = 5 / sqrt(0.5 + 0.5) = 5 on 8 df, above 2.306
    expect(significantlyDifferent(a, summarize([6, 7, 8, 9, 10]))).toBe(true)
    // t = 0.5: noise
    expect(significantlyDifferent(a, summarize([1.5, 2.5, 3.5, 4.5, 5.5]))).toBe(false)
    // deterministic metrics: any change counts, no change never does
    expect(significantlyDifferent(summarize([4, 4, 4]), summarize([5, 5, 5]))).toBe(true)
    expect(significantlyDifferent(summarize([4, 4, 4]), summarize([4, 4, 4]))).toBe(false)
  })
})
