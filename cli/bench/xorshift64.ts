/**
 * Marsaglia's xorshift64 (x ^= x << 13; x ^= x >> 7; x ^= x << 17) on two 32-bit halves, so
 * the benchmark needs no BigInt in its loop. `nextDouble` uses the top 53 bits.
 */
export class Xorshift64 {
  /** High and low 32 bits, kept as signed int32 so V8 stores them unboxed. */
  hi: number
  lo: number
  constructor(seed: number) {
    this.hi = Math.floor(seed / 0x100000000) | 0
    this.lo = seed | 0
  }

  /** Advance once. */
  step(): void {
    let hi = this.hi
    let lo = this.lo
    // x ^= x << 13
    hi ^= (hi << 13) | (lo >>> 19)
    lo ^= lo << 13
    // x ^= x >> 7
    lo ^= (lo >>> 7) | (hi << 25)
    hi ^= hi >>> 7
    // x ^= x << 17
    hi ^= (hi << 17) | (lo >>> 15)
    lo ^= lo << 17
    this.hi = hi | 0
    this.lo = lo | 0
  }

  /** Uniform in [0, 1) from the next 64-bit output. */
  nextDouble(): number {
    this.step()
    return ((this.hi >>> 0) * 2097152 + (this.lo >>> 11)) / 9007199254740992
  }
}
