import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PROTOCOL_VERSION, type ClientMessage, type HostMessage } from '../../../protocol/messages'
import type { RunResult } from '../../../protocol/result'
import {
  BUDGET_GRACE_MS,
  CANCEL_GRACE_MS,
  DESCRIBE_TIMEOUT_MS,
  EngineClient,
  type EngineStatus,
} from './engineClient'
import type { EngineTransport, TransportEvents } from './transport'

/** A transport whose engine-host is the test: it records what the client sends. */
class FakeTransport implements EngineTransport {
  readonly kind = 'worker'
  sent: ClientMessage[] = []
  kills: string[] = []
  events!: TransportEvents
  start(events: TransportEvents) {
    this.events = events
    events.onReady()
  }
  send(msg: ClientMessage) {
    this.sent.push(msg)
  }
  kill(reason: string) {
    this.kills.push(reason)
    this.events.onReady()
  }
  host(msg: HostMessage | unknown) {
    this.events.onMessage(msg)
  }
}

const handlers = { onProgress: vi.fn(), onSeries: vi.fn(), onLog: vi.fn() }
const result: RunResult = {
  schemaVersion: 1,
  script: 'a.ts',
  seed: 1,
  variant: null,
  machine: {},
  simTimeNs: 10,
  series: { nr_free_pages: [[0, 5]] },
  vmstat: {},
  proc: { '/proc/buddyinfo': 'Node 0, zone   Normal 1\n' },
  log: [],
  wall: { elapsedMs: 1 },
}

function setup() {
  const t = new FakeTransport()
  const statuses: EngineStatus[] = []
  const notices: string[] = []
  const client = new EngineClient(t, {
    onStatus: (s) => statuses.push(s),
    onNotice: (n) => notices.push(n),
  })
  client.start()
  t.host({ type: 'hello-ack', protocolVersion: PROTOCOL_VERSION, engineVersion: 'test' })
  return { t, client, statuses, notices }
}

const script = { path: 'a.ts', source: 'export default () => {}' }

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('EngineClient', () => {
  it('says hello first and is ready on hello-ack', () => {
    const { t, client, statuses } = setup()
    expect(t.sent[0]).toEqual({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    expect(client.isReady).toBe(true)
    expect(statuses.at(-1)).toEqual({ state: 'ready', engineVersion: 'test' })
  })

  it('streams series to the handlers and resolves with the result', async () => {
    const { t, client } = setup()
    const p = client.run(script, { seed: 1, timeBudgetMs: 1000, stream: true }, handlers)
    const id = (t.sent[1] as { id: number }).id
    t.host({ type: 'series', id, series: { nr_free_pages: [[0, 5]] } })
    t.host({ type: 'result', id, result })
    expect(handlers.onSeries).toHaveBeenCalledWith({ nr_free_pages: [[0, 5]] })
    expect(await p).toEqual({ kind: 'result', result })
  })

  it('ignores invalid messages and messages of other runs', async () => {
    const { t, client, notices } = setup()
    const p = client.run(script, { seed: 1, timeBudgetMs: 1000 }, handlers)
    const id = (t.sent[1] as { id: number }).id
    t.host({ type: 'result', id, result: { nope: true } })
    t.host({ type: 'result', id: id + 7, result })
    expect(notices[0]).toMatch(/invalid message/)
    t.host({
      type: 'error',
      id,
      error: { name: 'ScriptError', message: 'boom', location: { file: 'a.ts', line: 3 } },
    })
    expect(await p).toEqual({
      kind: 'error',
      error: { name: 'ScriptError', message: 'boom', location: { file: 'a.ts', line: 3 } },
    })
  })

  it('kills engine-host when a run outlives its budget plus grace, and restarts it', async () => {
    const { t, client, notices } = setup()
    const p = client.run(script, { seed: 1, timeBudgetMs: 1000 }, handlers)
    vi.advanceTimersByTime(1000 + BUDGET_GRACE_MS - 1)
    expect(t.kills).toEqual([])
    vi.advanceTimersByTime(1)
    const outcome = await p
    expect(outcome).toEqual({
      kind: 'error',
      error: {
        name: 'ScriptTimeout',
        message: 'Script stopped: exceeded the time budget of 1000 ms',
      },
    })
    expect(t.kills.length).toBe(1)
    expect(notices.at(-1)).toMatch(/engine-host restarted/)
    // The fresh engine-host gets a new hello before anything else.
    expect(t.sent.at(-1)).toEqual({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    expect(client.isReady).toBe(false)
  })

  it('sends cancel on stop, and kills only if the script does not stop', async () => {
    const { t, client } = setup()
    const p = client.run(script, { seed: 1, timeBudgetMs: 60_000 }, handlers)
    const id = (t.sent[1] as { id: number }).id
    client.stop()
    expect(t.sent.at(-1)).toEqual({ type: 'cancel', id })
    vi.advanceTimersByTime(CANCEL_GRACE_MS)
    expect((await p).kind).toBe('error')
    expect(t.kills.length).toBe(1)
  })

  it('fails the running script and tells the user when engine-host dies', async () => {
    const { t, client, notices } = setup()
    const p = client.run(script, { seed: 1, timeBudgetMs: 60_000 }, handlers)
    t.events.onStopped('worker error: out of memory')
    expect(await p).toEqual({
      kind: 'error',
      error: {
        name: 'EngineHostStopped',
        message: 'engine-host stopped: worker error: out of memory',
      },
    })
    expect(notices.at(-1)).toBe('engine-host stopped: worker error: out of memory; restarted')
    // Not ready again until the new engine-host has answered hello.
    expect(client.isReady).toBe(false)
    await expect(
      client.run(script, { seed: 1, timeBudgetMs: 1000 }, handlers),
    ).resolves.toMatchObject({
      kind: 'error',
      error: { name: 'EngineHostNotReady' },
    })
  })

  it('reports engine-host as failed when the transport gives up restarting it', () => {
    const { t, client, statuses } = setup()
    t.events.onGaveUp('worker error: 404')
    expect(client.isReady).toBe(false)
    expect(statuses.at(-1)).toEqual({
      state: 'failed',
      message: 'worker error: 404; not restarted (reload the page to retry)',
    })
  })

  it('refuses a second run while one is in progress', async () => {
    const { client } = setup()
    void client.run(script, { seed: 1, timeBudgetMs: 1000 }, handlers)
    const second = await client.run(script, { seed: 1, timeBudgetMs: 1000 }, handlers)
    expect(second).toMatchObject({ kind: 'error', error: { name: 'Busy' } })
  })

  it('describe: answers with the declared exports; a run waits for it (Busy meanwhile)', async () => {
    const { t, client } = setup()
    const d = client.describe(script, { memoryMiB: 512 })
    expect(t.sent.at(-1)).toEqual({
      type: 'describe',
      id: 1,
      script,
      machine: { memoryMiB: 512 },
    })
    expect(await client.run(script, { seed: 1, timeBudgetMs: 1000 }, handlers)).toMatchObject({
      kind: 'error',
      error: { name: 'Busy' },
    })
    t.host({ type: 'describe-result', id: 1, variants: ['a', 'b'], seeds: [3], machine: {} })
    expect(await d).toEqual({
      kind: 'described',
      description: { variants: ['a', 'b'], seeds: [3], machine: {} },
    })
    await client.describeSettled()
  })

  it('describe: an engine ConfigError comes back as the error naming the field', async () => {
    const { t, client } = setup()
    const d = client.describe(script)
    const error = { name: 'ConfigError', message: 'kernelEra: must be one of 6.1, 6.6' }
    t.host({ type: 'error', id: 1, error })
    expect(await d).toEqual({ kind: 'error', error })
  })

  it('describe: a top level that never returns gets engine-host killed', async () => {
    const { t, client } = setup()
    const d = client.describe(script)
    vi.advanceTimersByTime(DESCRIBE_TIMEOUT_MS + BUDGET_GRACE_MS)
    expect(await d).toMatchObject({ kind: 'error', error: { name: 'ScriptTimeout' } })
    expect(t.kills).toHaveLength(1)
  })

  it('routes map frames of the running run, and answers mappage requests by id', async () => {
    const { t, client } = setup()
    const onMapFrame = vi.fn()
    let runId = -1
    const run = client.run(
      script,
      { seed: 1, timeBudgetMs: 1000, mapFrames: true },
      {
        ...handlers,
        onStart: (id) => (runId = id),
        onMapFrame,
      },
    )
    expect(runId).toBe(1)
    const page = client.mapPage(runId, 0, 512)
    expect(t.sent.at(-1)).toEqual({ type: 'mappage', id: 2, runId: 1, startPfn: 0, nrPages: 512 })
    t.host({ type: 'error', id: 2, error: { name: 'Error', message: 'no memory map of run 1' } })
    expect(await page).toMatchObject({ kind: 'error' })
    t.host({ type: 'result', id: 1, result })
    await run
    expect(onMapFrame).not.toHaveBeenCalled()
  })
})
