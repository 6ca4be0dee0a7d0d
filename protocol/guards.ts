/**
 * Validation of every message at a process boundary. Data arriving over a MessagePort, an IPC
 * channel or a Worker is `unknown` until one of these parsers accepts it; a rejected message
 * throws InvalidMessageError naming the offending field (`run.options.seed`), so the receiver
 * can answer with an `error` message instead of acting on garbage.
 */
import type {
  ClientMessage,
  DescribeMsg,
  HostMessage,
  RunOptions,
  ScriptSource,
  WireError,
} from './messages'
import type { LatencyHistogram, RunEventRecord, RunResult, SeriesPoint } from './result'
import type { TraceRecord } from './results/ftrace'
import { parseMapFrameMsg, parseMapPageMsg, parseMapPageResultMsg } from './mapview'

/** A message failed validation; `field` is the dotted path of the first bad field. */
export class InvalidMessageError extends Error {
  override name = 'InvalidMessage'
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`invalid message: ${field} ${problem}`)
  }
}

type Obj = Record<string, unknown>

function obj(v: unknown, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new InvalidMessageError(field, 'must be an object')
  }
  return v as Obj
}
function str(o: Obj, key: string, path: string): string {
  const v = o[key]
  if (typeof v !== 'string') throw new InvalidMessageError(`${path}.${key}`, 'must be a string')
  return v
}
function optStr(o: Obj, key: string, path: string): string | undefined {
  return o[key] === undefined ? undefined : str(o, key, path)
}
function num(o: Obj, key: string, path: string): number {
  const v = o[key]
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InvalidMessageError(`${path}.${key}`, 'must be a finite number')
  }
  return v
}
function int(o: Obj, key: string, path: string, min = -Infinity): number {
  const v = num(o, key, path)
  if (!Number.isSafeInteger(v) || v < min) {
    throw new InvalidMessageError(`${path}.${key}`, `must be an integer >= ${min}`)
  }
  return v
}
function bool(o: Obj, key: string, path: string): boolean | undefined {
  const v = o[key]
  if (v === undefined) return undefined
  if (typeof v !== 'boolean') throw new InvalidMessageError(`${path}.${key}`, 'must be a boolean')
  return v
}
function oneOf<T extends string>(o: Obj, key: string, path: string, values: readonly T[]): T {
  const v = o[key]
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new InvalidMessageError(`${path}.${key}`, `must be one of ${values.join(', ')}`)
  }
  return v as T
}
/** Request ids are non-negative integers; -1 is reserved for errors tied to no request. */
function id(o: Obj, path: string, allowUnbound = false): number {
  return int(o, 'id', path, allowUnbound ? -1 : 0)
}

function scriptSource(v: unknown, path: string): ScriptSource {
  const o = obj(v, path)
  return { path: str(o, 'path', path), source: str(o, 'source', path) }
}

function runOptions(v: unknown, path: string): RunOptions {
  const o = obj(v, path)
  const out: RunOptions = {
    seed: int(o, 'seed', path, 0),
    timeBudgetMs: num(o, 'timeBudgetMs', path),
  }
  if (out.timeBudgetMs <= 0) throw new InvalidMessageError(`${path}.timeBudgetMs`, 'must be > 0')
  const variant = optStr(o, 'variant', path)
  if (variant !== undefined) out.variant = variant
  const stream = bool(o, 'stream', path)
  if (stream !== undefined) out.stream = stream
  const trace = bool(o, 'trace', path)
  if (trace !== undefined) out.trace = trace
  if (o.traceLimit !== undefined) out.traceLimit = int(o, 'traceLimit', path, 1)
  const mapFrames = bool(o, 'mapFrames', path)
  if (mapFrames !== undefined) out.mapFrames = mapFrames
  if (o.machine !== undefined) out.machine = obj(o.machine, `${path}.machine`)
  return out
}

/** Validates a message from a client (renderer, CLI, test) to engine-host. */
export function parseClientMessage(data: unknown): ClientMessage {
  const o = obj(data, 'message')
  const type = oneOf(o, 'type', 'message', [
    'hello',
    'run',
    'cancel',
    'ping',
    'describe',
    'mappage',
  ] as const)
  const path = type
  switch (type) {
    case 'mappage':
      return parseMapPageMsg(o)
    case 'hello':
      return { type, protocolVersion: int(o, 'protocolVersion', path, 0) }
    case 'run':
      return {
        type,
        id: id(o, path),
        script: scriptSource(o.script, `${path}.script`),
        options: runOptions(o.options, `${path}.options`),
      }
    case 'cancel':
    case 'ping':
      return { type, id: id(o, path) }
    case 'describe': {
      const msg: DescribeMsg = {
        type,
        id: id(o, path),
        script: scriptSource(o.script, `${path}.script`),
      }
      if (o.machine !== undefined) msg.machine = obj(o.machine, `${path}.machine`)
      return msg
    }
  }
}

function wireError(v: unknown, path: string): WireError {
  const o = obj(v, path)
  const out: WireError = { name: str(o, 'name', path), message: str(o, 'message', path) }
  const stack = optStr(o, 'stack', path)
  if (stack !== undefined) out.stack = stack
  if (o.location !== undefined) {
    const lp = `${path}.location`
    const l = obj(o.location, lp)
    out.location = { file: str(l, 'file', lp), line: int(l, 'line', lp, 1) }
    if (l.column !== undefined) out.location.column = int(l, 'column', lp, 1)
  }
  return out
}

function seriesPoints(v: unknown, path: string): SeriesPoint[] {
  if (!Array.isArray(v)) throw new InvalidMessageError(path, 'must be an array')
  return v.map((p, i) => {
    if (
      !Array.isArray(p) ||
      p.length !== 2 ||
      typeof p[0] !== 'number' ||
      typeof p[1] !== 'number'
    ) {
      throw new InvalidMessageError(`${path}[${i}]`, 'must be a [timeNs, value] pair of numbers')
    }
    return [p[0], p[1]] as SeriesPoint
  })
}

function seriesRecord(v: unknown, path: string): Record<string, SeriesPoint[]> {
  const o = obj(v, path)
  const out: Record<string, SeriesPoint[]> = {}
  for (const [name, pts] of Object.entries(o)) out[name] = seriesPoints(pts, `${path}.${name}`)
  return out
}

function numberRecord(v: unknown, path: string): Record<string, number> {
  const o = obj(v, path)
  for (const k of Object.keys(o)) num(o, k, path)
  return o as Record<string, number>
}

function stringRecord(v: unknown, path: string): Record<string, string> {
  const o = obj(v, path)
  for (const k of Object.keys(o)) str(o, k, path)
  return o as Record<string, string>
}

function traceRecords(v: unknown, path: string): TraceRecord[] {
  if (!Array.isArray(v)) throw new InvalidMessageError(path, 'must be an array')
  return v.map((r, i) => {
    const p = `${path}[${i}]`
    const o = obj(r, p)
    const f = obj(o.fields, `${p}.fields`)
    for (const [k, x] of Object.entries(f)) {
      if (typeof x !== 'number' && typeof x !== 'string' && typeof x !== 'boolean') {
        throw new InvalidMessageError(`${p}.fields.${k}`, 'must be a number, string or boolean')
      }
    }
    return {
      timeNs: num(o, 'timeNs', p),
      task: str(o, 'task', p),
      pid: int(o, 'pid', p, 0),
      cpu: int(o, 'cpu', p, 0),
      name: str(o, 'name', p),
      fields: f as TraceRecord['fields'],
    }
  })
}

/** Validates a RunResult (also used on results read back from a workspace or `--json` file). */
export function parseRunResult(v: unknown, path = 'result'): RunResult {
  const o = obj(v, path)
  const variant = o.variant
  if (variant !== null && typeof variant !== 'string') {
    throw new InvalidMessageError(`${path}.variant`, 'must be a string or null')
  }
  if (!Array.isArray(o.log) || o.log.some((l) => typeof l !== 'string')) {
    throw new InvalidMessageError(`${path}.log`, 'must be an array of strings')
  }
  const wall = obj(o.wall, `${path}.wall`)
  const out: RunResult = {
    schemaVersion: int(o, 'schemaVersion', path, 1),
    script: str(o, 'script', path),
    seed: int(o, 'seed', path, 0),
    variant,
    machine: obj(o.machine, `${path}.machine`),
    simTimeNs: num(o, 'simTimeNs', path),
    series: seriesRecord(o.series, `${path}.series`),
    vmstat: numberRecord(o.vmstat, `${path}.vmstat`),
    proc: stringRecord(o.proc, `${path}.proc`),
    log: o.log as string[],
    wall: { elapsedMs: num(wall, 'elapsedMs', `${path}.wall`) },
  }
  if (o.histograms !== undefined) out.histograms = histograms(o.histograms, `${path}.histograms`)
  if (o.events !== undefined) out.events = runEvents(o.events, `${path}.events`)
  if (o.violation !== undefined) {
    const vp = `${path}.violation`
    const v = obj(o.violation, vp)
    out.violation = {
      rule: str(v, 'rule', vp),
      pfn: int(v, 'pfn', vp, -1),
      event: str(v, 'event', vp),
      message: str(v, 'message', vp),
      timeNs: num(v, 'timeNs', vp),
    }
  }
  if (o.expect !== undefined) {
    const ep = `${path}.expect`
    const e = obj(o.expect, ep)
    const met = bool(e, 'met', ep)
    if (met === undefined) throw new InvalidMessageError(`${ep}.met`, 'must be a boolean')
    out.expect = { invariantViolation: str(e, 'invariantViolation', ep), met }
  }
  return out
}

function histograms(v: unknown, path: string): Record<string, LatencyHistogram> {
  const o = obj(v, path)
  const out: Record<string, LatencyHistogram> = {}
  for (const [name, h] of Object.entries(o)) {
    const hp = `${path}.${name}`
    const ho = obj(h, hp)
    if (ho.unit !== 'ns') throw new InvalidMessageError(`${hp}.unit`, "must be 'ns'")
    if (!Array.isArray(ho.buckets) || ho.buckets.some((b) => !Number.isSafeInteger(b) || b < 0)) {
      throw new InvalidMessageError(`${hp}.buckets`, 'must be an array of integers >= 0')
    }
    out[name] = {
      unit: 'ns',
      count: int(ho, 'count', hp, 0),
      sum: num(ho, 'sum', hp),
      min: num(ho, 'min', hp),
      max: num(ho, 'max', hp),
      buckets: ho.buckets as number[],
    }
  }
  return out
}

function runEvents(v: unknown, path: string): RunEventRecord[] {
  if (!Array.isArray(v)) throw new InvalidMessageError(path, 'must be an array')
  return v.map((r, i) => {
    const p = `${path}[${i}]`
    const o = obj(r, p)
    const f = obj(o.fields, `${p}.fields`)
    for (const [k, x] of Object.entries(f)) {
      if (typeof x !== 'number' && typeof x !== 'string' && typeof x !== 'boolean') {
        throw new InvalidMessageError(`${p}.fields.${k}`, 'must be a number, string or boolean')
      }
    }
    return {
      timeNs: num(o, 'timeNs', p),
      kind: str(o, 'kind', p),
      fields: f as RunEventRecord['fields'],
    }
  })
}

/** Validates a message from engine-host to a client. */
export function parseHostMessage(data: unknown): HostMessage {
  const o = obj(data, 'message')
  const type = oneOf(o, 'type', 'message', [
    'hello-ack',
    'pong',
    'progress',
    'series',
    'log',
    'trace',
    'result',
    'describe-result',
    'error',
    'mapframe',
    'mappage-result',
  ] as const)
  const path = type
  switch (type) {
    case 'mapframe':
      return parseMapFrameMsg(o)
    case 'mappage-result':
      return parseMapPageResultMsg(o)
    case 'hello-ack':
      return {
        type,
        protocolVersion: int(o, 'protocolVersion', path, 0),
        engineVersion: str(o, 'engineVersion', path),
      }
    case 'pong':
      return { type, id: id(o, path) }
    case 'progress': {
      const fraction = num(o, 'fraction', path)
      if (fraction !== -1 && (fraction < 0 || fraction > 1)) {
        throw new InvalidMessageError(`${path}.fraction`, 'must be -1 or within 0..1')
      }
      return {
        type,
        id: id(o, path),
        phase: oneOf(o, 'phase', path, ['transpile', 'run', 'collect'] as const),
        fraction,
        simTimeNs: num(o, 'simTimeNs', path),
      }
    }
    case 'series':
      return { type, id: id(o, path), series: seriesRecord(o.series, `${path}.series`) }
    case 'log':
      return {
        type,
        id: id(o, path),
        level: oneOf(o, 'level', path, ['info', 'warn'] as const),
        text: str(o, 'text', path),
      }
    case 'trace':
      return {
        type,
        id: id(o, path),
        records: traceRecords(o.records, `${path}.records`),
        written: int(o, 'written', path, 0),
      }
    case 'result':
      return { type, id: id(o, path), result: parseRunResult(o.result, `${path}.result`) }
    case 'describe-result': {
      if (!Array.isArray(o.variants) || o.variants.some((v) => typeof v !== 'string')) {
        throw new InvalidMessageError(`${path}.variants`, 'must be an array of strings')
      }
      if (!Array.isArray(o.seeds) || o.seeds.some((v) => !Number.isSafeInteger(v) || v < 0)) {
        throw new InvalidMessageError(`${path}.seeds`, 'must be an array of integers >= 0')
      }
      return {
        type,
        id: id(o, path),
        variants: o.variants as string[],
        seeds: o.seeds as number[],
        machine: obj(o.machine, `${path}.machine`),
      }
    }
    case 'error':
      return {
        type,
        id: id(o, path, true),
        error: wireError(o.error, `${path}.error`),
        ...(o.result !== undefined ? { result: parseRunResult(o.result, `${path}.result`) } : {}),
      }
  }
}

/**
 * Turns anything thrown into the `{name, message, stack, location}` that crosses a boundary.
 * Errors may carry `location` (ScriptError and friends in engine-host); non-Error values
 * become `{name: 'Error', message: String(value)}`.
 */
export function toWireError(e: unknown): WireError {
  if (e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e)) {
    const err = e as Error & { location?: WireError['location'] }
    const out: WireError = {
      name: typeof err.name === 'string' && err.name ? err.name : 'Error',
      message: typeof err.message === 'string' ? err.message : String(err.message),
    }
    if (typeof err.stack === 'string') out.stack = err.stack
    const loc = err.location
    if (loc && typeof loc.file === 'string' && Number.isSafeInteger(loc.line) && loc.line >= 1) {
      out.location = { file: loc.file, line: loc.line }
      if (loc.column !== undefined && Number.isSafeInteger(loc.column) && loc.column >= 1) {
        out.location.column = loc.column
      }
    }
    return out
  }
  return { name: 'Error', message: String(e) }
}
