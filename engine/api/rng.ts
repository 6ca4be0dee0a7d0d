/**
 * The run's seeded generator: xoshiro128** (Blackman & Vigna) seeded through splitmix32, so
 * any 32-bit seed gives a well-mixed state. Pure 32-bit integer arithmetic: the same seed
 * yields the same sequence in Node and in every browser.
 */
export class Rng {
  private s = new Uint32Array(4)

  constructor(seed: number) {
    let x = seed >>> 0
    for (let i = 0; i < 4; i++) {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      this.s[i] = (z ^ (z >>> 16)) >>> 0
    }
  }

  /** The generator's state (four 32-bit words), for a snapshot. */
  state(): Uint32Array {
    return Uint32Array.from(this.s)
  }

  /** A generator that continues from `state()` output. */
  static fromState(state: Uint32Array): Rng {
    if (state.length !== 4) throw new RangeError('Rng.fromState: the state is four 32-bit words')
    const r = new Rng(0)
    r.s.set(state)
    return r
  }

  /** Next value in 0..2^32-1. */
  next(): number {
    const s = this.s
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0
    const t = (s[1] << 9) >>> 0
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = rotl(s[3], 11)
    return result
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
