/**
 * The workload-API fuzzer in `npm test`: a fixed list of seeds (a deterministic amount of work,
 * about a minute on a 2-core machine), every program run with the invariant checker after
 * each operation. A failure prints the seed and the minimal script that reproduces it.
 */
import { describe, expect, it } from 'vitest'
import { KERNEL_ERAS } from '../mm/config'
import { fuzzSeed, newStats } from './fuzz'
import { generate } from './generate'
import { validProgram } from './ops'

const macrotask = (): Promise<void> => new Promise((r) => setImmediate(r))
/** The seeds `npm test` runs (`npm run fuzz -- --minutes N` runs random ones). */
export const TEST_SEEDS = Array.from({ length: 30 }, (_, i) => 1 + i)

describe('workload-API fuzzer (engine/fuzz)', () => {
  it('generates valid programs that use every kind of operation, in every era', () => {
    const kinds = new Set<string>()
    const eras = new Set<string>()
    for (const seed of TEST_SEEDS) {
      const p = generate(seed)
      expect(validProgram(p)).toBe(true)
      expect(generate(seed)).toEqual(p) // deterministic
      for (const op of p.ops) kinds.add(op.op)
      eras.add(p.machine.kernelEra)
    }
    expect([...eras].sort()).toEqual([...KERNEL_ERAS].sort())
    expect(kinds.size).toBeGreaterThanOrEqual(40)
  })

  it('finds no model bug on the test seeds', async () => {
    const stats = newStats()
    for (const seed of TEST_SEEDS) await fuzzSeed(seed, stats, { macrotask, shrinkRuns: 150 })
    const report = stats.failures
      .map((f) => `seed ${f.seed}: ${f.failure.kind}: ${f.failure.message}\n${f.script}`)
      .join('\n')
    expect(report).toBe('')
    expect(stats.programs).toBe(TEST_SEEDS.length)
    expect(Object.keys(stats.eras).length).toBe(KERNEL_ERAS.length)
  }, 600_000)
})
