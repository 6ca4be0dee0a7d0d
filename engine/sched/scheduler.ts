/**
 * A deterministic discrete-event scheduler in simulated nanoseconds.
 *
 * Workload tasks are ordinary async functions. They block only through this scheduler
 * (`sleep`, page locks, writeback waits, `join`): each such call returns a promise that an
 * event in the queue resolves later. `step()` pops the earliest event, makes its task
 * current, and resolves the promise; the caller (a sandbox runner) must then let the
 * promise's continuations run (drain the microtask queue) before the next `step()`, so a
 * task always runs until it blocks again before another task is resumed. Tasks therefore
 * run cooperatively, like kernel threads on a non-preemptive kernel: a task's synchronous
 * kernel calls happen atomically and are charged to its own clock (`charge`).
 *
 * Clocks: each task has `clockNs`. When its event fires at t, the task resumes at t (or
 * later, when it is pinned to a CPU that another pinned task kept busy until then). Kernel
 * calls add their cost to the task's clock, and the task's next event is scheduled relative
 * to it. `nowNs` is the time of the last event popped; it never goes backwards.
 *
 * Realms: promises are created with the injected realm's Promise constructor and task
 * bodies start from the realm's own promise jobs (realm.ts), so that user continuations are
 * queued in the script's microtask queue and run inside the sandbox's time limit.
 */
import type { CostModel } from './costModel'
import { EventQueue, type SimEventData } from './eventQueue'
import type { Realm } from './realm'
import type { SchedulerState, TaskBodies } from './schedulerState'

export type TaskState = 'ready' | 'running' | 'sleeping' | 'blocked' | 'done' | 'failed'

export interface Task {
  readonly id: number
  readonly name: string
  /** CPU the task is pinned to, or -1 (unpinned tasks never wait for a CPU). */
  readonly cpu: number
  /** Daemon tasks do not keep the run alive: the run ends when all others have ended. */
  readonly daemon: boolean
  /** The task's own simulated clock, in ns. */
  clockNs: number
  state: TaskState
  /** What a blocked task waits for, for deadlock reports ("folio lock pfn 0x1200"). */
  blockedOn: string | null
  /** Resolves the promise the task is blocked on. */
  wake: (() => void) | null
  /** Tasks blocked in `join` on this one. */
  joiners: Task[]
}

export interface SpawnOptions {
  cpu?: number
  daemon?: boolean
}

export interface SchedulerOptions {
  /** The realm user code runs in. */
  realm: Realm
  cost: CostModel
  /** Number of CPUs tasks may be pinned to. */
  nrCpus: number
  /** Called whenever an event resumes a task, before its code runs (e.g. to set the CPU). */
  onSwitch?: (task: Task) => void
}

interface KthreadSlot {
  body: (reason: 'timer' | 'wake') => number | null
  timerPending: boolean
}

export class Scheduler {
  readonly cost: CostModel
  readonly nrCpus: number
  /** Time of the last event popped, in ns; monotonic. */
  nowNs = 0
  /** The task whose continuation is running, or null between events. */
  current: Task | null = null
  /** The first error a task threw; the run stops at the next step boundary. */
  failure: { task: Task; error: unknown } | null = null
  readonly tasks: Task[] = []

  private readonly P: PromiseConstructor
  private readonly realm: Realm
  private readonly onSwitch: ((task: Task) => void) | undefined
  private readonly queue = new EventQueue()
  /** Per CPU: simulated time until which a pinned task kept it busy. */
  private readonly cpuBusyUntilNs: Float64Array

  constructor(opts: SchedulerOptions) {
    this.realm = opts.realm
    this.onSwitch = opts.onSwitch
    this.P = opts.realm.Promise
    this.cost = opts.cost
    this.nrCpus = opts.nrCpus
    this.cpuBusyUntilNs = new Float64Array(opts.nrCpus)
  }

  /** Simulated time as the current task sees it. */
  clockNs(): number {
    return this.current ? this.current.clockNs : this.nowNs
  }

  /** Charges `ns` of simulated work to the current task. */
  charge(ns: number): void {
    if (this.current) this.current.clockNs += ns
    else this.nowNs += ns
  }

  /** Number of pending events (sleeping tasks, pending wake-ups, task starts). */
  get pendingEvents(): number {
    return this.queue.size
  }

  /**
   * Pending events other than kernel-thread timers (`spawnKthread`): when this is 0 while
   * workload tasks are blocked, nothing but periodic daemons can run, which is a deadlock.
   */
  get pendingWorkloadEvents(): number {
    return this.queue.size - this.kthreadEvents
  }

  private kthreadEvents = 0

  /**
   * A kernel thread driven by timers and wake-ups rather than by a promise chain (kcompactd,
   * proactive compaction): `body(reason)` runs synchronously as the current task, charging its
   * own clock, whenever its timer fires (`'timer'`) or somebody kicks it (`'wake'`); it returns
   * the delay in ns to its next timer, or null for none. The thread is a daemon: it never keeps
   * the run alive, and its pending timers do not hide a deadlock of the workload's tasks.
   */
  spawnKthread(
    name: string,
    body: (reason: 'timer' | 'wake') => number | null,
    firstTimerNs: number | null,
  ): { task: Task; wake: (atNs: number) => void } {
    const task: Task = {
      id: this.tasks.length,
      name,
      cpu: -1,
      daemon: true,
      clockNs: this.clockNs(),
      state: 'sleeping',
      blockedOn: null,
      wake: null,
      joiners: [],
    }
    this.tasks.push(task)
    this.kthreads.set(task.id, { body, timerPending: false })
    if (firstTimerNs !== null) this.armKthread(task, this.clockNs() + firstTimerNs)
    return { task, wake: (atNs: number) => this.kickKthread(task, atNs) }
  }

  /** Kernel threads: their bodies and whether a timer is pending. */
  private readonly kthreads = new Map<number, KthreadSlot>()

  /** Wakes kernel thread `task` (from `spawnKthread`) at `atNs`. */
  kickKthread(task: Task, atNs: number): void {
    this.kthreadEvents++
    this.queue.push(atNs, task.id, () => this.fireKthread(task, 'wake'), 'kwake')
  }

  private armKthread(task: Task, atNs: number): void {
    ;(this.kthreads.get(task.id) as KthreadSlot).timerPending = true
    this.kthreadEvents++
    this.queue.push(atNs, task.id, () => this.fireKthread(task, 'timer'), 'ktimer')
  }

  private fireKthread(task: Task, reason: 'timer' | 'wake'): void {
    const kt = this.kthreads.get(task.id) as KthreadSlot
    this.kthreadEvents--
    if (reason === 'timer') kt.timerPending = false
    if (task.state === 'failed') return
    task.state = 'running'
    let next: number | null = null
    try {
      next = kt.body(reason)
    } catch (error) {
      task.state = 'failed'
      this.failure ??= { task, error }
      return
    }
    task.state = 'sleeping'
    if (next !== null && !kt.timerPending) this.armKthread(task, task.clockNs + next)
  }

  /**
   * Creates a task that starts `cost.spawnNs` after the spawner's clock and runs `fn`.
   * `fn` runs from a promise reaction, so its synchronous part is user code executing inside
   * the sandbox's drain, never synchronously inside `spawn`.
   */
  spawn(name: string, fn: () => unknown, opts: SpawnOptions = {}): Task {
    const cpu = opts.cpu ?? -1
    if (cpu !== -1 && (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.nrCpus)) {
      throw new RangeError(
        `spawn(${JSON.stringify(name)}): cpu ${cpu} is not in 0..${this.nrCpus - 1}`,
      )
    }
    // Spawning from a running task costs the child's start-up; the first tasks start at once.
    const startNs = this.clockNs() + (this.current ? this.cost.spawnNs : 0)
    const task: Task = {
      id: this.tasks.length,
      name,
      cpu,
      daemon: opts.daemon ?? false,
      clockNs: startNs,
      state: 'ready',
      blockedOn: null,
      wake: null,
      joiners: [],
    }
    this.tasks.push(task)
    this.queue.push(startNs, task.id, () => this.runBody(task, fn), 'start')
    return task
  }

  /** Runs a task's body from a promise job of the realm; its settlement ends the task. */
  private runBody(task: Task, fn: () => unknown): void {
    this.realm.runJob(
      fn,
      () => this.exit(task, 'done'),
      (error: unknown) => {
        this.exit(task, 'failed')
        this.failure ??= { task, error }
      },
    )
  }

  /** An already-resolved promise of the script's realm (a non-blocking fast path). */
  resolved(): Promise<void> {
    return this.P.resolve()
  }

  /** Blocks the current task for `ns` of simulated time. */
  sleep(ns: number): Promise<void> {
    const task = this.requireTask('sleep')
    if (!Number.isFinite(ns) || ns < 0) throw new RangeError(`sleep(${ns}): ns must be >= 0`)
    const p = this.park(task, 'sleeping', `sleep until ${task.clockNs + ns} ns`)
    this.wakeAt(task, task.clockNs + ns)
    return p
  }

  /** Blocks the current task until `target` has ended. */
  join(target: Task): Promise<void> {
    const task = this.requireTask('join')
    if (target === task) throw new Error(`task ${task.name} cannot join itself`)
    if (target.state === 'done' || target.state === 'failed') return this.P.resolve()
    target.joiners.push(task)
    return this.park(task, 'blocked', `join ${target.name}`)
  }

  /**
   * Puts `task` to sleep until someone calls `wakeAt` for it. Used by wait queues (page
   * locks, writeback); `reason` shows in deadlock reports.
   */
  park(task: Task, state: 'sleeping' | 'blocked', reason: string): Promise<void> {
    task.state = state
    task.blockedOn = reason
    return new this.P<void>((resolve) => {
      task.wake = resolve
    })
  }

  /** Schedules the wake-up of a parked task at `timeNs` (an event; FIFO among equal times). */
  wakeAt(task: Task, timeNs: number): void {
    this.queue.push(timeNs, task.id, () => this.fireWake(task), 'wake')
  }

  private fireWake(task: Task): void {
    const wake = task.wake
    task.wake = null
    task.blockedOn = null
    task.state = 'running'
    wake?.()
  }

  requireTask(what: string): Task {
    if (!this.current || this.current.state === 'done' || this.current.state === 'failed') {
      throw new Error(
        `${what}() must be called from a running task (the default export or a spawned task)`,
      )
    }
    return this.current
  }

  /**
   * Fires the earliest event. Returns false when no event is pending. The caller must drain
   * the script realm's microtasks before calling again.
   */
  step(): boolean {
    this.retireCurrent()
    const ev = this.queue.pop()
    if (!ev) return false
    if (ev.timeNs > this.nowNs) this.nowNs = ev.timeNs
    const task = ev.taskId >= 0 ? this.tasks[ev.taskId] : null
    if (task) {
      let resumeNs = ev.timeNs
      if (task.cpu >= 0) resumeNs = Math.max(resumeNs, this.cpuBusyUntilNs[task.cpu])
      task.clockNs = Math.max(task.clockNs, resumeNs)
      if (task.state === 'ready') task.state = 'running'
      this.onSwitch?.(task)
    }
    this.current = task
    ev.fire()
    return true
  }

  /** True once every non-daemon task has ended. */
  finished(): boolean {
    return this.tasks.every((t) => t.daemon || t.state === 'done' || t.state === 'failed')
  }

  /** Non-daemon tasks that have not ended; with no pending events these are deadlocked. */
  unfinishedTasks(): Task[] {
    return this.tasks.filter((t) => !t.daemon && t.state !== 'done' && t.state !== 'failed')
  }

  /** Simulated time at which the run ended: the latest clock of any task, in ns. */
  endTimeNs(): number {
    let end = this.nowNs
    for (const t of this.tasks) if (!t.daemon && t.clockNs > end) end = t.clockNs
    return end
  }

  /**
   * The scheduler's state as plain data, at a step boundary (after the realm's microtasks were
   * drained): clock, CPUs, tasks (joiners as task ids) and pending events. What the tasks' code
   * will do next is not data; `Scheduler.restore` gets it from the driver (schedulerState.ts).
   */
  saveState(): SchedulerState {
    if (this.failure) throw new Error('Scheduler.saveState: a task failed; the run cannot go on')
    return {
      nowNs: this.nowNs,
      currentTaskId: this.current ? this.current.id : -1,
      cpuBusyUntilNs: Float64Array.from(this.cpuBusyUntilNs),
      kthreadEvents: this.kthreadEvents,
      tasks: this.tasks.map((t) => ({
        id: t.id,
        name: t.name,
        cpu: t.cpu,
        daemon: t.daemon,
        clockNs: t.clockNs,
        state: t.state,
        blockedOn: t.blockedOn,
        joiners: t.joiners.map((j) => j.id),
        kthreadTimerPending: this.kthreads.get(t.id)?.timerPending ?? null,
      })),
      queue: this.queue.save(),
    }
  }

  /**
   * A scheduler in the state `saveState()` gave. Each task resumes by running its body again:
   * `bodies.task(t)` for a workload task (started, or restarted where its data says it was,
   * when its pending start or wake-up fires), `bodies.kthread(t)` for a kernel thread.
   */
  static restore(opts: SchedulerOptions, st: SchedulerState, bodies: TaskBodies): Scheduler {
    const s = new Scheduler(opts)
    s.nowNs = st.nowNs
    s.cpuBusyUntilNs.set(st.cpuBusyUntilNs)
    s.kthreadEvents = st.kthreadEvents
    for (const d of st.tasks) {
      const t: Task = {
        id: d.id,
        name: d.name,
        cpu: d.cpu,
        daemon: d.daemon,
        clockNs: d.clockNs,
        state: d.state,
        blockedOn: d.blockedOn,
        wake: null,
        joiners: [],
      }
      s.tasks.push(t)
      if (d.kthreadTimerPending !== null)
        s.kthreads.set(t.id, { body: bodies.kthread(t), timerPending: d.kthreadTimerPending })
    }
    const body = new Map<number, () => unknown>()
    for (const d of st.tasks) {
      const t = s.tasks[d.id]
      t.joiners = d.joiners.map((id) => s.tasks[id])
      if (d.kthreadTimerPending !== null || d.state === 'done' || d.state === 'failed') continue
      const fn = bodies.task(t)
      body.set(t.id, fn)
      if (d.state !== 'ready') t.wake = () => s.runBody(t, fn)
    }
    s.queue.load(st.queue, (e: SimEventData) => {
      const t = s.tasks[e.taskId]
      if (e.kind === 'start') return () => s.runBody(t, body.get(t.id) as () => unknown)
      if (e.kind === 'wake') return () => s.fireWake(t)
      const reason = e.kind === 'ktimer' ? 'timer' : 'wake'
      return () => s.fireKthread(t, reason)
    })
    s.current = st.currentTaskId >= 0 ? s.tasks[st.currentTaskId] : null
    return s
  }

  private retireCurrent(): void {
    const t = this.current
    if (t && t.cpu >= 0 && t.clockNs > this.cpuBusyUntilNs[t.cpu]) {
      this.cpuBusyUntilNs[t.cpu] = t.clockNs
    }
    this.current = null
  }

  private exit(task: Task, state: 'done' | 'failed'): void {
    task.state = state
    task.blockedOn = null
    for (const j of task.joiners) this.wakeAt(j, task.clockNs + this.cost.wakeupNs)
    task.joiners = []
  }
}
