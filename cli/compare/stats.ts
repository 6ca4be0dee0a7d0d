/**
 * Statistics for comparing variants across seeds: mean, sample standard deviation, a 95%
 * confidence interval of the mean (Student's t), and Welch's t-test for "significantly
 * different from the baseline" at the 5% level, as mmtests' compare scripts mark with '*'.
 */

/** Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom. */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
]

/** t quantile for `df` degrees of freedom (rounded down: the conservative side). */
export function t95(df: number): number {
  const d = Math.floor(df)
  if (d < 1) return Infinity
  if (d <= 30) return T95[d - 1]
  if (d <= 40) return 2.021
  if (d <= 60) return 2.0
  if (d <= 120) return 1.98
  return 1.96
}

export interface Summary {
  n: number
  mean: number
  /** Sample standard deviation (n-1); 0 for a single value. */
  sd: number
  /** Half-width of the 95% confidence interval of the mean; 0 when n < 2. */
  ci95: number
  min: number
  max: number
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length
  if (n === 0) return { n: 0, mean: NaN, sd: NaN, ci95: NaN, min: NaN, max: NaN }
  const mean = values.reduce((a, b) => a + b, 0) / n
  const sd = n < 2 ? 0 : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1))
  const ci95 = n < 2 ? 0 : (t95(n - 1) * sd) / Math.sqrt(n)
  return { n, mean, sd, ci95, min: Math.min(...values), max: Math.max(...values) }
}

/**
 * Welch's t-test: true when the means differ at the 5% level. With zero variance on both
 * sides (a deterministic metric) any difference in the means is significant.
 */
export function significantlyDifferent(a: Summary, b: Summary): boolean {
  if (a.n < 1 || b.n < 1) return false
  if (a.mean === b.mean) return false
  const va = a.n > 1 ? (a.sd * a.sd) / a.n : 0
  const vb = b.n > 1 ? (b.sd * b.sd) / b.n : 0
  if (va + vb === 0) return true
  if (a.n < 2 || b.n < 2) return false
  const t = Math.abs(a.mean - b.mean) / Math.sqrt(va + vb)
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1))
  return t > t95(df)
}
