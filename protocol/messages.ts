/**
 * Messages between a client (renderer, CLI, tests) and engine-host.
 *
 * One untyped connection (a MessagePort, a child-process IPC channel or a Worker) carries
 * these discriminated unions, keyed by `type`. The client opens with `hello`; engine-host
 * answers `hello-ack` when the protocol versions match, or `error` with name
 * `ProtocolVersionMismatch`. Every request carries an `id` that its replies repeat.
 * Every incoming message is validated (see guards.ts) before it is acted upon.
 */
import type { RunResult, SeriesPoint } from './result'
import type { TraceRecord } from './results/ftrace'
import type { MapFrameMsg, MapPageMsg, MapPageResultMsg } from './mapview'

export type { MapFrameMsg, MapPageMsg, MapPageResultMsg } from './mapview'

/** Bumped on any incompatible change to the messages below. */
export const PROTOCOL_VERSION = 1

/** An error as it crosses a process boundary. */
export interface WireError {
  name: string
  message: string
  stack?: string
  /** Where in the user's script the error arose, when known (1-based line and column). */
  location?: { file: string; line: number; column?: number }
}

/** A workload script as the client hands it over. Opening a workspace never sends one. */
export interface ScriptSource {
  /** Display path, used in error messages (`hello.ts:12`). */
  path: string
  /** TypeScript source text. */
  source: string
}

export interface RunOptions {
  /** Seed of the run's RNG; the same seed, script and config give byte-identical results. */
  seed: number
  /** Name of a variant the script exports in `variants`; omitted runs the base machine. */
  variant?: string
  /** Wall-clock budget for the script in ms; past it the run is stopped with ScriptTimeout. */
  timeBudgetMs: number
  /** Stream `series` messages while the run goes (the UI wants them; the CLI need not). */
  stream?: boolean
  /**
   * Record every tracepoint hit and send the records in `trace` messages before the result
   * (`mmwb run --trace`). Off by default: a busy workload emits millions of events.
   */
  trace?: boolean
  /**
   * With `trace`: keep only the newest this many records of the run, as an overwriting ring
   * buffer does, and send them when the run ends (before its result or error); `written`
   * counts every event. Without it every recorded event is sent as it comes (the CLI's
   * `--trace`).
   */
  traceLimit?: number
  /**
   * Stream memory-map snapshots (`mapframe`, see mapview.ts) while the run goes, plus the
   * final state, and keep the final machine for `mappage` requests. Off by default.
   */
  mapFrames?: boolean
  /**
   * Machine fields that override the script's `machine` export (the run panel's form); a
   * variant's own machine fields still apply on top. Validated by the engine like the export.
   */
  machine?: Record<string, unknown>
}

// ---- client -> engine-host ----------------------------------------------------------

export interface HelloMsg {
  type: 'hello'
  protocolVersion: number
}
export interface RunMsg {
  type: 'run'
  id: number
  script: ScriptSource
  options: RunOptions
}
export interface CancelMsg {
  type: 'cancel'
  id: number
}
export interface PingMsg {
  type: 'ping'
  id: number
}
/**
 * Asks what a script declares (its `variants`, `seeds` and `machine` exports) without running
 * its default export. Answered by `describe-result`, or `error` (ScriptSyntaxError,
 * ConfigError naming the field, ...). `machine` overrides as in RunOptions.
 */
export interface DescribeMsg {
  type: 'describe'
  id: number
  script: ScriptSource
  machine?: Record<string, unknown>
}

export type ClientMessage = HelloMsg | RunMsg | CancelMsg | PingMsg | DescribeMsg | MapPageMsg

// ---- engine-host -> client ----------------------------------------------------------

export interface HelloAckMsg {
  type: 'hello-ack'
  protocolVersion: number
  engineVersion: string
}
export interface PongMsg {
  type: 'pong'
  id: number
}
export interface ProgressMsg {
  type: 'progress'
  id: number
  /** 'transpile' | 'run' | 'collect'; fraction is 0..1 when the script reports it, else -1. */
  phase: 'transpile' | 'run' | 'collect'
  fraction: number
  /** Simulated time reached so far, in ns. */
  simTimeNs: number
}
/** New points of user series since the last message (streamed partial results). */
export interface SeriesMsg {
  type: 'series'
  id: number
  series: Record<string, SeriesPoint[]>
}
/**
 * Tracepoint hits recorded since the last `trace` message, in emission order (only for runs
 * with `options.trace`). All of them arrive before the run's `result`.
 */
export interface TraceMsg {
  type: 'trace'
  id: number
  records: TraceRecord[]
  /** Events emitted so far, including any the host's bounded buffer dropped. */
  written: number
}
export interface LogMsg {
  type: 'log'
  id: number
  level: 'info' | 'warn'
  text: string
}
export interface ResultMsg {
  type: 'result'
  id: number
  result: RunResult
}
/** What a script declares; the machine is the base machine, validated by the engine. */
export interface DescribeResultMsg {
  type: 'describe-result'
  id: number
  /** Keys of the `variants` export, in declaration order; empty when there is none. */
  variants: string[]
  /** The `seeds` export; empty when there is none. */
  seeds: number[]
  /** The `machine` export merged with the override, as plain JSON ({} when absent). */
  machine: Record<string, unknown>
}
/** A failed request. `id` is -1 for errors not tied to a request (e.g. a bad message). */
export interface ErrorMsg {
  type: 'error'
  id: number
  error: WireError
  /** A run that ended in an InvariantViolation: its result, with the violation recorded. */
  result?: RunResult
}

export type HostMessage =
  | HelloAckMsg
  | PongMsg
  | ProgressMsg
  | SeriesMsg
  | LogMsg
  | TraceMsg
  | ResultMsg
  | DescribeResultMsg
  | ErrorMsg
  | MapFrameMsg
  | MapPageResultMsg

/** Error names engine-host uses, so clients can branch on them. */
export type HostErrorName =
  | 'ProtocolVersionMismatch'
  | 'InvalidMessage'
  | 'ScriptSyntaxError'
  | 'ScriptError'
  | 'ScriptTimeout'
  | 'ScriptCancelled'
  | 'ScriptOutOfMemory'
  | 'ConfigError'
  | 'InvariantViolation'
  | 'Busy'
  /** A bug in engine-host or the model surfaced while running a script. */
  | 'InternalError'
