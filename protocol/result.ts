/**
 * The result of one run: versioned, JSON-serialisable, and identical for the same script,
 * seed and configuration (no wall-clock fields outside `wall`).
 */

/** Bumped on any incompatible change of RunResult. */
export const RESULT_SCHEMA_VERSION = 1

/** One point of a series: simulated time in ns, and the value. */
export type SeriesPoint = [timeNs: number, value: number]

/**
 * A latency histogram in simulated ns with log2 buckets: `buckets[0]` counts values below 2,
 * `buckets[i]` (i ≥ 1) values in [2^i, 2^(i+1)). Count, sum, min and max are exact.
 */
export interface LatencyHistogram {
  unit: 'ns'
  count: number
  sum: number
  min: number
  max: number
  buckets: number[]
}

/** An outcome record of a run (a cma_alloc, an alloc_contig_range, a virtio-mem request, ...). */
export interface RunEventRecord {
  /** Simulated time the operation started, in ns. */
  timeNs: number
  /** What happened: 'cma_alloc', 'alloc_contig_range', 'virtio_mem', 'migrate_pages', ... */
  kind: string
  /** Its figures, by name (`ret`, `outcome`, `latencyNs`, ...). */
  fields: Record<string, number | string | boolean>
}

/** The invariant violation a run ended with, when its variant declared it expected one. */
export interface RunViolation {
  /** The checker's rule, e.g. 'refcount-underflow'. */
  rule: string
  /** The page it concerns, or -1. */
  pfn: number
  /** The kernel operation in progress. */
  event: string
  message: string
  /** Simulated time of the report, in ns. */
  timeNs: number
}

export interface RunResult {
  schemaVersion: number
  /** Display path of the script. */
  script: string
  seed: number
  variant: string | null
  /** The validated machine configuration the run used (engine MachineConfig, as plain JSON). */
  machine: Record<string, unknown>
  /** Simulated time at the end of the run, in ns. */
  simTimeNs: number
  /** Series recorded by the script with `record(name, value)` and by the engine. */
  series: Record<string, SeriesPoint[]>
  /** /proc/vmstat counters at the end of the run, by the kernel's names. */
  vmstat: Record<string, number>
  /** Kernel text files at the end of the run, keyed by path (e.g. "/proc/buddyinfo"). */
  proc: Record<string, string>
  /** Lines the script printed with `console.log`. */
  log: string[]
  /** Non-deterministic facts about the run; excluded from determinism comparisons. */
  wall: { elapsedMs: number }
  /** Latency histograms recorded by the engine, by name (optional, added in 0.1). */
  histograms?: Record<string, LatencyHistogram>
  /** Outcome records, in simulated time order of recording (optional). */
  events?: RunEventRecord[]
  /** The invariant violation that ended the run (only when the variant expected one). */
  violation?: RunViolation
  /** The variant's declared expectation and whether the run met it. */
  expect?: { invariantViolation: string; met: boolean }
}
