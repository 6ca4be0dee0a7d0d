/**
 * Records every tracepoint hit of a run for an ftrace-like text trace (`mmwb run --trace`):
 * the event's fields, the simulated time, and which task on which CPU emitted it, as the
 * kernel's ring buffer entry header does. Kept in a bounded buffer like the ring buffer: past
 * `capacity` records the oldest are dropped and only counted (`entries-written`).
 */
import { traceSubscribeAll, type Machine } from '../mm'
import type { Scheduler } from '../sched/scheduler'

/** One recorded hit; the shape of protocol/results/ftrace.ts's TraceRecord. */
export interface RecordedTraceEvent {
  timeNs: number
  /** The task's name, truncated to 15 characters (TASK_COMM_LEN - 1). */
  task: string
  pid: number
  cpu: number
  name: string
  fields: Record<string, number | string | boolean>
}

/** Pids of workload tasks: task index + this, clear of the kernel's low pids. */
export const TASK_PID_BASE = 1000

export class TraceRecorder {
  private buf: RecordedTraceEvent[] = []
  private sent = 0
  /** Events emitted in total, including dropped ones. */
  written = 0
  private readonly off: () => void

  constructor(
    m: Machine,
    sched: Scheduler,
    private readonly capacity = 1_000_000,
  ) {
    this.off = traceSubscribeAll(m, (ev) => {
      this.written++
      const task = sched.current
      const fields: Record<string, number | string | boolean> = {}
      for (const [k, v] of Object.entries(ev)) {
        if (
          k !== 'name' &&
          (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
        )
          fields[k] = v
      }
      this.buf.push({
        timeNs: sched.clockNs(),
        task: (task ? task.name : 'swapper').slice(0, 15),
        pid: task ? TASK_PID_BASE + task.id : 0,
        cpu: m.cpu,
        name: ev.name,
        fields,
      })
      if (this.buf.length > this.capacity) {
        // Drop the oldest half at once (amortised), keeping the newest like an overwriting ring.
        const drop = this.buf.length - Math.floor(this.capacity / 2)
        this.buf = this.buf.slice(drop)
        this.sent = Math.max(0, this.sent - drop)
      }
    })
  }

  /** Records added since the previous call. */
  takeNew(): RecordedTraceEvent[] {
    const out = this.buf.slice(this.sent)
    this.sent = this.buf.length
    return out
  }

  stop(): void {
    this.off()
  }
}
