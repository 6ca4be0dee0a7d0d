/**
 * What a mid-run snapshot holds of a run, and what it cannot.
 *
 * A run is the machine (every mechanism's state: engine/mm/snapshot.ts) plus the scheduler's
 * data: the clock, each task's clock and state, the CPUs' busy times, the pending events (time,
 * sequence number, task, kind), page-lock owners and waiters as task ids (PageLocks.saveState),
 * and the driver's own data (its RNG state, its progress through its operations). It is taken
 * at a step boundary: after `step()` and the drain of the realm's microtasks, when every task
 * is parked on a scheduler event, not yet started, or ended.
 *
 * A task's code is a JS closure (a script coroutine) and is not data: a snapshot cannot carry
 * where a coroutine stopped. A run can therefore be resumed only by a driver whose tasks keep
 * their progress in data and whose bodies, started again, continue from that data: on restore
 * (`Scheduler.restore`) each unfinished task gets its body from `TaskBodies` and runs it when
 * its pending start or wake-up event fires, as the original coroutine would have continued
 * after its `await`. Kernel threads (`spawnKthread`) are such bodies by construction. The
 * workload API's script runs (engine/api/run.ts) are not resumable from a snapshot: their
 * `export default` coroutines cannot be rebuilt, and their API objects (folio handles, process
 * table, recorders) are not registered machine state.
 */
import type { SimEventData } from './eventQueue'
import type { Task, TaskState } from './scheduler'

export interface TaskRecord {
  id: number
  name: string
  cpu: number
  daemon: boolean
  clockNs: number
  state: TaskState
  blockedOn: string | null
  /** Ids of the tasks blocked in `join` on this one. */
  joiners: number[]
  /** A kernel thread: whether its timer is armed; null for a workload task. */
  kthreadTimerPending: boolean | null
}

/** `Scheduler.saveState()`: plain data. */
export interface SchedulerState {
  nowNs: number
  /** The task of the last event (`current` between steps), -1 for none. */
  currentTaskId: number
  cpuBusyUntilNs: Float64Array
  kthreadEvents: number
  tasks: TaskRecord[]
  queue: { nextSeq: number; events: SimEventData[] }
}

/** The driver's code for the tasks of a restored scheduler. */
export interface TaskBodies {
  /** The body that continues workload task `t` from its data (started when its event fires). */
  task(t: Task): () => unknown
  /** The body of kernel thread `t`. */
  kthread(t: Task): (reason: 'timer' | 'wake') => number | null
}
