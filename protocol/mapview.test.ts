import { describe, expect, it } from 'vitest'
import { InvalidMessageError, parseClientMessage, parseHostMessage } from './guards'

function frame(n: number) {
  return {
    nrPageblocks: n,
    pageblockOrder: 9,
    maxOrder: 10,
    endPfn: n * 512,
    zones: [{ name: 'Normal', nid: 0, startPfn: 0, endPfn: n * 512 }],
    pbFlags: new Uint8Array(n),
    freePages: new Uint16Array(n),
    pcpPages: new Uint16Array(n),
    movablePages: new Uint16Array(n),
    unmovablePages: new Uint16Array(n),
    reservedPages: new Uint16Array(n),
    maxFreeOrder: new Int8Array(n),
  }
}

describe('memory-map messages', () => {
  it('accepts a mapframe whose arrays are typed and one entry per pageblock', () => {
    const msg = {
      type: 'mapframe',
      id: 1,
      seq: 0,
      timeNs: 5,
      final: false,
      reason: 'tick',
      frame: frame(4),
    }
    const parsed = parseHostMessage(structuredClone(msg))
    expect(parsed.type === 'mapframe' && parsed.frame.freePages).toBeInstanceOf(Uint16Array)
  })

  it('rejects JSON arrays, wrong lengths and wrong element types, naming the field', () => {
    const bad = (f: Record<string, unknown>) => () =>
      parseHostMessage({
        type: 'mapframe',
        id: 1,
        seq: 0,
        timeNs: 5,
        final: false,
        reason: 'tick',
        frame: f,
      })
    expect(bad({ ...frame(4), freePages: [0, 0, 0, 0] })).toThrow(/mapframe\.frame\.freePages/)
    expect(bad({ ...frame(4), pbFlags: new Uint8Array(3) })).toThrow(/pbFlags must have 4/)
    expect(bad({ ...frame(4), maxFreeOrder: new Uint8Array(4) })).toThrow(InvalidMessageError)
  })

  it('accepts the kernel files a frame carries, and rejects non-text ones by path', () => {
    const msg = (proc: unknown) => ({
      type: 'mapframe',
      id: 1,
      seq: 0,
      timeNs: 5,
      final: true,
      reason: 'final',
      frame: frame(2),
      proc,
    })
    const buddyinfo = 'Node 0, zone   Normal      1      0 \n'
    const parsed = parseHostMessage(structuredClone(msg({ '/proc/buddyinfo': buddyinfo })))
    expect(parsed.type === 'mapframe' && parsed.proc).toEqual({ '/proc/buddyinfo': buddyinfo })
    // a host without kernel files still validates, and the field stays absent
    const { proc: _, ...without } = msg(undefined)
    expect('proc' in parseHostMessage(without)).toBe(false)
    expect(() => parseHostMessage(msg({ '/proc/vmstat': 5 }))).toThrow(
      /mapframe\.proc\["\/proc\/vmstat"\] must be a string/,
    )
    expect(() => parseHostMessage(msg(['x']))).toThrow(/mapframe\.proc must be an object/)
  })

  it('validates a run’s traceLimit as a positive integer', () => {
    const run = (traceLimit: unknown) => ({
      type: 'run',
      id: 1,
      script: { path: 'a.ts', source: '' },
      options: { seed: 1, timeBudgetMs: 1000, trace: true, traceLimit },
    })
    const ok = parseClientMessage(run(50_000))
    expect(ok.type === 'run' && ok.options.traceLimit).toBe(50_000)
    expect(() => parseClientMessage(run(0))).toThrow(/run\.options\.traceLimit/)
    expect(() => parseClientMessage(run(1.5))).toThrow(/traceLimit/)
  })

  it('validates mappage requests', () => {
    expect(
      parseClientMessage({ type: 'mappage', id: 2, runId: 1, startPfn: 512, nrPages: 512 }),
    ).toEqual({ type: 'mappage', id: 2, runId: 1, startPfn: 512, nrPages: 512 })
    expect(() =>
      parseClientMessage({ type: 'mappage', id: 2, runId: 1, startPfn: -1, nrPages: 5 }),
    ).toThrow(/mappage\.startPfn/)
  })

  it('accepts mapFrames in run options', () => {
    const m = parseClientMessage({
      type: 'run',
      id: 1,
      script: { path: 'a.ts', source: '' },
      options: { seed: 1, timeBudgetMs: 100, mapFrames: true },
    })
    expect(m.type === 'run' && m.options.mapFrames).toBe(true)
  })
})
