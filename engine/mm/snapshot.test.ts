import { describe, expect, it } from 'vitest'
import { allocPages } from './alloc'
import { __GFP_COMP, GFP_ATOMIC, GFP_HIGHUSER_MOVABLE, GFP_KERNEL } from './gfp'
import { checkInvariants } from './invariants'
import { type Machine } from './machine'
import { NO_PAGE } from './memmap'
import { freePages } from './free'
import { restoreMachine, snapshot } from './snapshot'
import { testMachine } from './testing'

/** A seeded workload (LCG) over the allocator. */
function workload(
  m: Machine,
  seed: number,
  steps: number,
  live: [number, number][] = [],
): [number, number][] {
  let x = seed
  const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4294967296
  const gfps = [GFP_KERNEL, GFP_HIGHUSER_MOVABLE | __GFP_COMP, GFP_ATOMIC]
  for (let i = 0; i < steps; i++) {
    if (live.length === 0 || rnd() < 0.6) {
      const order = rnd() < 0.8 ? 0 : Math.floor(rnd() * 11)
      const p = allocPages(m, gfps[Math.floor(rnd() * 3)], order)
      if (p !== NO_PAGE) live.push([p, order])
    } else {
      const k = Math.floor(rnd() * live.length)
      const [p, o] = live[k]
      live[k] = live[live.length - 1]
      live.pop()
      freePages(m, p, o)
    }
  }
  return live
}

/** Byte equality (vitest's deep equality of a megabyte-long array is slow). */
function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  const x = new Uint8Array(a)
  const y = new Uint8Array(b)
  return x.length === y.length && x.every((v, i) => v === y[i])
}

describe('snapshot / restoreMachine', () => {
  it('the same config and operations give byte-identical snapshots', () => {
    const a = testMachine({ pcp: true, nrCpus: 2 })
    const b = testMachine({ pcp: true, nrCpus: 2 })
    workload(a, 7, 20000)
    workload(b, 7, 20000)
    expect(sameBytes(snapshot(a), snapshot(b))).toBe(true)
    const c = testMachine({ pcp: true, nrCpus: 2 })
    workload(c, 8, 20000)
    expect(sameBytes(snapshot(a), snapshot(c))).toBe(false)
  })

  it('a restored machine has the same state and continues identically', () => {
    const a = testMachine({ pcp: true, kernelEra: '6.6' })
    const live = workload(a, 3, 10000)
    const snap = snapshot(a)
    const b = restoreMachine(snap)
    expect(sameBytes(snapshot(b), snap)).toBe(true)
    expect(checkInvariants(b)).toBeNull()
    workload(a, 99, 5000, [...live])
    workload(b, 99, 5000, [...live])
    expect(sameBytes(snapshot(a), snapshot(b))).toBe(true)
  })

  it('rejects foreign buffers', () => {
    expect(() => restoreMachine(new ArrayBuffer(16))).toThrow(/not an MM Workbench/)
  })
})
