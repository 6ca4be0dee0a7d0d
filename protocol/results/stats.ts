/**
 * The statistics behind aggregation and comparison: Student's t distribution (CDF and
 * quantile for any df, including non-integer Welch df and df = Infinity), sample summaries and
 * Welch's unequal-variance t-test.
 *
 * The t CDF is computed from the regularised incomplete beta function,
 * `P(T <= t) = 1 - I_x(df/2, 1/2) / 2` with `x = df / (df + t^2)` for t >= 0, and the quantile
 * by bisection on that CDF. This is exact to ~1e-12 for every df, so no table is needed; the
 * tests check it against the textbook table values (t(0.975, 2) = 4.303, t(0.975, 10) = 2.228).
 * Pure arithmetic, deterministic on every machine.
 */

/** Lanczos coefficients for g = 7, n = 9 (relative error of ln Γ below 1e-13 for x > 0). */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
]

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Γ(x) Γ(1 - x) = π / sin(πx); keeps the series in its accurate range.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x)
  }
  const z = x - 1
  let sum = LANCZOS[0]
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

/** Continued fraction of the incomplete beta function, evaluated by the modified Lentz method. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < tiny) d = tiny
  d = 1 / d
  let h = d
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m
    // Even step of the fraction.
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    h *= d * c
    // Odd step.
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < 1e-15) break
  }
  return h
}

/** The regularised incomplete beta function I_x(a, b), for a, b > 0 and 0 <= x <= 1. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x)
  const front = Math.exp(lnFront)
  // The fraction converges fast only below the mean of the beta distribution; use the
  // symmetry I_x(a, b) = 1 - I_{1-x}(b, a) above it.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b
}

/**
 * Two-sided tail probability P(|T| >= |t|) of Student's t with `df` degrees of freedom
 * (df > 0, not necessarily an integer). This is the p-value of a two-sided t-test.
 */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0
  if (df === Infinity) return 2 * (1 - normalCdf(Math.abs(t)))
  return incompleteBeta(df / (df + t * t), df / 2, 0.5)
}

/** CDF P(T <= t) of Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = studentTTwoSidedP(t, df) / 2
  return t >= 0 ? 1 - tail : tail
}

/**
 * Standard normal CDF. Uses erfc by the Chebyshev fit of Numerical Recipes' `erfcc`
 * (fractional error below 1.2e-7), which is enough for p-values at df = Infinity.
 */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.5 * x)
  const poly =
    -x * x -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  const erfc = t * Math.exp(poly)
  return z >= 0 ? 1 - erfc / 2 : erfc / 2
}

/**
 * Quantile of the standard normal distribution, by Acklam's rational approximation
 * (relative error below 1.2e-9). `normalQuantile(0.975)` = 1.959964.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`)
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ]
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const pLow = 0.02425
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    )
  }
  if (p > 1 - pLow) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  )
}

/**
 * Quantile t(p, df) of Student's t distribution: the t with P(T <= t) = p.
 * `df` may be any positive number or Infinity (the normal quantile).
 *
 * @example studentTQuantile(0.975, 2) // 4.3027, the half-width factor of a 95% CI of 3 samples
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`)
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be > 0, got ${df}`)
  if (df === Infinity) return normalQuantile(p)
  if (p === 0.5) return 0
  if (p < 0.5) return -studentTQuantile(1 - p, df)
  // Bracket the root, then bisect: the CDF is monotonic, so this cannot fail to converge.
  let lo = 0
  let hi = 1
  while (studentTCdf(hi, df) < p) {
    lo = hi
    hi *= 2
  }
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2
    if (studentTCdf(mid, df) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** Summary of a sample: the numbers every aggregate cell shows. */
export interface SampleSummary {
  /** Number of values. */
  n: number
  /** Arithmetic mean; null when n = 0. */
  mean: number | null
  /** Sample standard deviation (n - 1 in the denominator); null when n < 2. */
  stddev: number | null
  /**
   * Half-width of the two-sided confidence interval of the mean by Student's t,
   * `t(1 - α/2, n - 1) · stddev / √n`; null when n < 2.
   */
  ci: number | null
  /** Confidence level of `ci` (0.95 unless asked otherwise). */
  confidence: number
  min: number | null
  max: number | null
}

/**
 * Summarises values: mean, sample standard deviation, confidence interval of the mean by
 * Student's t, min, max and n.
 *
 * @example summarize([1, 2, 3]) // { n: 3, mean: 2, stddev: 1, ci: 2.484 (= 4.303 / √3), ... }
 */
export function summarize(values: readonly number[], confidence = 0.95): SampleSummary {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`summarize: confidence must be in (0, 1), got ${confidence}`)
  }
  const n = values.length
  if (n === 0) return { n, mean: null, stddev: null, ci: null, confidence, min: null, max: null }
  let sum = 0
  let min = Infinity
  let max = -Infinity
  for (const v of values) {
    sum += v
    if (v < min) min = v
    if (v > max) max = v
  }
  const mean = sum / n
  if (n < 2) return { n, mean, stddev: null, ci: null, confidence, min, max }
  // Two-pass variance: stable when all values are large and close together (ns timestamps).
  let ss = 0
  for (const v of values) ss += (v - mean) * (v - mean)
  const stddev = Math.sqrt(ss / (n - 1))
  const ci = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (stddev / Math.sqrt(n))
  return { n, mean, stddev, ci, confidence, min, max }
}

/** Outcome of Welch's t-test between two samples. */
export interface WelchTest {
  /** Welch's t statistic of (mean of a) - (mean of b); ±Infinity when both variances are 0. */
  t: number
  /** Welch–Satterthwaite degrees of freedom. */
  df: number
  /** Two-sided p-value. */
  pValue: number
}

/**
 * Welch's unequal-variance t-test of the means of two samples, given their summaries.
 * Returns null when either sample has fewer than 2 values (no variance estimate).
 *
 * Deterministic simulations often give identical values for every seed; when both variances
 * are 0 the test degenerates: equal means give p = 1, different means p = 0.
 */
export function welchTTest(a: SampleSummary, b: SampleSummary): WelchTest | null {
  if (a.n < 2 || b.n < 2 || a.mean === null || b.mean === null) return null
  const va = (a.stddev ?? 0) ** 2 / a.n
  const vb = (b.stddev ?? 0) ** 2 / b.n
  const se2 = va + vb
  const diff = a.mean - b.mean
  if (se2 === 0) {
    const df = a.n + b.n - 2
    if (diff === 0) return { t: 0, df, pValue: 1 }
    return { t: diff > 0 ? Infinity : -Infinity, df, pValue: 0 }
  }
  const t = diff / Math.sqrt(se2)
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1))
  return { t, df, pValue: studentTTwoSidedP(t, df) }
}
