/**
 * Small, hand-checkable results used by the tests of this folder and by examples in
 * docs/results-schema.md. Values are chosen so that means, deviations and CIs are easy to
 * compute by hand.
 */
import { RESULT_SCHEMA_VERSION, type RunResult } from '../result'
import { makeExperiment, type ExperimentResult } from './experiment'

/** A RunResult with every field filled. `compact_stall` is `stalls`; `latencyNs` ends at `lastLatencyNs`. */
export function sampleRunResult(
  opts: { seed?: number; variant?: string | null; stalls?: number; latencies?: number[] } = {},
): RunResult {
  const latencies = opts.latencies ?? [1000, 3000, 2000]
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    script: 'examples/fragment.ts',
    seed: opts.seed ?? 1,
    variant: opts.variant === undefined ? null : opts.variant,
    machine: { memoryMiB: 64, kernelEra: '6.10', zones: [{ name: 'Normal', pages: 16384 }] },
    simTimeNs: 5_000_000,
    series: {
      latencyNs: latencies.map((v, i) => [(i + 1) * 1_000_000, v]),
      free_pages: [
        [0, 16000],
        [2_500_000, 12000],
      ],
    },
    vmstat: {
      nr_free_pages: 12000,
      compact_stall: opts.stalls ?? 4,
      compact_success: 3,
      compact_fail: 1,
    },
    proc: {
      '/proc/buddyinfo':
        'Node 0, zone   Normal     10      5      2      1      0      0      0      0      0      0      0 \n',
    },
    log: ['start', 'done'],
    wall: { elapsedMs: 12.5 },
  }
}

/**
 * Two variants ("baseline", "nofallback") times three seeds. compact_stall is 4, 5, 6 in the
 * baseline (mean 5, s = 1) and 1, 2, 3 in nofallback (mean 2, s = 1): Welch df = 4,
 * t = 3/√(2/3) = 3.674, p = 0.021, significant at 0.05. latencyNs means differ by less than
 * their spread and are not significant.
 */
export function sampleExperiment(): ExperimentResult {
  const runs: RunResult[] = []
  const seeds = [1, 2, 3]
  seeds.forEach((seed, i) => {
    runs.push(
      sampleRunResult({
        seed,
        variant: 'baseline',
        stalls: 4 + i,
        latencies: [1000, 2000 + 1000 * i],
      }),
    )
    runs.push(
      sampleRunResult({
        seed,
        variant: 'nofallback',
        stalls: 1 + i,
        latencies: [1000, 2500 + 1000 * i],
      }),
    )
  })
  return makeExperiment('examples/fragment.ts', ['baseline', 'nofallback'], seeds, runs)
}
