/**
 * The JSON `mmwb compare --json` writes (schema version 1):
 *
 * ```
 * {
 *   schemaVersion: 1,
 *   script: "resources/examples/lock-contention.ts",
 *   variants: [{ name: "base", description?: "..." }, ...],   // first = baseline
 *   seeds: [1, 2, 3],
 *   runs: RunResult[],                                         // protocol/result.ts, one per variant x seed
 *   metrics: [{
 *     name: "reader_lock_wait_ns mean",                        // see metrics.ts for the names
 *     section: "series" | "run" | "vmstat",
 *     byVariant: { base: { n, mean, sd, ci95, min, max }, ... },
 *     significant: { slowWakeup: true, ... }                   // vs the baseline, Welch 5%
 *   }]
 * }
 * ```
 */
import { InvalidMessageError, parseRunResult } from '../../protocol/guards'
import type { RunResult } from '../../protocol/result'
import type { Summary } from './stats'

export const COMPARISON_SCHEMA_VERSION = 1

export type MetricSection = 'series' | 'run' | 'vmstat'

export interface Metric {
  name: string
  section: MetricSection
  byVariant: Record<string, Summary>
  significant: Record<string, boolean>
}

export interface Comparison {
  schemaVersion: number
  script: string
  variants: { name: string; description?: string }[]
  seeds: number[]
  runs: RunResult[]
  metrics: Metric[]
}

type Obj = Record<string, unknown>
function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new InvalidMessageError(path, 'must be an object')
  return v as Obj
}
function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new InvalidMessageError(path, 'must be an array')
  return v
}
function num(v: unknown, path: string): number {
  // JSON turns NaN into null: an empty summary is allowed to carry nulls.
  if (v === null) return NaN
  if (typeof v !== 'number') throw new InvalidMessageError(path, 'must be a number')
  return v
}

/** Validates a parsed comparison JSON; throws InvalidMessageError naming the field. */
export function parseComparison(v: unknown): Comparison {
  const o = obj(v, 'comparison')
  if (o.schemaVersion !== COMPARISON_SCHEMA_VERSION) {
    throw new InvalidMessageError(
      'comparison.schemaVersion',
      `must be ${COMPARISON_SCHEMA_VERSION}`,
    )
  }
  if (typeof o.script !== 'string')
    throw new InvalidMessageError('comparison.script', 'must be a string')
  const variants = arr(o.variants, 'comparison.variants').map((x, i) => {
    const p = `comparison.variants[${i}]`
    const vo = obj(x, p)
    if (typeof vo.name !== 'string') throw new InvalidMessageError(`${p}.name`, 'must be a string')
    if (vo.description !== undefined && typeof vo.description !== 'string') {
      throw new InvalidMessageError(`${p}.description`, 'must be a string')
    }
    return vo.description === undefined
      ? { name: vo.name }
      : { name: vo.name, description: vo.description as string }
  })
  const names = new Set(variants.map((x) => x.name))
  const seeds = arr(o.seeds, 'comparison.seeds').map((s, i) => {
    if (!Number.isSafeInteger(s))
      throw new InvalidMessageError(`comparison.seeds[${i}]`, 'must be an integer')
    return s as number
  })
  const runs = arr(o.runs, 'comparison.runs').map((r, i) =>
    parseRunResult(r, `comparison.runs[${i}]`),
  )
  if (runs.length !== variants.length * seeds.length) {
    throw new InvalidMessageError('comparison.runs', 'must hold one run per variant and seed')
  }
  const metrics = arr(o.metrics, 'comparison.metrics').map((m, i) => {
    const p = `comparison.metrics[${i}]`
    const mo = obj(m, p)
    if (typeof mo.name !== 'string') throw new InvalidMessageError(`${p}.name`, 'must be a string')
    if (mo.section !== 'series' && mo.section !== 'run' && mo.section !== 'vmstat') {
      throw new InvalidMessageError(`${p}.section`, 'must be series, run or vmstat')
    }
    const byVariant: Record<string, Summary> = {}
    for (const [name, s] of Object.entries(obj(mo.byVariant, `${p}.byVariant`))) {
      if (!names.has(name))
        throw new InvalidMessageError(`${p}.byVariant.${name}`, 'is not a variant')
      const so = obj(s, `${p}.byVariant.${name}`)
      const f = (k: string) => num(so[k], `${p}.byVariant.${name}.${k}`)
      byVariant[name] = {
        n: f('n'),
        mean: f('mean'),
        sd: f('sd'),
        ci95: f('ci95'),
        min: f('min'),
        max: f('max'),
      }
    }
    const significant: Record<string, boolean> = {}
    for (const [name, s] of Object.entries(obj(mo.significant, `${p}.significant`))) {
      if (typeof s !== 'boolean')
        throw new InvalidMessageError(`${p}.significant.${name}`, 'must be a boolean')
      significant[name] = s
    }
    return { name: mo.name, section: mo.section, byVariant, significant } as Metric
  })
  return {
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    script: o.script,
    variants,
    seeds,
    runs,
    metrics,
  }
}
