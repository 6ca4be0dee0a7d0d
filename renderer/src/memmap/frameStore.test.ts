import { describe, expect, it } from 'vitest'
import type { ClientMessage } from '../../../protocol/messages'
import type { MapFrameMsg } from '../../../protocol/mapview'
import { appendFrame, MapPageRequests } from './frameStore'

const frameMsg = (id: number, seq: number) =>
  ({ type: 'mapframe', id, seq, timeNs: seq * 1000, final: false, frame: {} }) as MapFrameMsg

describe('frame store', () => {
  it('keeps the frames of one run and starts over with the next run', () => {
    let f = appendFrame([], frameMsg(1, 0))
    f = appendFrame(f, frameMsg(1, 1))
    expect(f.map((x) => x.seq)).toEqual([0, 1])
    f = appendFrame(f, frameMsg(2, 0))
    expect(f.map((x) => [x.id, x.seq])).toEqual([[2, 0]])
  })

  it('matches mappage answers and errors to their requests', async () => {
    const sent: ClientMessage[] = []
    const r = new MapPageRequests((m) => sent.push(m))
    const a = r.request(5, 0, 512)
    const b = r.request(5, 512, 512)
    const [ma, mb] = sent as Extract<ClientMessage, { type: 'mappage' }>[]
    expect(ma.id).not.toBe(mb.id)
    const detail = { startPfn: 0, nrPages: 0 } as never
    expect(r.receive({ type: 'mappage-result', id: ma.id, runId: 5, timeNs: 9, detail })).toBe(true)
    expect(
      r.receive({ type: 'error', id: mb.id, error: { name: 'InvalidMessage', message: 'x' } }),
    ).toBe(true)
    expect(r.receive({ type: 'error', id: 1, error: { name: 'ScriptError', message: 'y' } })).toBe(
      false,
    )
    expect(await a).toEqual({ timeNs: 9, detail })
    expect(await b).toBeNull()
  })
})
