/**
 * The renderer's client of engine-host: handshake, runs with streamed partial results, cancel,
 * and the client-side time budget.
 *
 * Why a client-side budget: in web mode the script runs synchronously inside the worker, so
 * a `while (true) {}` never yields to the worker's own timer. When no result arrives within
 * budget + grace, the client kills engine-host (worker.terminate / utility process kill),
 * reports the overrun, and brings up a fresh one. The editor text lives in the page and is
 * untouched by any of this.
 */
import {
  PROTOCOL_VERSION,
  type DescribeMsg,
  type HostMessage,
  type MapFrameMsg,
  type MapPageResultMsg,
  type ProgressMsg,
  type RunOptions,
  type ScriptSource,
  type TraceMsg,
  type WireError,
} from '../../../protocol/messages'
import type { RunResult, SeriesPoint } from '../../../protocol/result'
import { validateHostMessage } from './validate'
import type { EngineTransport } from './transport'

export type EngineStatus =
  | { state: 'starting' }
  | { state: 'ready'; engineVersion: string }
  | { state: 'failed'; message: string }

export interface RunHandlers {
  /** The run's request id, as soon as it is sent (for `mapPage` requests about it). */
  onStart?(runId: number): void
  /** A memory-map snapshot (runs with `options.mapFrames`). */
  onMapFrame?(msg: MapFrameMsg): void
  /** Trace records (runs with `options.trace`) and the events written so far. */
  onTrace?(msg: TraceMsg): void
  onProgress(p: ProgressMsg): void
  onSeries(series: Record<string, SeriesPoint[]>): void
  onLog(level: 'info' | 'warn', text: string): void
}

export type RunOutcome = { kind: 'result'; result: RunResult } | { kind: 'error'; error: WireError }

/** What a script declares (its `variants`, `seeds` and base `machine` exports). */
export interface ScriptDescription {
  variants: string[]
  seeds: number[]
  machine: Record<string, unknown>
}
export type DescribeOutcome =
  { kind: 'described'; description: ScriptDescription } | { kind: 'error'; error: WireError }

export type MapPageOutcome =
  { kind: 'detail'; msg: MapPageResultMsg } | { kind: 'error'; error: WireError }

/** engine-host gives a describe this long (module top level), plus the grace, before a kill. */
export const DESCRIBE_TIMEOUT_MS = 5000

/** Time allowed past the budget for the host's own timeout to report, before the kill. */
export const BUDGET_GRACE_MS = 1500
/** Time a cancel may take before the client kills engine-host. */
export const CANCEL_GRACE_MS = 1000
/** Time engine-host has to answer hello. */
const HELLO_TIMEOUT_MS = 15_000

interface ActiveRun {
  id: number
  handlers: RunHandlers
  resolve(o: RunOutcome): void
  watchdog: ReturnType<typeof setTimeout>
}

export interface EngineClientEvents {
  onStatus(s: EngineStatus): void
  /** Something the user should read in the status line (crash, restart, protocol trouble). */
  onNotice(text: string): void
}

export class EngineClient {
  private nextId = 1
  private active: ActiveRun | null = null
  private ready = false
  private helloTimer: ReturnType<typeof setTimeout> | null = null
  private describing: {
    id: number
    resolve(o: DescribeOutcome): void
    watchdog: ReturnType<typeof setTimeout>
  } | null = null

  constructor(
    private readonly transport: EngineTransport,
    private readonly events: EngineClientEvents,
  ) {}

  private started = false

  start(): void {
    if (this.started) return
    this.started = true
    this.transport.start({
      onReady: () => this.handshake(),
      onMessage: (data) => this.receive(data),
      onStopped: (reason) => {
        this.ready = false
        this.events.onStatus({ state: 'starting' })
        this.failActive({ name: 'EngineHostStopped', message: `engine-host stopped: ${reason}` })
        this.failDescribe({ name: 'EngineHostStopped', message: `engine-host stopped: ${reason}` })
        this.failMapPages(`engine-host stopped: ${reason}`)
        this.events.onNotice(`engine-host stopped: ${reason}; restarted`)
      },
      onGaveUp: (reason) => {
        this.ready = false
        this.failActive({ name: 'EngineHostStopped', message: `engine-host stopped: ${reason}` })
        this.failDescribe({ name: 'EngineHostStopped', message: `engine-host stopped: ${reason}` })
        this.events.onStatus({
          state: 'failed',
          message: `${reason}; not restarted (reload the page to retry)`,
        })
      },
    })
  }

  get isReady(): boolean {
    return this.ready
  }

  get isRunning(): boolean {
    return this.active !== null
  }

  private handshake(): void {
    this.ready = false
    this.events.onStatus({ state: 'starting' })
    this.transport.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    if (this.helloTimer) clearTimeout(this.helloTimer)
    this.helloTimer = setTimeout(() => {
      this.events.onStatus({ state: 'failed', message: 'engine-host did not answer hello' })
    }, HELLO_TIMEOUT_MS)
  }

  private receive(data: unknown): void {
    const checked = validateHostMessage(data)
    if (typeof checked === 'string') {
      this.events.onNotice(`ignored an invalid message from engine-host: ${checked}`)
      return
    }
    this.dispatch(checked)
  }

  private dispatch(msg: HostMessage): void {
    switch (msg.type) {
      case 'hello-ack':
        if (this.helloTimer) clearTimeout(this.helloTimer)
        this.ready = true
        this.events.onStatus({ state: 'ready', engineVersion: msg.engineVersion })
        return
      case 'pong':
        return
      case 'progress':
        if (this.active?.id === msg.id) this.active.handlers.onProgress(msg)
        return
      case 'series':
        if (this.active?.id === msg.id) this.active.handlers.onSeries(msg.series)
        return
      case 'log':
        if (this.active?.id === msg.id) this.active.handlers.onLog(msg.level, msg.text)
        return
      case 'result':
        if (this.active?.id === msg.id) this.finish({ kind: 'result', result: msg.result })
        return
      case 'mapframe':
        if (this.active?.id === msg.id) this.active.handlers.onMapFrame?.(msg)
        return
      case 'trace':
        if (this.active?.id === msg.id) this.active.handlers.onTrace?.(msg)
        return
      case 'mappage-result': {
        const pending = this.mapPages.get(msg.id)
        if (pending) {
          this.mapPages.delete(msg.id)
          pending({ kind: 'detail', msg })
        }
        return
      }
      case 'describe-result':
        if (this.describing?.id === msg.id) {
          const { variants, seeds, machine } = msg
          this.endDescribe({ kind: 'described', description: { variants, seeds, machine } })
        }
        return
      case 'error':
        if (msg.error.name === 'ProtocolVersionMismatch') {
          if (this.helloTimer) clearTimeout(this.helloTimer)
          this.events.onStatus({ state: 'failed', message: msg.error.message })
        }
        if (this.mapPages.has(msg.id)) {
          this.mapPages.get(msg.id)!({ kind: 'error', error: msg.error })
          this.mapPages.delete(msg.id)
        } else if (this.describing && msg.id === this.describing.id) {
          this.endDescribe({ kind: 'error', error: msg.error })
        } else if (this.active && (msg.id === this.active.id || msg.id === -1)) {
          this.finish({ kind: 'error', error: msg.error })
        } else if (msg.id === -1) {
          this.events.onNotice(`engine-host: ${msg.error.name}: ${msg.error.message}`)
        }
        return
    }
  }

  private finish(outcome: RunOutcome): void {
    const run = this.active
    if (!run) return
    clearTimeout(run.watchdog)
    this.active = null
    run.resolve(outcome)
  }

  private failActive(error: WireError): void {
    this.finish({ kind: 'error', error })
  }

  private endDescribe(outcome: DescribeOutcome): void {
    const d = this.describing
    if (!d) return
    clearTimeout(d.watchdog)
    this.describing = null
    d.resolve(outcome)
  }

  private failMapPages(message: string): void {
    for (const resolve of this.mapPages.values())
      resolve({ kind: 'error', error: { name: 'EngineHostStopped', message } })
    this.mapPages.clear()
  }

  private failDescribe(error: WireError): void {
    this.endDescribe({ kind: 'error', error })
  }

  private describePending: Promise<DescribeOutcome> | null = null
  private readonly mapPages = new Map<number, (o: MapPageOutcome) => void>()

  /**
   * Page detail of `[startPfn, startPfn + nrPages)` of run `runId` (live while it runs, its
   * final state afterwards). Resolves, never rejects.
   */
  mapPage(runId: number, startPfn: number, nrPages: number): Promise<MapPageOutcome> {
    if (!this.ready) {
      return Promise.resolve({
        kind: 'error',
        error: { name: 'EngineHostNotReady', message: 'engine-host is not ready yet' },
      })
    }
    const id = this.nextId++
    return new Promise((resolve) => {
      this.mapPages.set(id, resolve)
      this.transport.send({ type: 'mappage', id, runId, startPfn, nrPages })
    })
  }

  /** Resolves once no describe is in flight (a run must wait for one). */
  async describeSettled(): Promise<void> {
    while (this.describePending) await this.describePending
  }

  /**
   * Asks engine-host what a script declares without running it. Resolves, never rejects;
   * refused (Busy) while a run or another describe is in progress.
   */
  describe(script: ScriptSource, machine?: Record<string, unknown>): Promise<DescribeOutcome> {
    if (this.active || this.describing) {
      return Promise.resolve({
        kind: 'error',
        error: { name: 'Busy', message: 'engine-host is busy' },
      })
    }
    if (!this.ready) {
      return Promise.resolve({
        kind: 'error',
        error: { name: 'EngineHostNotReady', message: 'engine-host is not ready yet' },
      })
    }
    const id = this.nextId++
    const pending = new Promise<DescribeOutcome>((resolve) => {
      // A module whose top level never returns blocks the worker: kill it like a runaway run.
      const watchdog = setTimeout(() => {
        const message = `the script's top level did not finish within ${DESCRIBE_TIMEOUT_MS} ms`
        this.failDescribe({ name: 'ScriptTimeout', message })
        this.ready = false
        this.events.onStatus({ state: 'starting' })
        this.transport.kill(message)
        this.events.onNotice(`${message}; engine-host restarted`)
      }, DESCRIBE_TIMEOUT_MS + BUDGET_GRACE_MS)
      this.describing = { id, resolve, watchdog }
      const msg: DescribeMsg = { type: 'describe', id, script }
      if (machine) msg.machine = machine
      this.transport.send(msg)
    })
    this.describePending = pending
    void pending.then(() => {
      if (this.describePending === pending) this.describePending = null
    })
    return pending
  }

  /** Runs a script; resolves with its result or its error, never rejects. */
  run(script: ScriptSource, options: RunOptions, handlers: RunHandlers): Promise<RunOutcome> {
    if (this.active || this.describing) {
      return Promise.resolve({
        kind: 'error',
        error: { name: 'Busy', message: 'a run is already in progress' },
      })
    }
    if (!this.ready) {
      return Promise.resolve({
        kind: 'error',
        error: { name: 'EngineHostNotReady', message: 'engine-host is not ready yet' },
      })
    }
    const id = this.nextId++
    return new Promise<RunOutcome>((resolve) => {
      const watchdog = setTimeout(() => {
        this.killActive({
          name: 'ScriptTimeout',
          message: `Script stopped: exceeded the time budget of ${options.timeBudgetMs} ms`,
        })
      }, options.timeBudgetMs + BUDGET_GRACE_MS)
      this.active = { id, handlers, resolve, watchdog }
      handlers.onStart?.(id)
      this.transport.send({ type: 'run', id, script, options })
    })
  }

  /** Asks the running script to stop; kills engine-host if it does not within CANCEL_GRACE_MS. */
  stop(): void {
    const run = this.active
    if (!run) return
    this.transport.send({ type: 'cancel', id: run.id })
    clearTimeout(run.watchdog)
    run.watchdog = setTimeout(() => {
      this.killActive({ name: 'ScriptCancelled', message: 'Script stopped by the user' })
    }, CANCEL_GRACE_MS)
  }

  private killActive(error: WireError): void {
    if (!this.active) return
    this.failActive(error)
    this.ready = false
    this.events.onStatus({ state: 'starting' })
    this.transport.kill(error.message)
    this.events.onNotice(`${error.message}; engine-host restarted`)
  }
}
