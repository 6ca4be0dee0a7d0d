/**
 * compare's provenance section and the rendering of a plan's runs, on hand-made results
 * (the runs themselves are exercised by cli.test.ts and scripts/exampleReadmes.test.ts).
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sampleRunResult } from '../../protocol/results/fixtures'
import {
  CompareRunError,
  comparedDesignKeys,
  compareAll,
  planComparison,
  ENGINE_VERSION,
  provenanceText,
  renderComparison,
  type ComparePlan,
} from './compareRuns'

const plan: ComparePlan = {
  path: 'examples/fragment.ts',
  source: 'export const variants = {}\n',
  variants: ['old', 'new'],
  seeds: [1, 2],
  budgetMs: 1000,
}

function run(variant: string, seed: number, era: string, design: Record<string, string>) {
  const r = sampleRunResult({ variant, seed, stalls: seed + (variant === 'old' ? 4 : 0) })
  return { ...r, machine: { ...r.machine, kernelEra: era, design } }
}

describe('compare provenance', () => {
  it('names the engine version, the era, the script sha256 and the designs compared', () => {
    const d = (fp: string) => ({ 'compaction.freepages': fp, 'contig.reclaim': 'none' })
    const runs = [
      run('old', 1, '6.12', d('order0-split')),
      run('old', 2, '6.12', d('order0-split')),
      run('new', 1, '6.12', d('per-order')),
      run('new', 2, '6.12', d('per-order')),
    ]
    const sha = createHash('sha256').update(plan.source).digest('hex')
    expect(ENGINE_VERSION).toMatch(/^mm-workbench \d+\.\d+\.\d+$/)
    expect(provenanceText(plan, runs)).toBe(
      `\nprovenance\n  ${ENGINE_VERSION}; kernel era 6.12; script sha256 ${sha}\n` +
        '  design old: compaction.freepages=order0-split\n' +
        '  design new: compaction.freepages=per-order\n' +
        '  design, every variant:\n    contig.reclaim=none\n',
    )
    // The whole output: the table, then the provenance; no violation section.
    const out = renderComparison(plan, runs)
    expect(out.text.startsWith('examples/fragment.ts: 2 variant(s) x 2 seed(s)')).toBe(true)
    expect(out.text.endsWith(provenanceText(plan, runs))).toBe(true)
    expect(out.unmet).toBe(0)
    expect(out.experiment.runs.map((r) => [r.variant, r.seed])).toEqual([
      ['old', 1],
      ['old', 2],
      ['new', 1],
      ['new', 2],
    ])
  })

  it('lists each variant’s era when they differ, and says when designs are the same', () => {
    const runs = [run('old', 1, '6.1', {}), run('new', 1, '6.12', {})]
    const text = provenanceText({ ...plan, seeds: [1] }, runs)
    expect(text).toContain('; kernel eras old=6.1 new=6.12; ')
    expect(text).toContain('  design old: (same)\n  design new: (same)\n')
  })

  it('compares a key only when the variants differ in it', () => {
    const v = (name: string, design: Record<string, string>) => ({ name, era: '6.12', design })
    expect(comparedDesignKeys([v('a', { x: '1', y: '1' }), v('b', { x: '2', y: '1' })])).toEqual([
      'x',
    ])
    expect(comparedDesignKeys([v('a', { x: '1' })])).toEqual([])
  })
})

describe('compare runs', () => {
  it('names the script, variant and seed of a run that failed', async () => {
    // Variant `bad` asks for a machine the engine refuses (a ConfigError in its run).
    const source =
      'export const machine = { memoryMiB: 64 }\n' +
      'export const variants = { ok: {}, bad: { machine: { memoryMiB: -5 } } }\n' +
      'export const seeds = [4]\nexport default async function () {}\n'
    const plan = planComparison('t/fail.ts', source, { budgetMs: 60_000 })
    expect(plan.variants).toEqual(['ok', 'bad'])
    expect(plan.seeds).toEqual([4])
    const err = await compareAll([plan], 1).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CompareRunError)
    expect((err as CompareRunError).job).toEqual({ path: 't/fail.ts', variant: 'bad', seed: 4 })
    expect((err as CompareRunError).message).toMatch(/memoryMiB/)
  }, 60_000)
})
