/**
 * What the renderer keeps of a run's memory map: the frames received so far (each a
 * per-pageblock snapshot, see engine/mapview/frame.ts), and the `mappage` requests in flight.
 *
 * Wiring (EngineClient): run with `options.mapFrames: true`; on `mapframe` call
 * `appendFrame`; send `mappage` through `MapPageRequests.request` and hand every
 * `mappage-result` (and `error` whose id is pending) to `MapPageRequests.receive`.
 */
import type { PageDetail } from '../../../engine/mapview/detail'
import type { ClientMessage, HostMessage } from '../../../protocol/messages'
import type { MapFrameMsg } from '../../../protocol/mapview'

/** Frames of one run, in order; a frame of another run starts a new list. */
export function appendFrame(frames: readonly MapFrameMsg[], msg: MapFrameMsg): MapFrameMsg[] {
  if (frames.length > 0 && frames[0].id !== msg.id) return [msg]
  return [...frames, msg]
}

/** Page detail with the simulated time of the state it was read from. */
export interface FetchedPages {
  timeNs: number
  detail: PageDetail
}

export type FetchPages = (startPfn: number, nrPages: number) => Promise<FetchedPages | null>

/** Request ids for `mappage`; they share no space with run ids (they count down from 2^31). */
export class MapPageRequests {
  private nextId = 2 ** 31 - 1
  private pending = new Map<number, (r: FetchedPages | null) => void>()

  constructor(private readonly send: (msg: ClientMessage) => void) {}

  request(runId: number, startPfn: number, nrPages: number): Promise<FetchedPages | null> {
    const id = this.nextId--
    return new Promise((resolve) => {
      this.pending.set(id, resolve)
      this.send({ type: 'mappage', id, runId, startPfn, nrPages })
    })
  }

  /** True if the message answered a request of ours (and was consumed). */
  receive(msg: HostMessage): boolean {
    if (msg.type !== 'mappage-result' && msg.type !== 'error') return false
    const resolve = this.pending.get(msg.id)
    if (!resolve) return false
    this.pending.delete(msg.id)
    resolve(msg.type === 'mappage-result' ? { timeNs: msg.timeNs, detail: msg.detail } : null)
    return true
  }

  /** Engine-host restarted: nothing pending will be answered. */
  dropAll(): void {
    for (const resolve of this.pending.values()) resolve(null)
    this.pending.clear()
  }
}
