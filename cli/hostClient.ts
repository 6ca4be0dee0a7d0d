/**
 * The CLI's (and the tests') side of the protocol: forks engine-host as a Node child process,
 * performs the handshake, and turns requests into promises. Every incoming message is
 * validated with the protocol guards; a reply that fails validation, an unexpected exit, or
 * a host that stops answering rejects the pending requests with a WireError, never hangs.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { parseHostMessage } from '../protocol/guards'
import {
  PROTOCOL_VERSION,
  type ClientMessage,
  type HostMessage,
  type ProgressMsg,
  type RunOptions,
  type ScriptSource,
  type WireError,
} from '../protocol/messages'
import type { RunResult, SeriesPoint } from '../protocol/result'
import type { TraceRecord } from '../protocol/results/ftrace'

/** A request that engine-host (or the connection) failed; carries the wire error. */
export class HostRequestError extends Error {
  constructor(
    readonly wire: WireError,
    /** The run's result, when it ended in an InvariantViolation (protocol ErrorMsg.result). */
    readonly result?: RunResult,
  ) {
    super(wire.message)
    this.name = wire.name
  }
}

export interface RunCallbacks {
  onProgress?(p: ProgressMsg): void
  onLog?(level: 'info' | 'warn', text: string): void
  onSeries?(series: Record<string, SeriesPoint[]>): void
  onTrace?(records: TraceRecord[], written: number): void
}

export interface HostClientOptions {
  /** Protocol version announced in `hello` (tests use a wrong one). */
  protocolVersion?: number
  /** V8 heap limit of the child in MiB. Default 2048. */
  maxOldSpaceMiB?: number
  /** Extra wall time past a run's budget before the client kills a silent host, in ms. */
  graceMs?: number
}

interface Pending {
  resolve(msg: HostMessage): void
  reject(err: WireError, result?: RunResult): void
  callbacks?: RunCallbacks
}

const HOST_ENTRY = join(__dirname, '..', 'engine-host', 'transports', 'childProcess.ts')

export class HostClient {
  readonly child: ChildProcess
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private helloWaiter: Pending | null = null
  private stderrTail = ''
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null
  private readonly exitListeners: ((why: string) => void)[] = []

  private constructor(private readonly opts: HostClientOptions) {
    this.child = fork(HOST_ENTRY, [], {
      execArgv: [
        '-r',
        require.resolve('sucrase/register/ts'),
        `--max-old-space-size=${opts.maxOldSpaceMiB ?? 2048}`,
      ],
      // engine-host's own stderr is kept (its tail explains a crash); MMWB_DEBUG=1 shows it.
      stdio: ['ignore', 'inherit', process.env.MMWB_DEBUG ? 'inherit' : 'pipe', 'ipc'],
      serialization: 'advanced',
    })
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000)
    })
    this.child.on('message', (data) => this.onMessage(data))
    this.child.on('exit', (code, signal) => this.onExit(code, signal))
    this.child.on('error', (e) => this.onExit(null, null, e.message))
  }

  /** Forks engine-host and completes the handshake. */
  static async start(opts: HostClientOptions = {}): Promise<HostClient> {
    const client = new HostClient(opts)
    await client.hello(opts.protocolVersion ?? PROTOCOL_VERSION)
    return client
  }

  /** Sends `hello`; resolves with the engine version or rejects (ProtocolVersionMismatch). */
  hello(protocolVersion: number): Promise<string> {
    return new Promise((resolve, reject) => {
      this.helloWaiter = {
        resolve: (m) => resolve(m.type === 'hello-ack' ? m.engineVersion : ''),
        reject: (e) => reject(new HostRequestError(e)),
      }
      this.send({ type: 'hello', protocolVersion })
    })
  }

  ping(timeoutMs = 5000): Promise<void> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(
          new HostRequestError({
            name: 'HostUnresponsive',
            message: `no pong within ${timeoutMs} ms`,
          }),
        )
      }, timeoutMs)
      this.pending.set(id, {
        resolve: () => {
          clearTimeout(timer)
          resolve()
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(new HostRequestError(e))
        },
      })
      this.send({ type: 'ping', id })
    })
  }

  /** Runs a script; resolves with the result, rejects with a HostRequestError. */
  run(
    script: ScriptSource,
    options: RunOptions,
    callbacks: RunCallbacks = {},
  ): { id: number; result: Promise<RunResult> } {
    const id = this.nextId++
    const result = new Promise<RunResult>((resolve, reject) => {
      // Belt and braces: engine-host enforces the budget itself; if it goes silent anyway
      // (a loop the sandbox could not interrupt), kill it.
      const graceMs = this.opts.graceMs ?? 5000
      const watchdog = setTimeout(() => {
        this.kill()
        settle.reject({
          name: 'ScriptTimeout',
          message: `engine-host did not finish within the ${options.timeBudgetMs} ms budget and was killed`,
        })
      }, options.timeBudgetMs + graceMs)
      const settle: Pending = {
        callbacks,
        resolve: (m) => {
          clearTimeout(watchdog)
          this.pending.delete(id)
          if (m.type === 'result') resolve(m.result)
        },
        reject: (e, r) => {
          clearTimeout(watchdog)
          this.pending.delete(id)
          reject(new HostRequestError(e, r))
        },
      }
      this.pending.set(id, settle)
    })
    this.send({ type: 'run', id, script, options })
    return { id, result }
  }

  cancel(id: number): void {
    this.send({ type: 'cancel', id })
  }

  /** Called with a reason when the host process goes away. */
  onHostExit(cb: (why: string) => void): void {
    this.exitListeners.push(cb)
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL')
  }

  /** Ends the session: disconnecting makes engine-host exit on its own. */
  close(): void {
    if (this.child.connected) this.child.disconnect()
  }

  private send(msg: ClientMessage): void {
    if (this.exited || !this.child.connected) {
      queueMicrotask(() => this.failAll({ name: 'HostCrashed', message: this.exitReason() }))
      return
    }
    this.child.send(msg)
  }

  private onMessage(data: unknown): void {
    let msg: HostMessage
    try {
      msg = parseHostMessage(data)
    } catch (e) {
      this.failAll({
        name: 'InvalidMessage',
        message: `engine-host sent an invalid message: ${(e as Error).message}`,
      })
      return
    }
    if (msg.type === 'hello-ack') {
      this.helloWaiter?.resolve(msg)
      this.helloWaiter = null
      return
    }
    if (msg.type === 'error' && msg.id === -1) {
      if (this.helloWaiter) {
        this.helloWaiter.reject(msg.error)
        this.helloWaiter = null
      } else {
        this.failAll(msg.error)
      }
      return
    }
    const p = this.pending.get(msg.id)
    if (!p) return
    switch (msg.type) {
      case 'progress':
        p.callbacks?.onProgress?.(msg)
        return
      case 'log':
        p.callbacks?.onLog?.(msg.level, msg.text)
        return
      case 'series':
        p.callbacks?.onSeries?.(msg.series)
        return
      case 'trace':
        p.callbacks?.onTrace?.(msg.records, msg.written)
        return
      case 'error':
        this.pending.delete(msg.id)
        p.reject(msg.error, msg.result)
        return
      case 'pong':
      case 'result':
        this.pending.delete(msg.id)
        p.resolve(msg)
        return
    }
  }

  private exitReason(): string {
    const e = this.exited
    const how = !e
      ? 'is not connected'
      : e.signal
        ? `was killed by ${e.signal}`
        : `exited with status ${e.code}`
    const oom = /heap out of memory|Reached heap limit/i.test(this.stderrTail)
    return oom ? `engine-host ran out of memory and ${how}` : `engine-host ${how}`
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, error?: string): void {
    this.exited ??= { code, signal }
    const oom = /heap out of memory|Reached heap limit/i.test(this.stderrTail)
    const reason = error ? `engine-host failed: ${error}` : this.exitReason()
    this.failAll({ name: oom ? 'ScriptOutOfMemory' : 'HostCrashed', message: reason })
    for (const cb of this.exitListeners) cb(reason)
  }

  private failAll(err: WireError): void {
    if (this.helloWaiter) {
      this.helloWaiter.reject(err)
      this.helloWaiter = null
    }
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id)
      p.reject(err)
    }
  }
}
