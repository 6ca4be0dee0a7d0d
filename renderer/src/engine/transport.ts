/**
 * How the renderer reaches engine-host: one untyped pipe, two implementations.
 *
 * - Web mode: engine-host runs in a module Web Worker built from
 *   engine-host/transports/worker.ts (referenced by URL, never imported: the renderer talks to
 *   engine-host only through protocol messages).
 * - Desktop: engine-host runs in an Electron utility process; main hands the page a
 *   MessagePort through the preload (see protocol/preloadApi.ts), so simulation traffic does
 *   not pass through main.
 *
 * Both report an unexpected death (worker error, utility process exit) with a reason and
 * bring up a fresh engine-host by themselves; `kill` is the client's hard stop for a script
 * that overran its budget and ignores cancel.
 */
import type { ClientMessage } from '../../../protocol/messages'
import { isEnginePortNotice, type MmwbPreloadApi } from '../../../protocol/preloadApi'

export interface TransportEvents {
  /** A fresh pipe is up (start-up or after any restart): the client must say hello again. */
  onReady(): void
  /** A raw message from engine-host; validate before use. */
  onMessage(data: unknown): void
  /** engine-host died without being asked; a restart is already under way. */
  onStopped(reason: string): void
  /** engine-host keeps dying right after start (e.g. its script fails to load): no more restarts. */
  onGaveUp(reason: string): void
}

export interface EngineTransport {
  readonly kind: 'worker' | 'port'
  start(events: TransportEvents): void
  send(msg: ClientMessage): void
  /** Kill engine-host now and start a fresh one (onReady follows). */
  kill(reason: string): void
}

/** A worker that dies this soon after it was started counts as failing at start-up. */
const EARLY_DEATH_MS = 3000
/** Consecutive start-up failures after which the worker is not restarted any more. */
const MAX_EARLY_DEATHS = 3

/** Web mode: a module worker, terminated and replaced on death or kill. */
export class WorkerTransport implements EngineTransport {
  readonly kind = 'worker'
  private worker: Worker | null = null
  private events: TransportEvents | null = null
  private spawnedAtMs = 0
  private earlyDeaths = 0

  start(events: TransportEvents): void {
    this.events = events
    this.spawn()
  }

  private spawn(): void {
    const worker = new Worker(
      new URL('../../../engine-host/transports/worker.ts', import.meta.url),
      {
        type: 'module',
        name: 'mmwb-engine-host',
      },
    )
    worker.onmessage = (e: MessageEvent) => {
      if (this.worker === worker) this.events?.onMessage(e.data)
    }
    worker.onmessageerror = () => {
      if (this.worker === worker) this.events?.onMessage(undefined)
    }
    // An uncaught error may leave the worker in any state: treat it as a crash and replace it.
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault()
      if (this.worker !== worker) return
      this.replace(`worker error: ${e.message || 'the worker script failed to load or crashed'}`)
    }
    this.worker = worker
    this.spawnedAtMs = performance.now()
    this.events?.onReady()
  }

  private replace(reason: string): void {
    this.worker?.terminate()
    this.worker = null
    // A worker that cannot even start (a missing or broken bundle) would otherwise be
    // restarted in a tight loop: back off, and give up after a few attempts.
    const early = performance.now() - this.spawnedAtMs < EARLY_DEATH_MS
    this.earlyDeaths = early ? this.earlyDeaths + 1 : 0
    if (this.earlyDeaths >= MAX_EARLY_DEATHS) {
      this.events?.onGaveUp(`${reason} (it failed ${this.earlyDeaths} times right after start)`)
      return
    }
    this.events?.onStopped(reason)
    setTimeout(() => this.spawn(), early ? 250 * this.earlyDeaths : 0)
  }

  send(msg: ClientMessage): void {
    this.worker?.postMessage(msg)
  }

  kill(_reason: string): void {
    this.worker?.terminate()
    this.worker = null
    this.spawn()
  }

  /** Test hook: behave exactly as if the worker had crashed. */
  simulateCrash(reason: string): void {
    this.replace(reason)
  }
}

/**
 * Desktop: ports handed over by main. Main forks a fresh engine-host for every port, and
 * sends a port with a `stoppedReason` when the previous engine-host exited on its own.
 */
export class PortTransport implements EngineTransport {
  readonly kind = 'port'
  private port: MessagePort | null = null
  private events: TransportEvents | null = null
  private killRequested = false

  constructor(private readonly api: MmwbPreloadApi) {}

  start(events: TransportEvents): void {
    this.events = events
    window.addEventListener('message', (e: MessageEvent) => {
      // The preload posts from the page's own window; anything else is not ours.
      if (e.source !== window || !isEnginePortNotice(e.data) || e.ports.length !== 1) return
      this.adopt(e.ports[0]!, e.data.stoppedReason)
    })
    this.api.engine.connect()
  }

  private adopt(port: MessagePort, stoppedReason: string | null): void {
    this.port?.close()
    this.port = port
    port.onmessage = (e: MessageEvent) => {
      if (this.port === port) this.events?.onMessage(e.data)
    }
    port.onmessageerror = () => {
      if (this.port === port) this.events?.onMessage(undefined)
    }
    port.start()
    if (stoppedReason !== null && !this.killRequested) this.events?.onStopped(stoppedReason)
    this.killRequested = false
    this.events?.onReady()
  }

  send(msg: ClientMessage): void {
    this.port?.postMessage(msg)
  }

  kill(reason: string): void {
    this.killRequested = true
    this.port?.close()
    this.port = null
    this.api.engine.restart(reason)
  }
}

export function createTransport(): EngineTransport {
  return window.mmwb ? new PortTransport(window.mmwb) : new WorkerTransport()
}
