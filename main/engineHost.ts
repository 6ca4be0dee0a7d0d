/**
 * Supervises engine-host in an Electron utility process and hands the window a direct
 * MessagePort to it, so simulation traffic never passes through main.
 *
 * Every port gets a freshly forked engine-host: the utility process adopts the port of the
 * first message it receives. A page (re)load asks for a port (connect); a runaway script makes
 * the renderer ask for a restart; an engine-host that exits on its own is restarted and the
 * window is told why, with its new port.
 */
import {
  MessageChannelMain,
  utilityProcess,
  type MessagePortMain,
  type UtilityProcess,
} from 'electron'

/** Why the previous engine-host went away, as the user reads it. */
export type HostExit = { kind: 'exited'; code: number } | { kind: 'killed'; reason: string }

/** Delay before restarting a host that died on its own; grows with repeated crashes. */
const RESTART_BASE_MS = 200
const RESTART_MAX_MS = 5_000
/** A host that lived this long resets the crash backoff. */
const STABLE_AFTER_MS = 10_000

export class EngineHostSupervisor {
  private child: UtilityProcess | null = null
  private readonly intentionallyKilled = new WeakSet<UtilityProcess>()
  private crashes = 0
  private startedAtMs = 0
  private disposed = false

  /**
   * @param modulePath  out/main/engineHost.js (the built utility-process entry)
   * @param deliver     hands the window its end of a new channel; `stoppedReason` is null
   *                    unless the previous engine-host died on its own
   */
  constructor(
    private readonly modulePath: string,
    private readonly deliver: (port: MessagePortMain, stoppedReason: string | null) => void,
  ) {}

  /** A (re)loaded page wants a port: replace any engine-host with a fresh one. */
  connect(): void {
    this.killCurrent()
    this.spawn(null)
  }

  /** The page asks to kill engine-host (e.g. a script overran its time budget). */
  restart(reason: string): void {
    this.killCurrent()
    this.spawn(reason)
  }

  dispose(): void {
    this.disposed = true
    this.killCurrent()
  }

  private killCurrent(): void {
    const c = this.child
    if (!c) return
    this.intentionallyKilled.add(c)
    this.child = null
    c.kill()
  }

  private spawn(stoppedReason: string | null): void {
    if (this.disposed) return
    const child = utilityProcess.fork(this.modulePath, [], {
      serviceName: 'mmwb-engine-host',
      stdio: 'inherit',
    })
    this.child = child
    this.startedAtMs = Date.now()
    child.on('exit', (code) => this.onExit(child, code))

    const { port1, port2 } = new MessageChannelMain()
    child.postMessage({ type: 'connect' }, [port1])
    this.deliver(port2, stoppedReason)
  }

  private onExit(child: UtilityProcess, code: number): void {
    if (this.intentionallyKilled.has(child) || child !== this.child || this.disposed) return
    this.child = null
    if (Date.now() - this.startedAtMs > STABLE_AFTER_MS) this.crashes = 0
    const delayMs = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** this.crashes)
    this.crashes++
    const reason = describeExit(code)
    setTimeout(() => {
      if (!this.child) this.spawn(reason)
    }, delayMs)
  }
}

/** Exit codes as a kernel developer reads them (signals by name where Electron reports one). */
export function describeExit(code: number): string {
  if (code === 0) return 'the utility process exited'
  if (code > 128 && code < 160) return `the utility process was killed by signal ${code - 128}`
  return `the utility process exited with code ${code}`
}
