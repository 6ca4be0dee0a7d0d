/**
 * engine-host's protocol core, shared by all transports.
 *
 * Conversation: the client opens with `hello`; a matching protocol version gets `hello-ack`,
 * a mismatch gets `error` ProtocolVersionMismatch and the host keeps refusing requests until
 * a good `hello`. Then `run` (one at a time: a second gets `error` Busy), `cancel` (stops the
 * run at the next step with ScriptCancelled) and `ping` (answered between run slices, so a
 * client can tell a busy host from a hung one). Every incoming message is validated
 * (protocol/guards.ts); an invalid one is answered with `error` InvalidMessage, id -1.
 */
import { RESULT_SCHEMA_VERSION, type RunResult } from '../protocol/result'
import { parseClientMessage, toWireError } from '../protocol/guards'
import { PROTOCOL_VERSION, type DescribeMsg, type RunMsg } from '../protocol/messages'
import type { RunOutcome, WorkloadRun } from '../engine/api/run'
import type { RecordedTraceEvent } from '../engine/api/traceRecorder'
import type { Endpoint } from './endpoint'
import { HostError } from './errors'
import { MapFrameStreamer } from './mapFrames'
import type { ScriptRunner } from './sandbox/types'
import { transpileWorkload } from './transpile'
import { ENGINE_VERSION } from './version'

/** Minimum wall time between progress messages, in ms. */
const PROGRESS_INTERVAL_MS = 100
/** Trace records per `trace` message. */
const TRACE_CHUNK = 10_000

/** Marks the one log line of a describe evaluation that carries the exports as JSON. */
const DESCRIBE_MARK = '\u0000mmwb-describe:'
/** Wall-clock budget of a describe (module top level plus machine validation), in ms. */
const DESCRIBE_BUDGET_MS = 5000

/**
 * Code appended to the compiled module (after the user's last line, so line numbers stay the
 * user's): the run panel's machine fields override the `machine` export.
 */
function machineOverrideCode(machine: Record<string, unknown> | undefined): string {
  if (!machine) return ''
  return `\n;module.exports.machine = Object.assign({}, module.exports.machine, ${JSON.stringify(machine)});`
}

/**
 * Code appended for `describe`: logs what the module exports, then swaps the default export
 * for an empty function, so the runner evaluates the module and validates the machine (a
 * ConfigError names the field) but none of the workload runs.
 */
const DESCRIBE_CODE = `\n;(function (e) {
  var v = e.variants, s = e.seeds;
  console.log(${JSON.stringify(DESCRIBE_MARK)} + JSON.stringify({
    variants: v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [],
    seeds: Array.isArray(s) ? s.filter(function (x) { return Number.isSafeInteger(x) && x >= 0 }) : [],
    machine: e.machine && typeof e.machine === 'object' ? e.machine : {},
  }));
  if (typeof e.default === 'function') e.default = function () {};
})(module.exports);`

export interface HostHandle {
  /** True while a run is in progress. */
  busy(): boolean
}

export function startHost(endpoint: Endpoint, runner: ScriptRunner): HostHandle {
  let greeted = false
  let current: { id: number; cancelled: boolean } | null = null
  const post = endpoint.post.bind(endpoint)

  const fail = (id: number, e: unknown): void => post({ type: 'error', id, error: toWireError(e) })
  /** The last run started with `mapFrames`: its frames, and its machine for `mappage`. */
  let mapStream: MapFrameStreamer | null = null

  async function run(msg: RunMsg): Promise<void> {
    const job = { id: msg.id, cancelled: false }
    current = job
    const t0 = performance.now()
    const frames = msg.options.mapFrames ? new MapFrameStreamer(msg.id, post) : null
    if (frames) mapStream = frames
    let lastProgress = 0
    let traceRun: WorkloadRun | null = null
    const sendTrace = (records: readonly RecordedTraceEvent[], written: number): void => {
      for (let i = 0; i < records.length; i += TRACE_CHUNK)
        post({ type: 'trace', id: msg.id, records: records.slice(i, i + TRACE_CHUNK), written })
    }
    // With traceLimit, the newest records are kept here, as an overwriting ring buffer keeps
    // them, and sent when the run ends; without, every record is sent at the tick it arrived.
    const traceLimit = msg.options.traceLimit ?? 0
    let traceRing: RecordedTraceEvent[] = []
    const flushTrace = (r: WorkloadRun): void => {
      if (!msg.options.trace) return
      traceRun = r
      const records = r.takeNewTrace()
      if (traceLimit === 0) return sendTrace(records, r.traceEventsWritten())
      for (const rec of records) traceRing.push(rec)
      // amortised: trim to the newest traceLimit once the ring holds twice as many
      if (traceRing.length >= 2 * traceLimit) traceRing = traceRing.slice(-traceLimit)
    }
    /** The run ended: the kept records of a limited trace, or at least the final count. */
    const endTrace = (): void => {
      if (!traceRun || traceLimit === 0) return
      const kept = traceRing.slice(-traceLimit)
      traceRing = []
      const written = traceRun.traceEventsWritten()
      if (kept.length === 0) post({ type: 'trace', id: msg.id, records: [], written })
      else sendTrace(kept, written)
    }
    const toResult = (outcome: RunOutcome): RunResult => ({
      schemaVersion: RESULT_SCHEMA_VERSION,
      script: msg.script.path,
      ...outcome,
      machine: outcome.machine as unknown as Record<string, unknown>,
      wall: { elapsedMs: Math.round(performance.now() - t0) },
    })
    try {
      post({ type: 'progress', id: msg.id, phase: 'transpile', fraction: -1, simTimeNs: 0 })
      const code =
        transpileWorkload(msg.script.source, msg.script.path) +
        machineOverrideCode(msg.options.machine)
      const outcome = await runner.execute({
        code,
        file: msg.script.path,
        seed: msg.options.seed,
        variant: msg.options.variant,
        budgetMs: msg.options.timeBudgetMs,
        trace: msg.options.trace,
        isCancelled: () => job.cancelled,
        onLog: (level, text) => post({ type: 'log', id: msg.id, level, text }),
        onTick: (r) => {
          // Runners tick once more after the last event, so every record precedes the result.
          flushTrace(r)
          frames?.tick(r)
          if (msg.options.stream) {
            const series = r.takeNewSeries()
            if (Object.keys(series).length > 0) post({ type: 'series', id: msg.id, series })
          }
          const now = performance.now()
          if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
            lastProgress = now
            post({
              type: 'progress',
              id: msg.id,
              phase: 'run',
              fraction: r.progress(),
              simTimeNs: r.simTimeNs(),
            })
          }
        },
      })
      endTrace()
      frames?.finish(null, outcome.proc)
      post({
        type: 'progress',
        id: msg.id,
        phase: 'collect',
        fraction: 1,
        simTimeNs: outcome.simTimeNs,
      })
      post({ type: 'result', id: msg.id, result: toResult(outcome) })
    } catch (e) {
      endTrace()
      frames?.finish(null)
      // A run that ended in an invariant violation still hands out its result (--json).
      const outcome = e instanceof HostError ? e.outcome : undefined
      if (outcome)
        post({ type: 'error', id: msg.id, error: toWireError(e), result: toResult(outcome) })
      else fail(msg.id, e)
    } finally {
      current = null
    }
  }

  async function describe(msg: DescribeMsg): Promise<void> {
    const job = { id: msg.id, cancelled: false }
    current = job
    try {
      const code =
        transpileWorkload(msg.script.source, msg.script.path) +
        machineOverrideCode(msg.machine) +
        DESCRIBE_CODE
      let described: string | null = null
      await runner.execute({
        code,
        file: msg.script.path,
        seed: 0,
        budgetMs: DESCRIBE_BUDGET_MS,
        isCancelled: () => job.cancelled,
        onLog: (_level, text) => {
          if (text.startsWith(DESCRIBE_MARK)) described = text.slice(DESCRIBE_MARK.length)
        },
        onTick: () => {},
      })
      if (described === null) throw new HostError('InternalError', 'describe: no exports seen')
      const d = JSON.parse(described) as {
        variants: string[]
        seeds: number[]
        machine: Record<string, unknown>
      }
      post({ type: 'describe-result', id: msg.id, ...d })
    } catch (e) {
      fail(msg.id, e)
    } finally {
      current = null
    }
  }

  endpoint.onMessage((data) => {
    let msg
    try {
      msg = parseClientMessage(data)
    } catch (e) {
      fail(-1, e)
      return
    }
    switch (msg.type) {
      case 'hello':
        if (msg.protocolVersion !== PROTOCOL_VERSION) {
          greeted = false
          fail(
            -1,
            new HostError(
              'ProtocolVersionMismatch',
              `client speaks protocol ${msg.protocolVersion}, engine-host speaks ${PROTOCOL_VERSION}`,
            ),
          )
          return
        }
        greeted = true
        post({
          type: 'hello-ack',
          protocolVersion: PROTOCOL_VERSION,
          engineVersion: ENGINE_VERSION,
        })
        return
      case 'ping':
        post({ type: 'pong', id: msg.id })
        return
    }
    if (!greeted) {
      fail(
        msg.id,
        new HostError('InvalidMessage', `'${msg.type}' before a successful hello handshake`),
      )
      return
    }
    switch (msg.type) {
      case 'run':
        if (current) {
          fail(msg.id, new HostError('Busy', `run ${current.id} is still in progress`))
          return
        }
        void run(msg)
        return
      case 'describe':
        if (current) {
          fail(msg.id, new HostError('Busy', `run ${current.id} is still in progress`))
          return
        }
        void describe(msg)
        return
      case 'cancel':
        if (current && current.id === msg.id) current.cancelled = true
        return
      case 'mappage': {
        const d =
          mapStream?.runId === msg.runId ? mapStream.detail(msg.startPfn, msg.nrPages) : null
        if (!d) {
          fail(
            msg.id,
            new HostError(
              'InvalidMessage',
              `no memory map of run ${msg.runId} (run it with mapFrames)`,
            ),
          )
          return
        }
        post({ type: 'mappage-result', id: msg.id, runId: msg.runId, ...d })
        return
      }
    }
  })

  return { busy: () => current !== null }
}
