/**
 * Latency histograms as the engine records them (engine/api/histogram.ts): log2 buckets in
 * simulated ns, bucket 0 = [0, 2), bucket i = [2^i, 2^(i+1)). The renderer reads them from a
 * RunResult without trusting their shape, merges them across seeds, and turns them into the
 * points of a histogram and a CDF on a log ns axis.
 */
import type { RunResult, SeriesPoint } from '../../../protocol/result'

export interface LatencyHistogram {
  count: number
  sum: number
  min: number
  max: number
  buckets: number[]
}

function isHistogram(v: unknown): v is LatencyHistogram {
  if (typeof v !== 'object' || v === null) return false
  const h = v as Record<string, unknown>
  return (
    typeof h.count === 'number' &&
    Array.isArray(h.buckets) &&
    h.buckets.every((b) => typeof b === 'number' && b >= 0)
  )
}

/** log2 bucket of a value (as engine/api/histogram.ts:log2Bucket). */
export function log2Bucket(value: number): number {
  return value < 2 ? 0 : Math.floor(Math.log2(value))
}

export function histogramOfValues(values: readonly number[]): LatencyHistogram {
  const h: LatencyHistogram = { count: 0, sum: 0, min: 0, max: 0, buckets: [] }
  for (const raw of values) {
    const v = raw < 0 ? 0 : raw
    if (h.count === 0 || v < h.min) h.min = v
    if (h.count === 0 || v > h.max) h.max = v
    h.count++
    h.sum += v
    const b = log2Bucket(v)
    while (h.buckets.length <= b) h.buckets.push(0)
    h.buckets[b]!++
  }
  return h
}

/**
 * The histogram `name` of a run: from `result.histograms` when the engine recorded it, else
 * built from a series of that name whose values are the latencies (one point per event).
 */
export function runHistogram(run: RunResult, name: string): LatencyHistogram | null {
  const all = (run as { histograms?: unknown }).histograms
  if (typeof all === 'object' && all !== null) {
    const h = (all as Record<string, unknown>)[name]
    if (isHistogram(h) && h.count > 0) return h
  }
  const pts: SeriesPoint[] | undefined = run.series[name]
  if (pts && pts.length > 0) return histogramOfValues(pts.map((p) => p[1]))
  return null
}

export function mergeHistograms(list: readonly LatencyHistogram[]): LatencyHistogram | null {
  if (list.length === 0) return null
  const out: LatencyHistogram = { count: 0, sum: 0, min: Infinity, max: 0, buckets: [] }
  for (const h of list) {
    out.count += h.count
    out.sum += h.sum
    out.min = Math.min(out.min, h.min)
    out.max = Math.max(out.max, h.max)
    h.buckets.forEach((n, i) => (out.buckets[i] = (out.buckets[i] ?? 0) + n))
  }
  for (let i = 0; i < out.buckets.length; i++) out.buckets[i] ??= 0
  return out
}

/** Lower and upper bound of bucket i in ns. */
export function bucketRange(i: number): [number, number] {
  return i === 0 ? [0, 2] : [2 ** i, 2 ** (i + 1)]
}

/**
 * Histogram points for a log x axis: one per non-empty bucket at its geometric middle
 * (bucket 0 at 1 ns), y = the fraction of all samples in the bucket.
 */
export function histogramPoints(h: LatencyHistogram): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = []
  h.buckets.forEach((n, i) => {
    if (n === 0) return
    const x = i === 0 ? 1 : Math.SQRT2 * 2 ** i
    out.push({ x, y: n / h.count })
  })
  return out
}

/**
 * CDF points: 0 at the lower bound of the first non-empty bucket (at least the exact min, and
 * 1 ns for the log axis), then at the upper bound of every bucket the fraction of samples
 * below it; the last point sits at the exact max with 1. A one-bucket histogram is thus a
 * visible step, not a lone dot.
 */
export function cdfPoints(h: LatencyHistogram): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = []
  const first = h.buckets.findIndex((n) => n > 0)
  if (first < 0) return out
  out.push({ x: Math.max(1, bucketRange(first)[0], Math.min(h.min, bucketRange(first)[1])), y: 0 })
  let seen = 0
  h.buckets.forEach((n, i) => {
    if (n === 0) return
    seen += n
    out.push({ x: Math.min(bucketRange(i)[1], Math.max(h.max, 1)), y: seen / h.count })
  })
  return out
}

/**
 * The bucket upper bound holding the p-th percentile (nearest rank), clipped to the exact max
 * (as engine/api/histogram.ts:histogramPercentile).
 */
export function histogramPercentile(h: LatencyHistogram, p: number): number | null {
  if (h.count === 0) return null
  const rank = Math.max(1, Math.ceil((p / 100) * h.count))
  let seen = 0
  for (let i = 0; i < h.buckets.length; i++) {
    seen += h.buckets[i]!
    if (seen >= rank) return Math.min(2 ** (i + 1) - 1, h.max)
  }
  return h.max
}
