/**
 * `mmwb run --json` when the run ends in an invariant violation the script did not declare:
 * exit status 5, and the result JSON is still written, with the violation recorded (issue 10:
 * it used to be lost). The violation is seed 000's `compaction.freeRefcount: 'set-count-zero'`
 * race (compaction_free's folio_set_count(dst, 0) on a destination a PFN walker holds), here
 * set in `machine.design` without the variant's `expect`.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseRunResult } from '../protocol/guards'

const ROOT = join(__dirname, '..')

const SCRIPT = `import { GFP_HIGHUSER_MOVABLE, GFP_TRANSHUGE, HPAGE_PMD_ORDER, type Folio, type Kernel, type MachineSpec } from 'mmwb'
export const machine: MachineSpec = {
  memoryMiB: 128, nrCpus: 2, kernelEra: '6.12', pcp: false, debugVm: true,
  design: { 'compaction.freepages': 'per-order', 'compaction.largeFolios': 'migrate', 'compaction.freeRefcount': 'set-count-zero' },
}
export default async function (k: Kernel) {
  const folios: Folio[] = []
  for (let i = 0; i < 256; i++) {
    const f = k.filemapAddFolio(0)
    if (!f) break
    k.folioGet(f)
    for (let j = 0; j < 63; j++) { const a = k.allocPages(GFP_HIGHUSER_MOVABLE, 0); if (a) folios.push(a) }
  }
  for (let i = 0; ; i++) { const f = k.allocPages(GFP_HIGHUSER_MOVABLE, i % 4 === 3 ? 2 : 0); if (!f) break; folios.push(f) }
  for (let i = folios.length - 1; i > 0; i--) { const j = k.rng.int(i + 1); [folios[i], folios[j]] = [folios[j], folios[i]] }
  for (const f of folios.splice(folios.length >> 2)) k.folioPut(f)
  k.pfnWalker.armCompactionTargets(1 << 30)
  const thps: Folio[] = []
  for (let i = 0; i < 16; i++) { const t = k.allocPages(GFP_TRANSHUGE, HPAGE_PMD_ORDER); if (t) thps.push(t) }
  k.sysctl.set('vm.compact_memory', 1)
  await k.sleep(1_000_000)
  k.record('walker_refs', k.pfnWalker.release())
  for (const f of [...thps, ...folios]) k.folioPut(f)
}
`

describe('mmwb run --json after an invariant violation', () => {
  it('exits 5 and writes the result with the violation recorded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmwb-json-'))
    const file = join(dir, 'race.ts')
    const json = join(dir, 'race.json')
    writeFileSync(file, SCRIPT)
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'cli/bin/mmwb.js'), 'run', file, '--quiet', '--json', json],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    )
    expect(r.status).toBe(5)
    expect(r.stderr).toMatch(/mmwb: InvariantViolation: /)
    const res = parseRunResult(JSON.parse(readFileSync(json, 'utf8')), 'result')
    expect(res.violation?.rule).toMatch(/\S/)
    expect(r.stderr).toContain(
      `InvariantViolation: ${res.violation!.rule} at pfn ${res.violation!.pfn}`,
    )
    expect((res.events ?? []).some((e) => e.kind === 'invariant_violation')).toBe(true)
    expect(res.expect).toBeUndefined()
  }, 120_000)
})
