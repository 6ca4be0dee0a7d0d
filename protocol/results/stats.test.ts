import { describe, expect, it } from 'vitest'
import {
  incompleteBeta,
  lnGamma,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
  summarize,
  welchTTest,
} from './stats'

describe('lnGamma', () => {
  it('matches factorials and Γ(1/2) = √π', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 12)
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12)
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12)
    expect(lnGamma(0.25)).toBeCloseTo(Math.log(3.625609908221908), 11)
  })
})

describe('incompleteBeta', () => {
  it('is x for a = b = 1 and 1 - (1-x)^b for a = 1', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14)
    expect(incompleteBeta(0.3, 1, 3)).toBeCloseTo(1 - 0.7 ** 3, 14)
    expect(incompleteBeta(0, 2, 3)).toBe(0)
    expect(incompleteBeta(1, 2, 3)).toBe(1)
  })
})

describe('studentTQuantile', () => {
  // Two-sided 95% critical values from the textbook t table.
  const table: [number, number][] = [
    [1, 12.706],
    [2, 4.303],
    [3, 3.182],
    [4, 2.776],
    [5, 2.571],
    [9, 2.262],
    [10, 2.228],
    [20, 2.086],
    [30, 2.042],
    [60, 2.0],
    [120, 1.98],
  ]
  it.each(table)('t(0.975, df=%i) = %f as in the t table', (df, t) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3)
  })

  it('equals the closed forms for df = 1 (Cauchy) and df = 2', () => {
    // df = 1: t = tan(π (p - 1/2)); df = 2: t = (2p - 1) √(2 / (4p(1 - p))).
    for (const p of [0.6, 0.9, 0.975, 0.995]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 9)
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) * Math.sqrt(2 / (4 * p * (1 - p))), 9)
    }
  })

  it('gives the other common levels of the table', () => {
    expect(studentTQuantile(0.95, 10)).toBeCloseTo(1.812, 3)
    expect(studentTQuantile(0.995, 10)).toBeCloseTo(3.169, 3)
    expect(studentTQuantile(0.995, 1)).toBeCloseTo(63.657, 3)
  })

  it('is the normal quantile at df = Infinity and antisymmetric in p', () => {
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.96, 3)
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6)
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 6)
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-studentTQuantile(0.975, 4), 12)
    expect(studentTQuantile(0.5, 7)).toBe(0)
  })

  it('inverts the CDF, also for non-integer (Welch) df', () => {
    for (const df of [1.5, 3.7, 17.2]) {
      expect(studentTCdf(studentTQuantile(0.9, df), df)).toBeCloseTo(0.9, 10)
    }
  })

  it('rejects p outside (0, 1) and df <= 0', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError)
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError)
  })
})

describe('studentTTwoSidedP', () => {
  it('matches the closed-form CDF for df = 4', () => {
    // F(t) = 1/2 + (3/4) x - (1/4) x^3 with x = t / √(4 + t²).
    for (const t of [0.5, 1, 2.776, 3.674]) {
      const x = t / Math.sqrt(4 + t * t)
      const cdf = 0.5 + 0.75 * x - 0.25 * x ** 3
      expect(studentTTwoSidedP(t, 4)).toBeCloseTo(2 * (1 - cdf), 12)
    }
    // The 95% critical value gives p = 0.05.
    expect(studentTTwoSidedP(2.776445, 4)).toBeCloseTo(0.05, 6)
  })

  it('approaches the normal tail for huge df', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6)
    expect(studentTTwoSidedP(1.959964, Infinity)).toBeCloseTo(0.05, 6)
    expect(studentTTwoSidedP(1.959964, 1e6)).toBeCloseTo(0.05, 5)
  })
})

describe('summarize', () => {
  it('gives mean, sample stddev and the t-based 95% CI', () => {
    // [1, 2, 3]: mean 2, s = 1, CI = t(0.975, 2) · 1/√3 = 4.303 / 1.732 = 2.484.
    const s = summarize([1, 2, 3])
    expect(s).toMatchObject({ n: 3, mean: 2, stddev: 1, min: 1, max: 3, confidence: 0.95 })
    expect(s.ci).toBeCloseTo(4.302653 / Math.sqrt(3), 5)
  })

  it('uses n - 1 in the variance', () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: sum of squares 32, s² = 32/7; CI = 2.365 · s / √8.
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9])
    expect(s.stddev).toBeCloseTo(Math.sqrt(32 / 7), 12)
    expect(s.ci).toBeCloseTo(2.364624 * Math.sqrt(32 / 7 / 8), 5)
  })

  it('has no spread for n < 2 and nothing for n = 0', () => {
    expect(summarize([7])).toMatchObject({ n: 1, mean: 7, stddev: null, ci: null, min: 7, max: 7 })
    expect(summarize([])).toMatchObject({ n: 0, mean: null, ci: null, min: null })
  })

  it('honours another confidence level', () => {
    // 99%, df = 2: t = 9.925.
    expect(summarize([1, 2, 3], 0.99).ci).toBeCloseTo(9.924843 / Math.sqrt(3), 5)
  })
})

describe('welchTTest', () => {
  it('computes t, Welch df and p by hand for two small samples', () => {
    // a = [1,2,3], b = [4,5,6]: s² = 1 each; se² = 1/3 + 1/3; t = -3 / √(2/3) = -3.674;
    // df = (2/3)² / ((1/3)²/2 + (1/3)²/2) = 4.
    const r = welchTTest(summarize([1, 2, 3]), summarize([4, 5, 6]))
    expect(r).not.toBeNull()
    expect(r!.t).toBeCloseTo(-3 / Math.sqrt(2 / 3), 12)
    expect(r!.df).toBeCloseTo(4, 12)
    const x = 3.674235 / Math.sqrt(4 + 3.674235 ** 2)
    expect(r!.pValue).toBeCloseTo(2 * (1 - (0.5 + 0.75 * x - 0.25 * x ** 3)), 5)
    expect(r!.pValue).toBeLessThan(0.05)
  })

  it('reduces df when variances differ (Welch–Satterthwaite)', () => {
    // a = [0, 10] (s² = 50, n = 2), b = [5, 5, 5, 5] (s² = 0): df = n_a - 1 = 1.
    const r = welchTTest(summarize([0, 10]), summarize([5, 5, 5, 5]))
    expect(r!.df).toBeCloseTo(1, 12)
    expect(r!.pValue).toBeCloseTo(1, 12)
  })

  it('is not significant for overlapping samples', () => {
    const r = welchTTest(summarize([10, 12, 14]), summarize([11, 13, 15]))
    expect(r!.pValue).toBeGreaterThan(0.05)
  })

  it('handles zero variance and too few samples', () => {
    expect(welchTTest(summarize([5, 5, 5]), summarize([5, 5, 5]))).toEqual({
      t: 0,
      df: 4,
      pValue: 1,
    })
    expect(welchTTest(summarize([5, 5, 5]), summarize([6, 6, 6]))).toMatchObject({ pValue: 0 })
    expect(welchTTest(summarize([5]), summarize([6, 7]))).toBeNull()
  })
})
