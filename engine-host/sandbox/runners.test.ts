/**
 * The two sandbox runners in-process: they must produce the same outcome for the same
 * workload (the Web Worker and the desktop app show the same numbers), map errors to the
 * user's lines, and each enforce what it can of the sandbox.
 */
import { describe, expect, it } from 'vitest'
import { transpileWorkload } from '../transpile'
import { FunctionRunner } from './functionRunner'
import type { RunJob, ScriptRunner } from './types'
import { VmRunner } from './vmRunner'

function job(source: string, over: Partial<RunJob> = {}): RunJob {
  const file = over.file ?? 'w.ts'
  return {
    code: transpileWorkload(source, file),
    file,
    seed: 3,
    budgetMs: 10_000,
    isCancelled: () => false,
    onLog: () => {},
    onTick: () => {},
    ...over,
  }
}

const WORKLOAD = `import { GFP_KERNEL, GFP_HIGHUSER_MOVABLE, type Kernel } from 'mmwb'
export const machine = { memoryMiB: 64, nrCpus: 2 }
export default async function (k: Kernel) {
  const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)!
  const worker = (name: string) => async (k: Kernel) => {
    for (let i = 0; i < 20; i++) {
      await k.sleep(k.rng.int(5000))
      await k.folioLock(f)
      k.record(name, k.now())
      k.allocPages(GFP_KERNEL, k.rng.int(3))
      k.folioUnlock(f)
    }
  }
  const a = k.spawn('a', worker('a'), { cpu: 0 })
  const b = k.spawn('b', worker('b'), { cpu: 1 })
  await a.join()
  await b.join()
  console.log('done', k.now())
}
`

const runners: [string, () => ScriptRunner][] = [
  ['VmRunner', () => new VmRunner()],
  ['FunctionRunner', () => new FunctionRunner()],
]

describe('sandbox runners', () => {
  it('give the same outcome for the same workload and seed', async () => {
    const vmOut = await new VmRunner().execute(job(WORKLOAD))
    const fnOut = await new FunctionRunner().execute(job(WORKLOAD))
    expect(vmOut.series.a).toHaveLength(20)
    expect(fnOut).toEqual(vmOut)
  })

  for (const [name, make] of runners) {
    it(`${name}: maps a thrown error to the user's line`, async () => {
      const src = 'export default async function (k) {\n  await k.sleep(1)\n  null.x\n}\n'
      await expect(make().execute(job(src, { file: 'npe.ts' }))).rejects.toMatchObject({
        name: 'ScriptError',
        location: { file: 'npe.ts', line: 3 },
      })
    })

    it(`${name}: stops at the budget between events and on cancel`, async () => {
      const src = 'export default async function (k) {\n  for (;;) await k.sleep(10)\n}\n'
      await expect(make().execute(job(src, { budgetMs: 200 }))).rejects.toMatchObject({
        name: 'ScriptTimeout',
      })
      let polls = 0
      await expect(
        make().execute(job(src, { isCancelled: () => ++polls > 50 })),
      ).rejects.toMatchObject({
        name: 'ScriptCancelled',
      })
    })

    it(`${name}: hides the host's globals`, async () => {
      const probe =
        'export default function (k) {\n  console.log(typeof process, typeof fetch, typeof setTimeout)\n}\n'
      const lines: string[] = []
      await make().execute(job(probe, { onLog: (_l, t) => lines.push(t) }))
      expect(lines).toEqual(['undefined undefined undefined'])
    })
  }

  it('VmRunner reports a runaway heap as ScriptOutOfMemory and an impossible array as well', async () => {
    const grow =
      'export default async function (k) {\n  const keep = []\n  for (;;) { keep.push(new Array(1e5).fill(1)); await k.sleep(1) }\n}\n'
    await expect(
      new VmRunner({ heapLimitBytes: 200 * 2 ** 20 }).execute(job(grow)),
    ).rejects.toMatchObject({
      name: 'ScriptOutOfMemory',
    })
    const huge = 'export default function (k) {\n  return new Array(2 ** 32)\n}\n'
    await expect(new VmRunner().execute(job(huge))).rejects.toMatchObject({
      name: 'ScriptOutOfMemory',
      location: { line: 2 },
    })
  })

  it('VmRunner: garbage alone never stops a run, and the sandbox has no gc', async () => {
    // 300 MiB of short-lived arrays under a 200 MiB limit: only live objects count.
    const churn =
      'export default async function (k) {\n  for (let i = 0; i < 300; i++) { new Array(131072).fill(i); await k.sleep(1) }\n  console.log(typeof gc)\n}\n'
    const lines: string[] = []
    await new VmRunner({ heapLimitBytes: 200 * 2 ** 20 }).execute(
      job(churn, { onLog: (_l, t) => lines.push(t) }),
    )
    expect(lines).toEqual(['undefined'])
  })

  it('VmRunner disallows code generation from strings inside the sandbox', async () => {
    const src = "export default function (k) {\n  return k.now.constructor('return process')()\n}\n"
    await expect(new VmRunner().execute(job(src))).rejects.toMatchObject({
      message: expect.stringMatching(/EvalError: Code generation from strings disallowed/),
    })
  })
})
