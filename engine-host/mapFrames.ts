/**
 * Memory-map streaming for a run with `options.mapFrames` (protocol/mapview.ts): decides when
 * a tick sends a `mapframe`, encodes it, and answers `mappage` from the run's machine.
 *
 * Rate: a frame at the first tick, then at most one per `max(MIN_INTERVAL_MS, 20 × last
 * encode time)` of wall time (so encoding stays under ~5% of the run even on a 64 GiB
 * machine, where one encode takes ~10 ms) and only when simulated time moved; at most
 * `MAX_FRAME_BYTES` of frames per run (64 GiB: ~80 frames, 4 GiB: 240), the final state always.
 */
import { pageDetail, type PageDetail } from '../engine/mapview/detail'
import { pageblockFrame, type MapFrame } from '../engine/mapview/frame'
import type { Machine } from '../engine/mm/machine'
import type { WorkloadRun } from '../engine/api/run'
import type { HostMessage } from '../protocol/messages'

const MIN_INTERVAL_MS = 50
const MAX_FRAMES = 240
const MAX_FRAME_BYTES = 32 * 1024 * 1024

/**
 * The run's machine. WorkloadRun keeps it private; until it exposes an accessor this reads
 * the field (engine/api is another helper's; see the report).
 */
export function runMachine(r: WorkloadRun): Machine | null {
  return (r as unknown as { machine: Machine | null }).machine ?? null
}

function frameBytes(f: MapFrame): number {
  return f.nrPageblocks * (1 + 2 * 5 + 1)
}

export class MapFrameStreamer {
  private seq = 0
  private lastWallMs = -Infinity
  private lastSimNs = -1
  private encodeMs = 0
  private bytes = 0
  private run: WorkloadRun | null = null
  private done = false

  constructor(
    readonly runId: number,
    private readonly post: (msg: HostMessage) => void,
  ) {}

  /** Called on every runner tick. */
  tick(r: WorkloadRun): void {
    this.run = r
    const now = performance.now()
    if (this.seq >= MAX_FRAMES - 1 || this.bytes >= MAX_FRAME_BYTES) return
    if (now - this.lastWallMs < Math.max(MIN_INTERVAL_MS, 20 * this.encodeMs)) return
    if (r.simTimeNs() === this.lastSimNs) return
    this.send(r, false)
  }

  /** The run ended (result or error): its last state. */
  finish(r: WorkloadRun | null): void {
    if (this.done) return
    this.done = true
    const run = r ?? this.run
    if (run) this.send(run, true)
  }

  private send(r: WorkloadRun, final: boolean): void {
    const m = runMachine(r)
    if (!m) return
    const t0 = performance.now()
    const frame = pageblockFrame(m)
    this.encodeMs = performance.now() - t0
    this.lastWallMs = performance.now()
    this.lastSimNs = r.simTimeNs()
    this.bytes += frameBytes(frame)
    this.run = r
    this.post({
      type: 'mapframe',
      id: this.runId,
      seq: this.seq++,
      timeNs: this.lastSimNs,
      final,
      frame,
    })
  }

  /** Page detail of the run's machine (live, or as it ended), or null before it exists. */
  detail(startPfn: number, nrPages: number): { timeNs: number; detail: PageDetail } | null {
    const m = this.run ? runMachine(this.run) : null
    if (!this.run || !m) return null
    return { timeNs: this.run.simTimeNs(), detail: pageDetail(m, startPfn, nrPages) }
  }
}
