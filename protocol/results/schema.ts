/**
 * Validation of result files: a RunResult (`mmwb run --json`, a `result` message) and an
 * ExperimentResult (`mmwb compare --json`). Every field is checked, and every problem is
 * reported with the JSON path of the bad value, e.g.
 * `series["compact_success"][3][1]: expected a finite number`.
 *
 * Versioning (docs/results-schema.md): a reader accepts every version up to its own and
 * refuses newer files with a message that says so; fields it does not know are kept, not
 * rejected, so additive changes need no version bump.
 */
import { RESULT_SCHEMA_VERSION, type RunResult } from '../result'
import { EXPERIMENT_SCHEMA_VERSION, type ExperimentResult } from './experiment'

/** One problem found in a result file. */
export interface SchemaIssue {
  /** JSON path of the offending value (`runs[2].vmstat["compact_stall"]`); "" for the root. */
  path: string
  message: string
}

/** A result file failed validation. `issues` lists every problem found (up to 50). */
export class ResultSchemaError extends Error {
  override name = 'ResultSchemaError'
  constructor(readonly issues: SchemaIssue[]) {
    const lines = issues.slice(0, 10).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    if (issues.length > 10) lines.push(`... and ${issues.length - 10} more`)
    super(lines.length === 1 ? lines[0] : `invalid result file:\n  ${lines.join('\n  ')}`)
  }
}

const MAX_ISSUES = 50
/** Nesting limit of `machine`, which guards against cyclic in-memory objects. */
const MAX_DEPTH = 64

type Obj = Record<string, unknown>

/** JSON path helpers: fields as `.name`, record keys as `["key"]`, indices as `[3]`. */
const field = (path: string, name: string): string => (path ? `${path}.${name}` : name)
const key = (path: string, k: string): string => `${path}[${JSON.stringify(k)}]`
const index = (path: string, i: number): string => `${path}[${i}]`

class Checker {
  readonly issues: SchemaIssue[] = []

  fail(path: string, message: string): false {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ path, message })
    return false
  }

  object(v: unknown, path: string): v is Obj {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return true
    return this.fail(path, `expected an object, got ${describe(v)}`)
  }

  array(v: unknown, path: string): v is unknown[] {
    if (Array.isArray(v)) return true
    return this.fail(path, `expected an array, got ${describe(v)}`)
  }

  string(v: unknown, path: string): v is string {
    if (typeof v === 'string') return true
    return this.fail(path, `expected a string, got ${describe(v)}`)
  }

  finite(v: unknown, path: string): v is number {
    if (typeof v === 'number' && Number.isFinite(v)) return true
    return this.fail(path, `expected a finite number, got ${describe(v)}`)
  }

  nonNegative(v: unknown, path: string): v is number {
    if (!this.finite(v, path)) return false
    if (v >= 0) return true
    return this.fail(path, `expected a number >= 0, got ${v}`)
  }

  count(v: unknown, path: string): v is number {
    if (!this.finite(v, path)) return false
    if (Number.isSafeInteger(v) && v >= 0) return true
    return this.fail(path, `expected an integer >= 0, got ${v}`)
  }

  jsonValue(v: unknown, path: string, depth: number): boolean {
    if (depth > MAX_DEPTH) return this.fail(path, `nested deeper than ${MAX_DEPTH} levels`)
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return true
    if (typeof v === 'number') return this.finite(v, path)
    if (Array.isArray(v)) {
      let ok = true
      v.forEach((e, i) => (ok = this.jsonValue(e, index(path, i), depth + 1) && ok))
      return ok
    }
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      let ok = true
      for (const [k, e] of Object.entries(v)) ok = this.jsonValue(e, key(path, k), depth + 1) && ok
      return ok
    }
    return this.fail(path, `expected a JSON value, got ${describe(v)}`)
  }

  /** `schemaVersion`: an integer >= 1; newer than `supported` stops validation at once. */
  version(v: unknown, path: string, supported: number, what: string): boolean {
    if (!this.finite(v, path)) return false
    if (!Number.isSafeInteger(v) || v < 1)
      return this.fail(path, `expected an integer >= 1, got ${v}`)
    if (v > supported) {
      throw new ResultSchemaError([
        {
          path,
          message:
            `this ${what} has schema version ${v}, newer than this MM Workbench reads ` +
            `(up to ${supported}); update MM Workbench to read it`,
        },
      ])
    }
    return true
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v)
  if (typeof v === 'string')
    return `a string (${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)})`
  return typeof v === 'object' ? 'an object' : typeof v
}

function checkSeries(c: Checker, v: unknown, path: string, simTimeNs: number | null): void {
  if (!c.object(v, path)) return
  for (const [name, points] of Object.entries(v)) {
    const sPath = key(path, name)
    if (name === '') c.fail(sPath, 'series names must not be empty')
    if (!c.array(points, sPath)) continue
    let lastTimeNs = -Infinity
    points.forEach((p, i) => {
      const pPath = index(sPath, i)
      if (!c.array(p, pPath)) return
      if (p.length !== 2) {
        c.fail(pPath, `expected a [timeNs, value] pair, got ${p.length} elements`)
        return
      }
      const [timeNs, value] = p
      c.finite(value, index(pPath, 1))
      if (!c.nonNegative(timeNs, index(pPath, 0))) return
      // Simulated time only moves forward, so a series is ordered by time and ends by the end.
      if (timeNs < lastTimeNs) {
        c.fail(
          index(pPath, 0),
          `time ${timeNs} ns goes backwards (previous point at ${lastTimeNs} ns)`,
        )
      } else if (simTimeNs !== null && timeNs > simTimeNs) {
        c.fail(index(pPath, 0), `time ${timeNs} ns is after the end of the run (${simTimeNs} ns)`)
      }
      lastTimeNs = Math.max(lastTimeNs, timeNs)
    })
  }
}

/** The optional parts of a RunResult: histograms, events, violation, expect. */
function checkOptionalRunFields(c: Checker, v: Obj, path: string): void {
  const hPath = field(path, 'histograms')
  if (v.histograms !== undefined && c.object(v.histograms, hPath)) {
    for (const [name, h] of Object.entries(v.histograms)) {
      const p = key(hPath, name)
      if (!c.object(h, p)) continue
      if (h.unit !== 'ns') c.fail(field(p, 'unit'), `expected "ns", got ${describe(h.unit)}`)
      c.count(h.count, field(p, 'count'))
      c.nonNegative(h.sum, field(p, 'sum'))
      c.nonNegative(h.min, field(p, 'min'))
      c.nonNegative(h.max, field(p, 'max'))
      if (c.array(h.buckets, field(p, 'buckets'))) {
        h.buckets.forEach((b, i) => c.count(b, index(field(p, 'buckets'), i)))
      }
    }
  }
  const ePath = field(path, 'events')
  if (v.events !== undefined && c.array(v.events, ePath)) {
    v.events.forEach((e, i) => {
      const p = index(ePath, i)
      if (!c.object(e, p)) return
      c.nonNegative(e.timeNs, field(p, 'timeNs'))
      c.string(e.kind, field(p, 'kind'))
      if (c.object(e.fields, field(p, 'fields'))) {
        for (const [k, x] of Object.entries(e.fields)) {
          if (typeof x === 'number') c.finite(x, key(field(p, 'fields'), k))
          else if (typeof x !== 'string' && typeof x !== 'boolean')
            c.fail(key(field(p, 'fields'), k), `expected a number, string or boolean, got ${describe(x)}`)
        }
      }
    })
  }
  const vPath = field(path, 'violation')
  if (v.violation !== undefined && c.object(v.violation, vPath)) {
    c.string(v.violation.rule, field(vPath, 'rule'))
    c.finite(v.violation.pfn, field(vPath, 'pfn'))
    c.string(v.violation.event, field(vPath, 'event'))
    c.string(v.violation.message, field(vPath, 'message'))
    c.nonNegative(v.violation.timeNs, field(vPath, 'timeNs'))
  }
  const xPath = field(path, 'expect')
  if (v.expect !== undefined && c.object(v.expect, xPath)) {
    c.string(v.expect.invariantViolation, field(xPath, 'invariantViolation'))
    if (typeof v.expect.met !== 'boolean')
      c.fail(field(xPath, 'met'), `expected a boolean, got ${describe(v.expect.met)}`)
  }
}

function checkRunResult(c: Checker, v: unknown, path: string): v is RunResult {
  const before = c.issues.length
  if (!c.object(v, path)) return false
  c.version(v.schemaVersion, field(path, 'schemaVersion'), RESULT_SCHEMA_VERSION, 'result')
  c.string(v.script, field(path, 'script'))
  c.count(v.seed, field(path, 'seed'))
  if (v.variant === '' || (v.variant !== null && typeof v.variant !== 'string')) {
    c.fail(field(path, 'variant'), `expected a variant name or null, got ${describe(v.variant)}`)
  }
  if (c.object(v.machine, field(path, 'machine'))) c.jsonValue(v.machine, field(path, 'machine'), 0)
  const simOk = c.nonNegative(v.simTimeNs, field(path, 'simTimeNs'))
  checkSeries(c, v.series, field(path, 'series'), simOk ? (v.simTimeNs as number) : null)
  const vmstatPath = field(path, 'vmstat')
  if (c.object(v.vmstat, vmstatPath)) {
    for (const [name, value] of Object.entries(v.vmstat)) c.count(value, key(vmstatPath, name))
  }
  const procPath = field(path, 'proc')
  if (c.object(v.proc, procPath)) {
    for (const [file, text] of Object.entries(v.proc)) {
      if (!file.startsWith('/')) c.fail(key(procPath, file), 'expected an absolute path as key')
      c.string(text, key(procPath, file))
    }
  }
  const logPath = field(path, 'log')
  if (c.array(v.log, logPath)) v.log.forEach((line, i) => c.string(line, index(logPath, i)))
  const wallPath = field(path, 'wall')
  if (c.object(v.wall, wallPath)) c.nonNegative(v.wall.elapsedMs, field(wallPath, 'elapsedMs'))
  checkOptionalRunFields(c, v, path)
  return c.issues.length === before
}

/**
 * Checks that `data` (typically from `JSON.parse`) is a RunResult this build can read, and
 * returns it typed. Throws ResultSchemaError listing every problem, each with its JSON path;
 * a result with a newer `schemaVersion` is refused with a message that says so.
 *
 * @example validateRunResult(JSON.parse(text)).vmstat['compact_stall']
 */
export function validateRunResult(data: unknown): RunResult {
  const c = new Checker()
  if (!checkRunResult(c, data, '')) throw new ResultSchemaError(c.issues)
  return data as RunResult
}

/**
 * Checks that `data` is an ExperimentResult this build can read, every run included, and
 * that the runs agree with the header: same script, a declared variant (or null when none is
 * declared), a listed seed, and no (variant, seed) pair twice. Throws ResultSchemaError.
 */
export function validateExperiment(data: unknown): ExperimentResult {
  const c = new Checker()
  if (!c.object(data, '')) throw new ResultSchemaError(c.issues)
  c.version(data.schemaVersion, 'schemaVersion', EXPERIMENT_SCHEMA_VERSION, 'experiment')
  const scriptOk = c.string(data.script, 'script')
  const variants = new Set<string>()
  if (c.array(data.variants, 'variants')) {
    data.variants.forEach((name, i) => {
      if (!c.string(name, index('variants', i))) return
      if (name === '') c.fail(index('variants', i), 'variant names must not be empty')
      else if (variants.has(name)) c.fail(index('variants', i), `variant "${name}" is listed twice`)
      variants.add(name)
    })
  }
  const seeds = new Set<number>()
  if (c.array(data.seeds, 'seeds')) {
    data.seeds.forEach((seed, i) => {
      if (!c.count(seed, index('seeds', i))) return
      if (seeds.has(seed)) c.fail(index('seeds', i), `seed ${seed} is listed twice`)
      seeds.add(seed)
    })
  }
  if (c.array(data.runs, 'runs')) {
    const seen = new Set<string>()
    data.runs.forEach((run, i) => {
      const path = index('runs', i)
      if (!checkRunResult(c, run, path)) return
      if (scriptOk && run.script !== data.script) {
        c.fail(
          field(path, 'script'),
          `expected "${data.script}" like the experiment, got "${run.script}"`,
        )
      }
      if (run.variant === null ? variants.size > 0 : !variants.has(run.variant)) {
        const declared =
          variants.size > 0 ? [...variants].join(', ') : 'none (variant must be null)'
        c.fail(
          field(path, 'variant'),
          `${JSON.stringify(run.variant)} is not a declared variant: ${declared}`,
        )
      }
      if (!seeds.has(run.seed)) c.fail(field(path, 'seed'), `seed ${run.seed} is not in seeds`)
      const pair = JSON.stringify([run.variant, run.seed])
      if (seen.has(pair)) {
        c.fail(path, `a second run of variant ${JSON.stringify(run.variant)} with seed ${run.seed}`)
      }
      seen.add(pair)
    })
  }
  if (c.issues.length > 0) throw new ResultSchemaError(c.issues)
  return data as unknown as ExperimentResult
}
