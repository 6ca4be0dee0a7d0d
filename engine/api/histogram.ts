/**
 * Latency histograms in simulated ns with log2 buckets (as bcc's `hist` and the kernel's
 * BPF histograms print them): bucket 0 holds values below 2, bucket i ≥ 1 holds
 * [2^i, 2^(i+1)). Count, sum, min and max are exact; percentiles are bucket upper bounds.
 */
export interface Histogram {
  unit: 'ns'
  count: number
  sum: number
  min: number
  max: number
  /** buckets[i]: values in [2^i, 2^(i+1)) (bucket 0: [0, 2)); trailing empty buckets trimmed. */
  buckets: number[]
}

export function emptyHistogram(): Histogram {
  return { unit: 'ns', count: 0, sum: 0, min: 0, max: 0, buckets: [] }
}

/** The bucket of a value (negative values count as 0). */
export function log2Bucket(value: number): number {
  return value < 2 ? 0 : Math.floor(Math.log2(value))
}

export function histogramAdd(h: Histogram, value: number): void {
  const v = value < 0 ? 0 : value
  if (h.count === 0 || v < h.min) h.min = v
  if (h.count === 0 || v > h.max) h.max = v
  h.count++
  h.sum += v
  const b = log2Bucket(v)
  while (h.buckets.length <= b) h.buckets.push(0)
  h.buckets[b]++
}

/**
 * The upper bound of the bucket holding the p-th percentile (nearest rank), clipped to the
 * exact max; null when empty.
 */
export function histogramPercentile(h: Histogram, p: number): number | null {
  if (h.count === 0) return null
  const rank = Math.max(1, Math.ceil((p / 100) * h.count))
  let seen = 0
  for (let i = 0; i < h.buckets.length; i++) {
    seen += h.buckets[i]
    if (seen >= rank) return Math.min(2 ** (i + 1) - 1, h.max)
  }
  return h.max
}

/** Named histograms of a run. */
export class HistogramSet {
  private readonly hists = new Map<string, Histogram>()

  add(name: string, value: number): void {
    let h = this.hists.get(name)
    if (!h) this.hists.set(name, (h = emptyHistogram()))
    histogramAdd(h, value)
  }

  addAll(name: string, values: readonly number[]): void {
    for (const v of values) this.add(name, v)
  }

  get(name: string): Histogram | undefined {
    return this.hists.get(name)
  }

  all(): Record<string, Histogram> {
    const out: Record<string, Histogram> = {}
    for (const [k, h] of this.hists) out[k] = { ...h, buckets: [...h.buckets] }
    return out
  }
}
