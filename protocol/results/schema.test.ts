import { describe, expect, it } from 'vitest'
import { ResultSchemaError, validateExperiment, validateRunResult } from './schema'
import { sampleExperiment, sampleRunResult } from './fixtures'

/** Results broken on purpose need untyped access. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>

/** The message of the error `fn` throws (fails the test if it does not throw). */
function errorOf(fn: () => unknown): ResultSchemaError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(ResultSchemaError)
    return e as ResultSchemaError
  }
  throw new Error('expected a ResultSchemaError')
}

/** A deep copy with `edit` applied, so each case breaks exactly one thing. */
function broken(edit: (r: Loose) => void): unknown {
  const r = JSON.parse(JSON.stringify(sampleRunResult()))
  edit(r)
  return r
}

describe('validateRunResult', () => {
  it('accepts a complete result, also after a JSON round trip, and returns it', () => {
    const r = sampleRunResult()
    expect(validateRunResult(r)).toBe(r)
    expect(validateRunResult(JSON.parse(JSON.stringify(r)))).toEqual(r)
  })

  it('names the JSON path of a bad series value', () => {
    const e = errorOf(() =>
      validateRunResult(
        broken(
          (r) =>
            (r.series.compact_success = [
              [0, 1],
              [1, 2],
              [2, 3],
              [3, 'x'],
            ]),
        ),
      ),
    )
    expect(e.message).toBe(
      'series["compact_success"][3][1]: expected a finite number, got a string ("x")',
    )
    expect(e.issues).toEqual([
      { path: 'series["compact_success"][3][1]', message: expect.any(String) },
    ])
  })

  it('rejects NaN and Infinity that a JS producer could hand over before serialising', () => {
    const r = sampleRunResult()
    r.series.latencyNs[1][1] = NaN
    r.vmstat.compact_stall = Infinity
    const e = errorOf(() => validateRunResult(r))
    expect(e.issues.map((i) => i.path)).toEqual([
      'series["latencyNs"][1][1]',
      'vmstat["compact_stall"]',
    ])
    expect(e.message).toContain('got NaN')
  })

  it('checks every field', () => {
    const cases: [(r: Loose) => void, string][] = [
      [(r) => delete r.script, 'script: expected a string, got undefined'],
      [(r) => (r.seed = -1), 'seed: expected an integer >= 0, got -1'],
      [(r) => (r.seed = 1.5), 'seed: expected an integer >= 0, got 1.5'],
      [(r) => (r.variant = 3), 'variant: expected a variant name or null, got 3'],
      [(r) => (r.variant = ''), 'variant: expected a variant name or null, got a string ("")'],
      [(r) => (r.machine = []), 'machine: expected an object, got an array'],
      [(r) => (r.simTimeNs = -5), 'simTimeNs: expected a number >= 0, got -5'],
      [(r) => (r.series = null), 'series: expected an object, got null'],
      [
        (r) => (r.series.x = [[1, 2, 3]]),
        'series["x"][0]: expected a [timeNs, value] pair, got 3 elements',
      ],
      [(r) => (r.series.x = [[-1, 2]]), 'series["x"][0][0]: expected a number >= 0, got -1'],
      [
        (r) => (r.vmstat.pgmigrate_success = 2.5),
        'vmstat["pgmigrate_success"]: expected an integer >= 0, got 2.5',
      ],
      [(r) => (r.proc['/proc/vmstat'] = 1), 'proc["/proc/vmstat"]: expected a string, got 1'],
      [(r) => (r.proc['buddyinfo'] = ''), 'proc["buddyinfo"]: expected an absolute path as key'],
      [(r) => (r.log = ['a', 2]), 'log[1]: expected a string, got 2'],
      [(r) => delete r.wall.elapsedMs, 'wall.elapsedMs: expected a finite number, got undefined'],
      [(r) => (r.schemaVersion = 0), 'schemaVersion: expected an integer >= 1, got 0'],
    ]
    for (const [edit, message] of cases) {
      expect(errorOf(() => validateRunResult(broken(edit))).message).toBe(message)
    }
  })

  it('checks that machine is plain JSON', () => {
    const r = sampleRunResult()
    ;(r.machine as Record<string, unknown>).zones = [{ name: 'Normal', pages: undefined }]
    expect(errorOf(() => validateRunResult(r)).message).toBe(
      'machine["zones"][0]["pages"]: expected a JSON value, got undefined',
    )
  })

  it('requires series in simulated-time order and within the run', () => {
    const backwards = broken(
      (r) =>
        (r.series.x = [
          [10, 1],
          [5, 2],
        ]),
    )
    expect(errorOf(() => validateRunResult(backwards)).message).toBe(
      'series["x"][1][0]: time 5 ns goes backwards (previous point at 10 ns)',
    )
    const late = broken((r) => (r.series.x = [[5_000_001, 1]]))
    expect(errorOf(() => validateRunResult(late)).message).toBe(
      'series["x"][0][0]: time 5000001 ns is after the end of the run (5000000 ns)',
    )
  })

  it('lists several problems at once', () => {
    const e = errorOf(() => validateRunResult(broken((r) => ((r.seed = 'a'), (r.log = 'b')))))
    expect(e.issues).toHaveLength(2)
    expect(e.message).toBe(
      'invalid result file:\n  seed: expected a finite number, got a string ("a")\n  log: expected an array, got a string ("b")',
    )
  })

  it('refuses a newer schemaVersion with a clear message', () => {
    const e = errorOf(() => validateRunResult(broken((r) => (r.schemaVersion = 2))))
    expect(e.message).toBe(
      'schemaVersion: this result has schema version 2, newer than this MM Workbench reads (up to 1); update MM Workbench to read it',
    )
  })

  it('keeps fields it does not know (additive changes need no version bump)', () => {
    const r = broken((r) => (r.futureField = { allocLatencyNs: [] }))
    expect(validateRunResult(r)).toHaveProperty('futureField')
  })

  it('rejects a non-object', () => {
    expect(errorOf(() => validateRunResult('x')).message).toBe(
      'expected an object, got a string ("x")',
    )
  })
})

describe('validateExperiment', () => {
  it('accepts a two-variant, three-seed experiment', () => {
    const x = sampleExperiment()
    expect(validateExperiment(JSON.parse(JSON.stringify(x)))).toEqual(x)
  })

  it('prefixes run errors with runs[i]', () => {
    const x = JSON.parse(JSON.stringify(sampleExperiment()))
    x.runs[2].series.latencyNs[0][1] = null
    expect(errorOf(() => validateExperiment(x)).message).toBe(
      'runs[2].series["latencyNs"][0][1]: expected a finite number, got null',
    )
  })

  it('checks that the runs agree with the header', () => {
    const x = JSON.parse(JSON.stringify(sampleExperiment()))
    x.runs[0].variant = 'other'
    x.runs[1].seed = 9
    x.runs[2].script = 'b.ts'
    x.runs[5] = { ...x.runs[3] }
    const e = errorOf(() => validateExperiment(x))
    expect(e.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'runs[0].variant: "other" is not a declared variant: baseline, nofallback',
      'runs[1].seed: seed 9 is not in seeds',
      'runs[2].script: expected "examples/fragment.ts" like the experiment, got "b.ts"',
      'runs[5]: a second run of variant "nofallback" with seed 1',
    ])
  })

  it('wants variant null in every run when no variant is declared', () => {
    const x = JSON.parse(JSON.stringify(sampleExperiment()))
    x.variants = []
    x.runs = [x.runs[0]]
    expect(errorOf(() => validateExperiment(x)).message).toBe(
      'runs[0].variant: "baseline" is not a declared variant: none (variant must be null)',
    )
  })

  it('rejects duplicate variants and seeds, and newer versions', () => {
    const x = JSON.parse(JSON.stringify(sampleExperiment()))
    x.variants.push('baseline')
    x.seeds.push(1)
    expect(errorOf(() => validateExperiment(x)).issues.map((i) => i.message)).toEqual([
      'variant "baseline" is listed twice',
      'seed 1 is listed twice',
    ])
    const newer = { ...sampleExperiment(), schemaVersion: 7 }
    expect(errorOf(() => validateExperiment(newer)).message).toContain(
      'experiment has schema version 7',
    )
  })
})
