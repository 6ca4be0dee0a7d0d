/**
 * Errors engine-host reports, and the mapping of a script's exception to the user's source.
 *
 * Every error a run produces carries a `name` from HostErrorName (protocol/messages.ts), so
 * clients branch on it, and, when it arose in the script, a `location` in the user's
 * TypeScript (sucrase keeps line numbers; columns are exact on lines without rewritten
 * imports). Stacks are cut down to the script's own frames: users never see engine-host's.
 */
import type { RunOutcome } from '../engine/api/run'
import type { HostErrorName, WireError } from '../protocol/messages'

export interface ScriptLocation {
  file: string
  line: number
  column?: number
}

/** An error with a protocol name and, when known, a location in the user's script. */
export class HostError extends Error {
  location?: ScriptLocation
  /** An InvariantViolation's run, collected with the violation recorded (for `--json`). */
  outcome?: RunOutcome
  constructor(name: HostErrorName, message: string, location?: ScriptLocation, stack?: string) {
    super(message)
    this.name = name
    if (location) this.location = location
    // Never ship engine-host's own frames to users: without a script stack, just the header.
    this.stack = stack !== undefined && stack !== '' ? stack : `${name}: ${message}`
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** `file:line:col` frames of `file` in a V8 stack, in stack order. */
export function scriptFrames(stack: string, file: string): ScriptLocation[] {
  const re = new RegExp(`${escapeRegExp(file)}:(\\d+):(\\d+)`, 'g')
  const out: ScriptLocation[] = []
  for (const m of stack.matchAll(re)) {
    out.push({ file, line: Number(m[1]), column: Number(m[2]) })
  }
  return out
}

/**
 * The header line(s) of a stack plus only the frames in the user's script, with line
 * numbers shifted by `lineOffset` (the Function-constructor runner's wrapper lines).
 */
export function userStack(stack: string, file: string, lineOffset = 0): string {
  const lines = stack.split('\n')
  const firstFrame = lines.findIndex((l) => /^\s+at /.test(l))
  const header = firstFrame < 0 ? lines : lines.slice(0, firstFrame)
  const re = new RegExp(`${escapeRegExp(file)}:(\\d+):(\\d+)`)
  const frames = (firstFrame < 0 ? [] : lines.slice(firstFrame))
    .filter((l) => re.test(l))
    .map((l) =>
      l.replace(
        re,
        (_m, line: string, col: string) => `${file}:${Number(line) - lineOffset}:${col}`,
      ),
    )
  return [...header, ...frames].join('\n')
}

/** Fields of a thrown value, read without trusting its realm or its type. */
export function errorFields(e: unknown): { name: string; message: string; stack: string } {
  if (typeof e === 'object' && e !== null) {
    const o = e as { name?: unknown; message?: unknown; stack?: unknown }
    return {
      name: typeof o.name === 'string' ? o.name : 'Error',
      message: typeof o.message === 'string' ? o.message : String(o.message ?? e),
      stack: typeof o.stack === 'string' ? o.stack : '',
    }
  }
  return { name: 'Error', message: `${typeof e === 'string' ? e : JSON.stringify(e)}`, stack: '' }
}

/** RangeErrors V8 throws when an allocation cannot be satisfied. */
const OOM_MESSAGES = [
  /Array buffer allocation failed/,
  /Invalid array length/,
  /Invalid typed array length/,
  /Invalid string length/,
  /Maximum call stack size exceeded/,
  /allocation failed/i,
]

/**
 * Classifies an exception thrown by a workload (or by the kernel on its behalf) into the
 * protocol's error names and pins it to the deepest frame of the user's script.
 */
export function scriptErrorFrom(e: unknown, file: string, lineOffset = 0): HostError {
  if (e instanceof HostError) return e
  const f = errorFields(e)
  const frame = scriptFrames(f.stack, file)[0]
  const location = frame ? { ...frame, line: frame.line - lineOffset } : undefined
  const stack = userStack(f.stack, file, lineOffset)
  let name: HostErrorName = 'ScriptError'
  let message = `${f.name}: ${f.message}`
  if (f.name === 'ConfigError') {
    name = 'ConfigError'
    message = f.message
  } else if (f.name === 'InvariantError' || f.name === 'InvariantViolation') {
    name = 'InvariantViolation'
    message = f.message
  } else if (f.name === 'InternalError') {
    name = 'InternalError'
    message = `internal error in the simulator (a bug; please report it with the script): ${f.message}`
  } else if (f.name === 'RangeError' && OOM_MESSAGES.some((re) => re.test(f.message))) {
    name = 'ScriptOutOfMemory'
    message = /call stack/.test(f.message)
      ? `the script exhausted the stack (runaway recursion): ${f.message}`
      : `the script tried to allocate more memory than the sandbox allows: ${f.message}`
  }
  const where = location ? ` (${location.file}:${location.line})` : ''
  return new HostError(name, message + where, location, stack)
}

/**
 * A run's error as the host reports it; an InvariantViolation carries the run's final state
 * with the violation recorded (`collect`, usually `run.collectAfterViolation()`), when it can be had.
 */
export function runErrorFrom(
  e: unknown,
  file: string,
  collect: () => RunOutcome | null,
  lineOffset = 0,
): HostError {
  const err = scriptErrorFrom(e, file, lineOffset)
  if (err.name === 'InvariantViolation' && !err.outcome) {
    try {
      err.outcome = collect() ?? undefined
    } catch {
      // The state does not collect (it is broken beyond formatting): report the error alone.
    }
  }
  return err
}

/** Renders a wire error for a terminal: `hello.ts:12:5 ScriptError: TypeError: ...`. */
export function formatWireError(err: WireError): string {
  return err.name === 'ScriptSyntaxError' || err.name === 'ScriptError'
    ? err.message
    : `${err.name}: ${err.message}`
}
