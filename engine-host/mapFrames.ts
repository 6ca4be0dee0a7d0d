/**
 * Memory-map streaming for a run with `options.mapFrames` (protocol/mapview.ts): decides when
 * to send a `mapframe`, encodes it, and answers `mappage` from the run's machine.
 *
 * When:
 * - on runner ticks (every ~25 ms of wall time): a frame at the first, then at most one per
 *   `max(MIN_INTERVAL_MS, 20 × last encode time)` of wall time, so encoding stays under ~5% of
 *   the run even at 64 GiB (~10 ms per encode), and only when simulated time moved;
 * - inside migrations, which a tick never sees (one `vm.compact_memory` write compacts a whole
 *   zone between two ticks): from the `mm_migrate_pages` tracepoint, a frame each time another
 *   1/32 of the machine's pages has been migrated, and one at `mm_compaction_end` and
 *   `cma_alloc_finish` if pages moved since the last frame, while all encoding so far stays
 *   within ENCODE_ALLOWANCE_MS plus 5% of the run's wall time. So the scrubber can show
 *   compaction moving pages;
 * - the final state, always.
 * Budget: at most MAX_FRAMES frames and MAX_FRAME_BYTES of them per run (64 GiB: ~80 frames).
 * Encoding walks blocks, not pages: ~10 ms at 64 GiB in mixed use, ~180 ms in the worst case
 * (all 16M pages allocated at order 0), which the 20× rule turns into a frame per ~3.6 s.
 * The tracepoints are subscribed at the first tick (the machine exists from then on), so a
 * migration within the first ~25 ms of a run gets no frames of its own.
 *
 * Each frame also carries the kernel text files at its moment (`proc`: buddyinfo,
 * pagetypeinfo, vmstat, extfrag indices; ~10 KB), printed by `readProcFile` as the run's
 * result does (engine/api/run.ts:collect), and the final frame carries the result's own
 * texts, so the kernel views' last moment is exactly the result's /proc. Their printing time
 * counts as encoding time in the budgets above.
 */
import { pageDetail, type PageDetail } from '../engine/mapview/detail'
import { pageblockFrame, type MapFrame } from '../engine/mapview/frame'
import type { Machine } from '../engine/mm/machine'
import { PROC_FILES, readProcFile } from '../engine/proc/machineProc'
import { traceSubscribe } from '../engine/mm/trace'
import type { WorkloadRun } from '../engine/api/run'
import type { HostMessage } from '../protocol/messages'
import type { MapFrameReason } from '../protocol/mapview'

const MIN_INTERVAL_MS = 50
/** Encoding time migration frames may always use (then 5% of the run's wall time). */
const ENCODE_ALLOWANCE_MS = 100
const MAX_FRAMES = 240
const MAX_FRAME_BYTES = 32 * 1024 * 1024
/** A migration frame per this fraction of the machine's pages migrated. */
const MIGRATED_FRACTION_PER_FRAME = 1 / 32

/** The run's machine (`WorkloadRun.currentMachine`), or null before the run starts. */
export function runMachine(r: WorkloadRun): Machine | null {
  return r.currentMachine()
}

function frameBytes(f: MapFrame): number {
  return f.nrPageblocks * (1 + 2 * 5 + 1)
}

/** The kernel text files of `m` now, as `cat` prints them. */
export function procTexts(m: Machine): Record<string, string> {
  const proc: Record<string, string> = {}
  for (const path of PROC_FILES) {
    try {
      proc[path] = readProcFile(m, path)
    } catch (e) {
      // As collect(): after an (expected) invariant violation the state may not format.
      proc[path] = `(unavailable: ${(e as Error).message})\n`
    }
  }
  return proc
}

export class MapFrameStreamer {
  private seq = 0
  private lastWallMs = -Infinity
  private lastSimNs = -1
  private encodeMs = 0
  private encodeTotalMs = 0
  private readonly startWallMs = performance.now()
  private bytes = 0
  private run: WorkloadRun | null = null
  private done = false
  private migrated = 0
  private unsubscribe: (() => void) | null = null

  constructor(
    readonly runId: number,
    private readonly post: (msg: HostMessage) => void,
  ) {}

  private full(): boolean {
    return this.seq >= MAX_FRAMES - 1 || this.bytes >= MAX_FRAME_BYTES
  }

  /** Called on every runner tick. */
  tick(r: WorkloadRun): void {
    this.run = r
    if (!this.unsubscribe) this.watchMigrations(r)
    const now = performance.now()
    if (this.full()) return
    if (now - this.lastWallMs < Math.max(MIN_INTERVAL_MS, 20 * this.encodeMs)) return
    if (r.simTimeNs() === this.lastSimNs) return
    this.send(r, 'tick')
  }

  private watchMigrations(r: WorkloadRun): void {
    const m = runMachine(r)
    if (!m) return
    const step = Math.max(m.pageblockNrPages, Math.floor(m.endPfn * MIGRATED_FRACTION_PER_FRAME))
    const maybeSend = (reason: MapFrameReason, min: number) => {
      if (this.done || this.migrated < min || this.full()) return
      // Spend at most ENCODE_ALLOWANCE_MS plus 5% of the run's wall time encoding.
      const budgetMs = ENCODE_ALLOWANCE_MS + 0.05 * (performance.now() - this.startWallMs)
      if (this.encodeTotalMs + this.encodeMs > budgetMs) return
      this.send(r, reason)
    }
    const offs = [
      traceSubscribe(m, 'mm_migrate_pages', (ev) => {
        this.migrated += ev.nr_succeeded
        maybeSend('mm_migrate_pages', step)
      }),
      traceSubscribe(m, 'mm_compaction_end', () => maybeSend('mm_compaction_end', 1)),
      traceSubscribe(m, 'cma_alloc_finish', () => maybeSend('cma_alloc_finish', 1)),
    ]
    this.unsubscribe = () => offs.forEach((off) => off())
  }

  /**
   * The run ended (result or error): its last state, with the result's /proc texts when there
   * is a result.
   */
  finish(r: WorkloadRun | null, resultProc?: Record<string, string>): void {
    if (this.done) return
    this.done = true
    this.unsubscribe?.()
    const run = r ?? this.run
    if (run) this.send(run, 'final', resultProc)
  }

  private send(r: WorkloadRun, reason: MapFrameReason, resultProc?: Record<string, string>): void {
    const m = runMachine(r)
    if (!m) return
    const t0 = performance.now()
    const frame = pageblockFrame(m)
    const proc = resultProc ?? procTexts(m)
    this.encodeMs = performance.now() - t0
    this.encodeTotalMs += this.encodeMs
    this.lastWallMs = performance.now()
    this.lastSimNs = r.simTimeNs()
    let procBytes = 0
    for (const text of Object.values(proc)) procBytes += text.length
    this.bytes += frameBytes(frame) + procBytes
    this.migrated = 0
    this.run = r
    this.post({
      type: 'mapframe',
      id: this.runId,
      seq: this.seq++,
      timeNs: this.lastSimNs,
      final: reason === 'final',
      reason,
      frame,
      proc,
    })
  }

  /** Page detail of the run's machine (live, or as it ended), or null before it exists. */
  detail(startPfn: number, nrPages: number): { timeNs: number; detail: PageDetail } | null {
    const m = this.run ? runMachine(this.run) : null
    if (!this.run || !m) return null
    return { timeNs: this.run.simTimeNs(), detail: pageDetail(m, startPfn, nrPages) }
  }
}
