/**
 * engine-host over a real Node child process (the transport the CLI uses): handshake, runs,
 * cancel, script errors, a runaway loop, sandbox escapes and a crash. Every message the host
 * sends is validated with the protocol guards, as a real client does.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseHostMessage } from '../protocol/guards'
import { PROTOCOL_VERSION, type ClientMessage, type HostMessage } from '../protocol/messages'

const ENTRY = join(__dirname, 'transports', 'childProcess.ts')

class Conn {
  readonly child: ChildProcess
  readonly received: HostMessage[] = []
  private waiters: { pred: (m: HostMessage) => boolean; resolve: (m: HostMessage) => void }[] = []
  readonly exited: Promise<{ code: number | null; signal: string | null }>

  constructor() {
    this.child = fork(ENTRY, [], {
      execArgv: ['-r', require.resolve('sucrase/register/ts')],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    this.child.on('message', (data) => {
      const msg = parseHostMessage(data)
      this.received.push(msg)
      this.waiters = this.waiters.filter((w) => (w.pred(msg) ? (w.resolve(msg), false) : true))
    })
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    )
  }

  send(msg: ClientMessage | Record<string, unknown>): void {
    this.child.send(msg)
  }

  next(pred: (m: HostMessage) => boolean, timeoutMs = 20_000): Promise<HostMessage> {
    const seen = this.received.find(pred)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error('timed out waiting for a host message')),
        timeoutMs,
      )
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(t)
          resolve(m)
        },
      })
    })
  }

  async handshake(): Promise<void> {
    this.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    await this.next((m) => m.type === 'hello-ack')
  }

  /** Sends a run and waits for its result or error. */
  async run(
    id: number,
    source: string,
    timeBudgetMs = 10_000,
    path = 'test.ts',
  ): Promise<HostMessage> {
    this.send({ type: 'run', id, script: { path, source }, options: { seed: 1, timeBudgetMs } })
    return this.next((m) => (m.type === 'result' || m.type === 'error') && m.id === id)
  }
}

let conns: Conn[] = []
function open(): Conn {
  const c = new Conn()
  conns.push(c)
  return c
}
afterEach(() => {
  for (const c of conns) c.child.kill('SIGKILL')
  conns = []
})

const HELLO = `import { GFP_KERNEL, type Kernel } from 'mmwb'
export const machine = { memoryMiB: 64, nrCpus: 1 }
export default async function (k: Kernel) {
  const f = k.allocPages(GFP_KERNEL, 3)
  k.record('free', k.vmstat('nr_free_pages'))
  await k.sleep(1000)
  console.log('allocated pfn', f?.pfn)
}
`

describe('engine-host over child_process', () => {
  it('acknowledges a matching hello and refuses a mismatched protocol version', async () => {
    const c = open()
    c.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1 })
    const err = await c.next((m) => m.type === 'error')
    expect(err).toMatchObject({ type: 'error', id: -1, error: { name: 'ProtocolVersionMismatch' } })
    // Without a good hello, requests are refused.
    c.send({
      type: 'run',
      id: 1,
      script: { path: 'a.ts', source: '' },
      options: { seed: 1, timeBudgetMs: 100 },
    })
    expect(await c.next((m) => m.type === 'error' && m.id === 1)).toMatchObject({
      error: { name: 'InvalidMessage' },
    })
    await c.handshake()
    expect(c.received.find((m) => m.type === 'hello-ack')).toMatchObject({
      protocolVersion: PROTOCOL_VERSION,
    })
  })

  it('rejects malformed messages with InvalidMessage naming the field, and keeps serving', async () => {
    const c = open()
    await c.handshake()
    c.send({ type: 'ping', id: 'x' })
    const err = await c.next((m) => m.type === 'error' && m.id === -1)
    expect(err).toMatchObject({
      error: { name: 'InvalidMessage', message: expect.stringContaining('ping.id') },
    })
    c.send({ type: 'ping', id: 5 })
    expect(await c.next((m) => m.type === 'pong')).toEqual({ type: 'pong', id: 5 })
  })

  it('runs a workload and returns /proc/buddyinfo in the kernel layout, series and log', async () => {
    const c = open()
    await c.handshake()
    const res = await c.run(1, HELLO)
    expect(res.type).toBe('result')
    if (res.type !== 'result') return
    const r = res.result
    expect(r.proc['/proc/buddyinfo']).toMatch(
      /^Node 0, zone {6}DMA( +\d+){11} \nNode 0, zone {4}DMA32( +\d+){11} \n$/,
    )
    expect(r.series.free).toHaveLength(1)
    expect(r.log).toEqual([expect.stringMatching(/^allocated pfn \d+$/)])
    expect(r.simTimeNs).toBeGreaterThanOrEqual(1000)
    expect(c.received.some((m) => m.type === 'log' && m.id === 1)).toBe(true)
    // The same seed gives the same result, wall time aside.
    const again = await c.run(2, HELLO)
    if (again.type !== 'result') throw new Error('second run failed')
    expect({ ...again.result, wall: null }).toEqual({ ...r, wall: null })
  })

  it('reports a thrown error with the line in the user source', async () => {
    const c = open()
    await c.handshake()
    const src = [
      'export default async function (k) {',
      '  await k.sleep(10)',
      '',
      '  throw new RangeError("nope")',
      '}',
    ].join('\n')
    const res = await c.run(1, src, 10_000, 'bad.ts')
    expect(res).toMatchObject({
      type: 'error',
      error: {
        name: 'ScriptError',
        message: expect.stringContaining('RangeError: nope'),
        location: { file: 'bad.ts', line: 4 },
      },
    })
    if (res.type === 'error') expect(res.error.stack).not.toMatch(/engine-host|node:/)
  })

  it('reports a syntax error as file:line:column', async () => {
    const c = open()
    await c.handshake()
    const res = await c.run(
      1,
      'export default function (k) {\n  let x = = 1\n}\n',
      10_000,
      'syn.ts',
    )
    expect(res).toMatchObject({
      type: 'error',
      error: { name: 'ScriptSyntaxError', location: { file: 'syn.ts', line: 2 } },
    })
    if (res.type === 'error') expect(res.error.message).toMatch(/^syn\.ts:2:\d+: syntax error/)
  })

  it('stops an endless loop at the budget, names its line, and keeps answering pings', async () => {
    const c = open()
    await c.handshake()
    const src = [
      'export default async function (k) {',
      '  await k.sleep(5)',
      '  let i = 0',
      '  for (;;) {',
      '    i++',
      '  }',
      '}',
    ].join('\n')
    // The budget stop is the ScriptTimeout itself; no wall-clock bound here (it depends on load).
    const res = await c.run(1, src, 2000, 'loop.ts')
    expect(res).toMatchObject({ type: 'error', error: { name: 'ScriptTimeout' } })
    if (res.type === 'error') expect([4, 5]).toContain(res.error.location?.line)
    c.send({ type: 'ping', id: 9 })
    expect(await c.next((m) => m.type === 'pong' && m.id === 9)).toBeTruthy()
    expect((await c.run(2, HELLO)).type).toBe('result')
  })

  it('cancels a long run and answers pings while it runs', async () => {
    const c = open()
    await c.handshake()
    const src = 'export default async function (k) {\n  for (;;) await k.sleep(1000)\n}\n'
    c.send({
      type: 'run',
      id: 3,
      script: { path: 'forever.ts', source: src },
      options: { seed: 1, timeBudgetMs: 60_000 },
    })
    await new Promise((r) => setTimeout(r, 200))
    c.send({ type: 'ping', id: 4 })
    await c.next((m) => m.type === 'pong' && m.id === 4, 2000)
    c.send({
      type: 'run',
      id: 5,
      script: { path: 'x.ts', source: src },
      options: { seed: 1, timeBudgetMs: 100 },
    })
    expect(await c.next((m) => m.type === 'error' && m.id === 5)).toMatchObject({
      error: { name: 'Busy' },
    })
    c.send({ type: 'cancel', id: 3 })
    expect(await c.next((m) => m.type === 'error' && m.id === 3, 5000)).toMatchObject({
      error: { name: 'ScriptCancelled' },
    })
  })

  it('keeps scripts away from process and require, and from the host realm', async () => {
    const c = open()
    await c.handshake()
    const tries = [
      ['export default function (k) { process.exit(1) }', /ReferenceError: process is not defined/],
      [
        "import fs from 'fs'\nexport default function (k) { fs.readFileSync('/etc/passwd') }",
        /Cannot find module 'fs'/,
      ],
      [
        "export default function (k) { return k.allocPages.constructor('return process')() }",
        /EvalError|Code generation from strings disallowed/,
      ],
      [
        "export default function (k) { return eval('1') }",
        /EvalError|Code generation from strings disallowed/,
      ],
      [
        'export default async function (k) { await k.sleep(1); setTimeout(() => {}, 1) }',
        /setTimeout is not defined/,
      ],
    ] as const
    let id = 10
    for (const [src, re] of tries) {
      const res = await c.run(id++, src)
      expect(res.type).toBe('error')
      if (res.type === 'error') expect(`${res.error.name}: ${res.error.message}`).toMatch(re)
    }
  })

  it('reports a workload deadlock with the blocked task', async () => {
    const c = open()
    await c.handshake()
    const src = `import { GFP_KERNEL } from 'mmwb'
export default async function (k) {
  const f = k.allocPages(GFP_KERNEL, 0)
  await k.folioLock(f)
  await k.folioLock(f)
}`
    const res = await c.run(1, src)
    expect(res).toMatchObject({
      type: 'error',
      error: {
        name: 'ScriptError',
        message: expect.stringMatching(/deadlock.*main \(folio lock pfn 0x[0-9a-f]+\)/),
      },
    })
  })

  it('lets the client see a crash: the child exits and the channel closes', async () => {
    const c = open()
    await c.handshake()
    c.send({
      type: 'run',
      id: 1,
      script: {
        path: 'f.ts',
        source: 'export default async function (k) { for (;;) await k.sleep(1) }',
      },
      options: { seed: 1, timeBudgetMs: 60_000 },
    })
    await new Promise((r) => setTimeout(r, 100))
    c.child.kill('SIGKILL')
    const exit = await c.exited
    expect(exit.signal).toBe('SIGKILL')
    expect(c.child.connected).toBe(false)
  })

  it('exits on its own when the client disconnects', async () => {
    const c = open()
    await c.handshake()
    c.child.disconnect()
    expect(await c.exited).toEqual({ code: 0, signal: null })
  })
})
