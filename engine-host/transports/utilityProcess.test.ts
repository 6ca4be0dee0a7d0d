/**
 * The Electron utility-process transport, with Electron's parentPort and MessagePortMain
 * replaced by a faithful test double (testing/electronParentPortShim.ts): main hands over
 * the renderer's port, the protocol then runs on that port; messages posted straight on
 * parentPort are served by their own protocol host.
 */
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseHostMessage } from '../../protocol/guards'
import { PROTOCOL_VERSION, type HostMessage } from '../../protocol/messages'

type Via = 'direct' | 'port'
const children: ReturnType<typeof fork>[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

function start() {
  const child = fork(join(__dirname, 'utilityProcess.ts'), [], {
    execArgv: [
      '-r',
      require.resolve('sucrase/register/ts'),
      '-r',
      join(__dirname, 'testing', 'electronParentPortShim.ts'),
    ],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  children.push(child)
  const got: { via: Via; msg: HostMessage }[] = []
  const waiters: (() => void)[] = []
  child.on('message', (env: { via: Via; msg: unknown }) => {
    got.push({ via: env.via, msg: parseHostMessage(env.msg) })
    waiters.splice(0).forEach((w) => w())
  })
  const next = async (via: Via, pred: (m: HostMessage) => boolean): Promise<HostMessage> => {
    for (;;) {
      const hit = got.find((g) => g.via === via && pred(g.msg))
      if (hit) return hit.msg
      await new Promise<void>((r) => waiters.push(r))
    }
  }
  return { child, next, send: (via: Via | 'give-port', msg?: unknown) => child.send({ via, msg }) }
}

describe('engine-host in an Electron utility process', () => {
  it('speaks the protocol on the port main hands over, and directly on parentPort', async () => {
    const h = start()
    h.send('give-port')
    h.send('port', { type: 'hello', protocolVersion: PROTOCOL_VERSION })
    expect(await h.next('port', (m) => m.type === 'hello-ack')).toMatchObject({
      protocolVersion: PROTOCOL_VERSION,
    })
    const source =
      "import { GFP_KERNEL } from 'mmwb'\nexport const machine = { memoryMiB: 64 }\nexport default (k) => { k.allocPages(GFP_KERNEL, 0) }\n"
    h.send('port', {
      type: 'run',
      id: 1,
      script: { path: 'p.ts', source },
      options: { seed: 1, timeBudgetMs: 10_000 },
    })
    const res = await h.next('port', (m) => m.type === 'result' || m.type === 'error')
    expect(res.type).toBe('result')
    if (res.type === 'result')
      expect(res.result.proc['/proc/buddyinfo']).toMatch(/^Node 0, zone +DMA /)

    // parentPort has its own handshake state: a run there before hello is refused.
    h.send('direct', { type: 'ping', id: 7 })
    expect(await h.next('direct', (m) => m.type === 'pong')).toEqual({ type: 'pong', id: 7 })
    h.send('direct', {
      type: 'run',
      id: 2,
      script: { path: 'p.ts', source },
      options: { seed: 1, timeBudgetMs: 1000 },
    })
    expect(await h.next('direct', (m) => m.type === 'error')).toMatchObject({
      id: 2,
      error: { name: 'InvalidMessage' },
    })
  })
})
