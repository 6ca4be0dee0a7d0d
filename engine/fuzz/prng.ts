/** The fuzzer's seeded generator: the run RNG (xoshiro128**) with the helpers a generator needs. */
import { Rng } from '../api/rng'

export class Prng {
  private readonly r: Rng
  constructor(seed: number) {
    this.r = new Rng(seed)
  }
  /** Uniform integer in 0..n-1. */
  int(n: number): number {
    return Math.floor((this.r.next() / 2 ** 32) * n)
  }
  /** Uniform integer in lo..hi (inclusive). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.r.next() / 2 ** 32 < p
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]
  }
  /** An index drawn by weight. */
  weighted(ws: readonly number[]): number {
    let total = 0
    for (const w of ws) total += w
    let x = (this.r.next() / 2 ** 32) * total
    for (let i = 0; i < ws.length; i++) {
      x -= ws[i]
      if (x < 0) return i
    }
    return ws.length - 1
  }
}
