/**
 * User series recorded with `record(name, value)`: points of (simulated ns, value), kept in
 * recording order per series, with a cursor so hosts can stream only the points added since
 * their last message.
 */
export type Point = [timeNs: number, value: number]

export class SeriesRecorder {
  private readonly series = new Map<string, Point[]>()
  private readonly sent = new Map<string, number>()
  private total = 0

  constructor(private readonly maxPoints = 1_000_000) {}

  record(name: string, timeNs: number, value: number): void {
    if (name === '') throw new RangeError('record: the series name must not be empty')
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(
        `record(${JSON.stringify(name)}): value must be a finite number, got ${String(value)}`,
      )
    }
    if (++this.total > this.maxPoints) {
      throw new RangeError(
        `record: more than ${this.maxPoints} points in one run; record less often`,
      )
    }
    let pts = this.series.get(name)
    if (!pts) this.series.set(name, (pts = []))
    pts.push([timeNs, value])
  }

  /** Points added since the previous call, by series; empty series are left out. */
  takeNew(): Record<string, Point[]> {
    const out: Record<string, Point[]> = {}
    for (const [name, pts] of this.series) {
      const from = this.sent.get(name) ?? 0
      if (from < pts.length) {
        out[name] = pts.slice(from)
        this.sent.set(name, pts.length)
      }
    }
    return out
  }

  /** Every series, each sorted by time (stable, so same-time points keep their order). */
  all(): Record<string, Point[]> {
    const out: Record<string, Point[]> = {}
    for (const [name, pts] of this.series) out[name] = [...pts].sort((a, b) => a[0] - b[0])
    return out
  }
}
