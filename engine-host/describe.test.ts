/**
 * `describe` over a real child process: engine-host reports a script's variants, seeds and
 * machine without running its default export, applies the run panel's machine override, and
 * answers an invalid machine with the engine's ConfigError naming the field.
 */
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseHostMessage } from '../protocol/guards'
import { PROTOCOL_VERSION, type ClientMessage, type HostMessage } from '../protocol/messages'

const ENTRY = join(__dirname, 'transports', 'childProcess.ts')

const SCRIPT = `import type { Kernel, MachineSpec, Variants } from 'mmwb'
export const machine: MachineSpec = { memoryMiB: 256, kernelEra: '6.6' }
export const variants: Variants = { base: {}, noboost: { sysctl: { 'vm.watermark_boost_factor': 0 } } }
export const seeds = [3, 1, 2]
export default async function (k: Kernel) {
  console.log('the workload ran')
  k.record('x', 1)
}
`

let child: ReturnType<typeof fork>
const received: HostMessage[] = []

function request(msg: ClientMessage): Promise<HostMessage> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no answer')), 20_000)
    const on = (data: unknown) => {
      const m = parseHostMessage(data)
      received.push(m)
      if (
        'id' in msg &&
        'id' in m &&
        m.id === msg.id &&
        m.type !== 'log' &&
        m.type !== 'progress'
      ) {
        clearTimeout(t)
        child.off('message', on)
        resolve(m)
      }
    }
    child.on('message', on)
    child.send(msg)
  })
}

beforeAll(async () => {
  child = fork(ENTRY, [], {
    execArgv: ['-r', require.resolve('sucrase/register/ts')],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  await new Promise<void>((resolve) => {
    child.once('message', () => resolve())
    child.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
  })
})
afterAll(() => {
  child.kill()
})

describe('describe', () => {
  it('reports variants, seeds and machine without running the workload', async () => {
    const m = await request({ type: 'describe', id: 1, script: { path: 'x.ts', source: SCRIPT } })
    expect(m).toEqual({
      type: 'describe-result',
      id: 1,
      variants: ['base', 'noboost'],
      seeds: [3, 1, 2],
      machine: { memoryMiB: 256, kernelEra: '6.6' },
    })
    expect(received.some((r) => r.type === 'log' && r.text.includes('the workload ran'))).toBe(
      false,
    )
  })

  it('merges the machine override, and the engine names a bad field', async () => {
    const ok = await request({
      type: 'describe',
      id: 2,
      script: { path: 'x.ts', source: SCRIPT },
      machine: { nrCpus: 8 },
    })
    expect(ok.type === 'describe-result' && ok.machine).toEqual({
      memoryMiB: 256,
      kernelEra: '6.6',
      nrCpus: 8,
    })
    const bad = await request({
      type: 'describe',
      id: 3,
      script: { path: 'x.ts', source: SCRIPT },
      machine: { kernelEra: '5.4' },
    })
    expect(bad.type).toBe('error')
    if (bad.type === 'error') {
      expect(bad.error.name).toBe('ConfigError')
      expect(bad.error.message).toMatch(/^kernelEra: must be one of/)
    }
  })

  it('a run applies the machine override', async () => {
    const r = await request({
      type: 'run',
      id: 4,
      script: { path: 'x.ts', source: SCRIPT },
      options: { seed: 1, timeBudgetMs: 10_000, machine: { memoryMiB: 512 } },
    })
    expect(r.type === 'result' && r.result.machine.memoryMiB).toBe(512)
  })
})
