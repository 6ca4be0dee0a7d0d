/**
 * What an experiment runs: every selected variant × every seed, in that order (variant by
 * variant, as makeExperiment orders results), and the state of each run for the run list.
 */
import type { WireError } from '../../../protocol/messages'
import type { RunResult } from '../../../protocol/result'
import { variantLabel } from '../../../protocol/results/experiment'

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'

export interface RunEntry {
  /** `variant/seed`, unique within an experiment. */
  key: string
  variant: string | null
  seed: number
  status: RunStatus
  /** 0..1, or -1 while the script does not report how far it is. */
  fraction: number
  simTimeNs: number
  error?: WireError
  result?: RunResult
}

export interface ExperimentPlan {
  /** Variant names to run; empty runs the base machine (the script declares no variants). */
  variants: string[]
  seeds: number[]
}

export function runKey(variant: string | null, seed: number): string {
  return `${variantLabel(variant)}/${seed}`
}

export function planEntries(plan: ExperimentPlan): RunEntry[] {
  const variants: (string | null)[] = plan.variants.length > 0 ? plan.variants : [null]
  return variants.flatMap((variant) =>
    plan.seeds.map((seed) => ({
      key: runKey(variant, seed),
      variant,
      seed,
      status: 'queued' as const,
      fraction: -1,
      simTimeNs: 0,
    })),
  )
}

/**
 * Parses the seeds field: integers >= 0 separated by commas or spaces, with `a-b` ranges
 * (`1-3, 7` = 1, 2, 3, 7). Duplicates are dropped, order kept. Returns an error text for
 * anything else, or for more than `max` seeds.
 */
export function parseSeeds(text: string, max = 64): number[] | string {
  const out: number[] = []
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (!m) return `"${part}" is not a seed (an integer >= 0, or a range like 1-5)`
    const lo = Number(m[1])
    const hi = m[2] === undefined ? lo : Number(m[2])
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo)
      return `"${part}" is not a valid range`
    for (let s = lo; s <= hi; s++) {
      if (!out.includes(s)) out.push(s)
      if (out.length > max) return `at most ${max} seeds per experiment`
    }
  }
  if (out.length === 0) return 'give at least one seed'
  return out
}

/** Names of errors that every run of the script would hit alike: stop the experiment. */
export const FATAL_ERRORS = new Set([
  'ScriptSyntaxError',
  'ConfigError',
  'ScriptCancelled',
  'EngineHostNotReady',
  'Busy',
])
