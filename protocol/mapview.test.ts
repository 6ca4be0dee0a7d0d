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
