import { describe, expect, it } from 'vitest'
import { keptPhaseLead } from './keptPhase'
import { keptPhase } from './steps'

describe('keptPhase (the guest record\'s kv.pb_kept_phase)', () => {
  it('P=8 K=1: the kept pages\' pfn mod 8 when the mapping is laid out in ascending pfn order', () => {
    // Mapping index i at pfn 1000 + i: kept pages are i = 0, 8, 16, … at pfn ≡ 0 mod 8.
    const kept = Int32Array.from({ length: 100 }, (_, j) => 1000 + 8 * j)
    expect(keptPhase(kept, 8, 1)).toEqual({ phase: 0, count: 100 })
    expect(keptPhase(kept.map((p) => p + 7), 8, 1)).toEqual({ phase: 7, count: 100 })
  })

  it('P=128 K=16: where each kept run of 16 starts, counted per page; stray pages do not move it', () => {
    // Runs start at pfn 70 + 128 j (the guest's w1_612_p128k16_direct phase).
    const kept: number[] = []
    for (let j = 0; j < 10; j++) for (let k = 0; k < 16; k++) kept.push(70 + 128 * j + k)
    kept[5] = 3 // one page elsewhere (the fill took it from a small free block)
    expect(keptPhase(kept, 128, 16)).toEqual({ phase: 70, count: 159 })
  })

  it('rejects K outside 1..P', () => {
    expect(() => keptPhase([], 8, 0)).toThrow(RangeError)
  })
})

describe('keptPhaseLead', () => {
  it('is the pages to take first so that the model\'s phase moves to the guest\'s', () => {
    expect(keptPhaseLead(70, { phase: 117, count: 27637 }, 128)).toBe(81)
    expect(keptPhaseLead(7, { phase: 0, count: 1 }, 8)).toBe(7)
    expect(keptPhaseLead(5, { phase: 5, count: 1 }, 8)).toBe(0)
  })

  it('refuses a lead that is not whole folios', () => {
    expect(() => keptPhaseLead(70, { phase: 117, count: 1 }, 128, 16)).toThrow(RangeError)
  })
})
