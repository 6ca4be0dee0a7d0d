/**
 * `mmwb compare` on a variant that reproduces a bug: seed 000's compaction_free race under
 * `compaction.freeRefcount: 'set-count-zero'` makes the invariant checker fire. Declared with
 * `expect: { invariantViolation }`, the violation is that variant's result (listed after the
 * table, exit 0, JSON valid); the same variant without the declaration fails the compare
 * with status 5. Latency histograms appear as rows.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { validateExperiment } from '../protocol/results'

const ROOT = join(__dirname, '..')
const BIN = join(ROOT, 'cli', 'bin', 'mmwb.js')
const tmp = mkdtempSync(join(tmpdir(), 'mmwb-expect-'))

function mmwb(...args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT })
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.on('close', (code) => resolve({ code, stdout }))
  })
}

function script(expectViolation: boolean): string {
  return `
import { GFP_ATOMIC, GFP_HIGHUSER_MOVABLE, type Folio, type Kernel } from 'mmwb'
export const machine = { memoryMiB: 64, nrCpus: 2, kernelEra: '6.12', pcp: false, debugVm: true }
export const variants = {
  fixed: { design: { 'compaction.freeRefcount': 'put-testzero' } },
  racy: {
    design: { 'compaction.freeRefcount': 'set-count-zero' },
    ${expectViolation ? 'expect: { invariantViolation: true },' : ''}
  },
}
export default async function (k: Kernel) {
  const all: Folio[] = []
  const cache: Folio[] = []
  for (let i = 0; ; i++) {
    const f = i % 64 === 0 ? k.filemapAddFolio(0) : k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
    if (!f) break
    if (i % 64 === 0) { k.folioGet(f); cache.push(f) } else all.push(f)
  }
  while (k.allocPages(GFP_ATOMIC, 0) !== null);
  all.forEach((f, i) => { if (i % 8 !== 0) k.folioPut(f) })
  k.pfnWalker.armCompactionTargets(1 << 20)
  k.compactMemory()
  await k.sleep(1000)
  k.pfnWalker.release()
}
`
}

describe('mmwb compare with an expected invariant violation', () => {
  it('reports the declared violation beside the clean variant', async () => {
    const file = join(tmp, 'race.ts')
    const out = join(tmp, 'race.json')
    writeFileSync(file, script(true))
    const r = await mmwb('compare', file, '--seeds', '1', '--json', out)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/ +fixed +racy\n/)
    expect(r.stdout).toMatch(/migrate_latency_ns p99 \(ns\)/)
    expect(r.stdout).toMatch(
      /invariant violations\n {2}racy seed 1: (refcount-underflow|bad-page) at pfn 0x[0-9a-f]+ during \S+ .*\(expected\)\n/,
    )
    const experiment = validateExperiment(JSON.parse(readFileSync(out, 'utf8')))
    const racy = experiment.runs.find((x) => x.variant === 'racy')
    expect(racy?.expect).toEqual({ invariantViolation: '*', met: true })
    expect(experiment.runs.find((x) => x.variant === 'fixed')?.violation).toBeUndefined()
  })

  it('fails with status 5 when the violation was not declared', async () => {
    const file = join(tmp, 'race-undeclared.ts')
    writeFileSync(file, script(false))
    const r = await mmwb('compare', file, '--seeds', '1')
    expect(r.code).toBe(5)
  })
})
