/**
 * The fuzzer's printed scripts replay through the normal run path: a program run by the
 * interpreter (engine/fuzz/interp.ts) and its printed script run by `node cli/bin/mmwb.js run
 * --json` end in the same machine state (/proc files and every vmstat counter), so a failure's
 * minimal script reproduces what the interpreter saw.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generate } from '../engine/fuzz/generate'
import { runProgram } from '../engine/fuzz/interp'
import { printProgram } from '../engine/fuzz/print'
import { fuzzMain } from './fuzz'

const ROOT = join(__dirname, '..')
const tmp = mkdtempSync(join(tmpdir(), 'mmwb-fuzz-'))
const macrotask = (): Promise<void> => new Promise((r) => setImmediate(r))

const REPLAY_SEEDS = [3, 9, 17]

describe('fuzz scripts (engine/fuzz/print.ts) under `mmwb run`', () => {
  it.each(REPLAY_SEEDS)(
    "seed %i: the printed script ends in the interpreter's state",
    async (seed) => {
      const p = generate(seed, 80)
      const o = await runProgram(p, { macrotask })
      expect(o.failure).toBeNull()
      expect(o.result).toBeDefined()
      const file = join(tmp, `seed-${seed}.ts`)
      const json = join(tmp, `seed-${seed}.json`)
      writeFileSync(file, printProgram(p))
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'cli/bin/mmwb.js'), 'run', file, '--quiet', '--json', json],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      )
      expect(r.stderr.split('\n').filter((l) => l.startsWith('mmwb:'))).toEqual([])
      expect(r.status).toBe(0)
      const res = JSON.parse(readFileSync(json, 'utf8')) as {
        proc: object
        vmstat: object
        simTimeNs: number
      }
      expect(res.proc).toEqual(o.result!.proc)
      expect(res.vmstat).toEqual(o.result!.vmstat)
      expect(res.simTimeNs).toBe(o.result!.simTimeNs)
    },
    120_000,
  )

  it('rejects an unknown option', async () => {
    await expect(fuzzMain(['--nope'])).rejects.toThrow(/unknown option --nope/)
  })
})
