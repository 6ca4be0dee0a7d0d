/**
 * An experiment: one workload script run for every (variant, seed) pair. This is what
 * `mmwb compare --json` writes and what the comparison table is built from.
 */
import type { RunResult } from '../result'

/** Bumped on any incompatible change of ExperimentResult (independent of RunResult's version). */
export const EXPERIMENT_SCHEMA_VERSION = 1

/** The column name used for runs of the base machine (`variant: null`). */
export const BASE_VARIANT_LABEL = 'base'

/** The file `mmwb compare --json` writes: every run of one script over variants and seeds. */
export interface ExperimentResult {
  schemaVersion: number
  /** Display path of the script, as in every run. */
  script: string
  /**
   * Variant names in column order; the first is the baseline of comparisons. Empty when the
   * script declares no variants, in which case every run has `variant: null`.
   */
  variants: string[]
  /** Seeds in the order they were run. */
  seeds: number[]
  /** One result per (variant, seed) that completed; a cancelled experiment may lack some. */
  runs: RunResult[]
}

/** The column label of a run's variant (`null`, the base machine, is labelled "base"). */
export function variantLabel(variant: string | null): string {
  return variant ?? BASE_VARIANT_LABEL
}

/**
 * Assembles an ExperimentResult from finished runs, ordering them variant by variant, then
 * seed by seed, so the file is byte-identical however the runner scheduled the runs.
 */
export function makeExperiment(
  script: string,
  variants: readonly string[],
  seeds: readonly number[],
  runs: readonly RunResult[],
): ExperimentResult {
  const variantIndex = (v: string | null): number => (v === null ? -1 : variants.indexOf(v))
  const sorted = [...runs].sort(
    (a, b) =>
      variantIndex(a.variant) - variantIndex(b.variant) ||
      seeds.indexOf(a.seed) - seeds.indexOf(b.seed),
  )
  return {
    schemaVersion: EXPERIMENT_SCHEMA_VERSION,
    script,
    variants: [...variants],
    seeds: [...seeds],
    runs: sorted,
  }
}

/**
 * The runs of an experiment grouped by variant, in column order. With no declared variants
 * there is one group, labelled "base".
 */
export function runsByVariant(
  experiment: ExperimentResult,
): { variant: string | null; label: string; runs: RunResult[] }[] {
  const names: (string | null)[] = experiment.variants.length > 0 ? experiment.variants : [null]
  return names.map((variant) => ({
    variant,
    label: variantLabel(variant),
    runs: experiment.runs.filter((r) => r.variant === variant),
  }))
}
