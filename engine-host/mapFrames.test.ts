/**
 * Memory-map streaming through the protocol core, in process: a run with `mapFrames` sends
 * `mapframe` messages (the last one `final`) before its result, each valid after a structured
 * clone (what a Worker or MessagePort does), and `mappage` reads the run's final machine.
 */
import { describe, expect, it } from 'vitest'
import { parseHostMessage } from '../protocol/guards'
import { PROTOCOL_VERSION, type HostMessage, type TraceMsg } from '../protocol/messages'
import type { MapFrameMsg, MapPageResultMsg } from '../protocol/mapview'
import { PK_KERNEL } from '../engine/mapview/detail'
import { PROC_FILES } from '../engine/proc/machineProc'
import { parseVmstat } from '../engine/proc/vmstat'
import { startHost } from './host'
import { VmRunner } from './sandbox/vmRunner'

const SCRIPT = `
import { GFP_KERNEL, type Kernel } from 'mmwb'
export const machine = { memoryMiB: 256, nrCpus: 1 }
export default async function (k: Kernel) {
  for (let i = 0; i < 200; i++) {
    k.allocPages(GFP_KERNEL, 0)
    await k.sleep(1000)
  }
}
`

function harness() {
  const received: HostMessage[] = []
  let deliver: (d: unknown) => void = () => {}
  let waiter: ((m: HostMessage) => void) | null = null
  startHost(
    {
      post: (msg) => {
        const m = parseHostMessage(structuredClone(msg))
        received.push(m)
        waiter?.(m)
      },
      onMessage: (cb) => {
        deliver = cb
      },
    },
    new VmRunner({ locateRunawayLoops: false }),
  )
  const next = (pred: (m: HostMessage) => boolean): Promise<HostMessage> =>
    new Promise((resolve) => {
      const seen = received.find(pred)
      if (seen) return resolve(seen)
      waiter = (m) => {
        if (pred(m)) resolve(m)
      }
    })
  return { received, send: (m: unknown) => deliver(m), next }
}

/** Fragment 512 MiB (long enough for a first runner tick), then compact it in one write. */
const COMPACT_SCRIPT = `
import { GFP_HIGHUSER_MOVABLE, type Folio, type Kernel } from 'mmwb'
export const machine = { memoryMiB: 512, nrCpus: 1 }
export default async function (k: Kernel) {
  const held: Folio[] = []
  for (;;) {
    const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
    if (!f) break
    held.push(f)
  }
  for (let i = 0; i < held.length; i += 2) k.folioPut(held[i])
  await k.sleep(1000)
  k.sysctl.set('vm.compact_memory', 1)
  await k.sleep(1000)
}
`

describe('mapframe / mappage', () => {
  it('streams frames with the final state last, then serves page detail of that state', async () => {
    const h = harness()
    h.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    const script = { path: 'map.ts', source: SCRIPT }
    h.send({
      type: 'run',
      id: 7,
      script,
      options: { seed: 1, timeBudgetMs: 20_000, mapFrames: true },
    })
    await h.next((m) => m.type === 'result' || m.type === 'error')
    const err = h.received.find((m) => m.type === 'error')
    expect(err).toBeUndefined()
    const frames = h.received.filter((m): m is MapFrameMsg => m.type === 'mapframe')
    expect(frames.length).toBeGreaterThanOrEqual(1)
    const last = frames[frames.length - 1]
    expect(last.final).toBe(true)
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i))
    // the frame precedes the result
    const iResult = h.received.findIndex((m) => m.type === 'result')
    expect(h.received.indexOf(last)).toBeLessThan(iResult)
    // 256 MiB = 128 pageblocks; 200 kernel pages in use at the end
    expect(last.frame.nrPageblocks).toBe(128)
    const unmovable = last.frame.unmovablePages.reduce((a, b) => a + b, 0)
    expect(unmovable).toBe(200)
    expect(last.timeNs).toBeGreaterThanOrEqual(200 * 1000)

    const pb = last.frame.unmovablePages.findIndex((n) => n > 0)
    h.send({ type: 'mappage', id: 8, runId: 7, startPfn: pb * 512, nrPages: 512 })
    const page = (await h.next((m) => 'id' in m && m.id === 8)) as MapPageResultMsg
    expect(page.type).toBe('mappage-result')
    expect(page.detail.nrPages).toBe(512)
    let kernel = 0
    for (let i = 0; i < 512; i++) if (page.detail.kind[i] === PK_KERNEL) kernel++
    expect(kernel).toBe(last.frame.unmovablePages[pb])
  })

  it('a mappage for a run that did not stream the map is an error with the request id', async () => {
    const h = harness()
    h.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    h.send({ type: 'mappage', id: 3, runId: 99, startPfn: 0, nrPages: 10 })
    const m = await h.next((x) => x.type === 'error')
    expect(m.type === 'error' && m.id).toBe(3)
  })

  it('runs without mapFrames send no frames', async () => {
    const h = harness()
    h.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    const script = { path: 'map.ts', source: SCRIPT }
    h.send({ type: 'run', id: 1, script, options: { seed: 1, timeBudgetMs: 20_000 } })
    await h.next((m) => m.type === 'result' || m.type === 'error')
    expect(h.received.some((m) => m.type === 'mapframe')).toBe(false)
  })

  it('frames taken inside compaction show pages moving between two ticks', async () => {
    const h = harness()
    h.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    const script = { path: 'compact.ts', source: COMPACT_SCRIPT }
    h.send({
      type: 'run',
      id: 2,
      script,
      options: { seed: 1, timeBudgetMs: 60_000, mapFrames: true },
    })
    await h.next((m) => m.type === 'result' || m.type === 'error')
    expect(h.received.find((m) => m.type === 'error')).toBeUndefined()
    const frames = h.received.filter((m): m is MapFrameMsg => m.type === 'mapframe')
    const during = frames.filter((f) => f.reason === 'mm_migrate_pages')
    expect(during.length).toBeGreaterThan(0)
    expect(frames.some((f) => f.reason === 'mm_compaction_end')).toBe(true)
    // successive frames differ in where the movable pages are: compaction moved them
    const where = (f: MapFrameMsg) => Array.from(f.frame.movablePages).join(',')
    const i = frames.indexOf(during[0])
    expect(where(frames[i])).not.toBe(where(frames[i - 1]))
    // moving pages does not change how many there are
    const total = (f: MapFrameMsg) => f.frame.movablePages.reduce((a, b) => a + b, 0)
    expect(total(frames[frames.length - 1])).toBe(total(frames[i - 1]))
  })
})

describe('kernel files in frames, trace limit', () => {
  it('each frame carries the kernel files at its moment; the final one is the result’s /proc', async () => {
    const h = harness()
    h.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    const script = { path: 'compact.ts', source: COMPACT_SCRIPT }
    h.send({
      type: 'run',
      id: 4,
      script,
      options: { seed: 1, timeBudgetMs: 60_000, mapFrames: true },
    })
    const end = await h.next((m) => m.type === 'result' || m.type === 'error')
    expect(end.type).toBe('result')
    const result = end.type === 'result' ? end.result : null
    const frames = h.received.filter((m): m is MapFrameMsg => m.type === 'mapframe')
    for (const f of frames) expect(Object.keys(f.proc ?? {})).toEqual([...PROC_FILES])
    const last = frames[frames.length - 1]
    expect(last.proc).toEqual(result!.proc)
    // The first frame is taken while the script fills memory with order-0 movable pages,
    // which never compacts; the final one follows `compact_memory`, whose scanners ran.
    const counter = (f: MapFrameMsg, name: string) =>
      parseVmstat(f.proc!['/proc/vmstat']!).find(([n]) => n === name)?.[1]
    expect(counter(frames[0], 'compact_migrate_scanned')).toBe(0)
    expect(counter(last, 'compact_migrate_scanned')).toBeGreaterThan(0)
    expect(frames[0].proc!['/proc/buddyinfo']).toMatch(/^Node 0, zone\s+\w+(\s+\d+){11}\s*$/m)
  })

  it('traceLimit keeps the newest records, sent at the end with how many were written', async () => {
    const h = harness()
    h.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    const script = { path: 'map.ts', source: SCRIPT }
    const run = (id: number, traceLimit?: number) => {
      h.send({
        type: 'run',
        id,
        script,
        options: {
          seed: 1,
          timeBudgetMs: 20_000,
          trace: true,
          ...(traceLimit ? { traceLimit } : {}),
        },
      })
      return h.next((m) => (m.type === 'result' || m.type === 'error') && m.id === id)
    }
    expect((await run(5)).type).toBe('result')
    const all = h.received.filter((m): m is TraceMsg => m.type === 'trace' && m.id === 5)
    const nrAll = all.reduce((n, m) => n + m.records.length, 0)
    // 200 order-0 allocations each hit mm_page_alloc at least
    expect(nrAll).toBeGreaterThanOrEqual(200)
    expect(all[all.length - 1].written).toBe(nrAll)

    expect((await run(6, 50)).type).toBe('result')
    const capped = h.received.filter((m): m is TraceMsg => m.type === 'trace' && m.id === 6)
    expect(capped.reduce((n, m) => n + m.records.length, 0)).toBe(50)
    expect(capped[capped.length - 1].written).toBe(nrAll)
    // the newest records, as an overwriting ring buffer keeps them (same seed, same events),
    // all before the result
    const last50 = all.flatMap((m) => m.records).slice(-50)
    expect(capped.flatMap((m) => m.records)).toEqual(last50)
    const iResult = h.received.findIndex((m) => m.type === 'result' && m.id === 6)
    expect(h.received.indexOf(capped[capped.length - 1])).toBeLessThan(iResult)
  })
})
