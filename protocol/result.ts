/**
 * The result of one run: versioned, JSON-serialisable, and identical for the same script,
 * seed and configuration (no wall-clock fields outside `wall`).
 */

/** Bumped on any incompatible change of RunResult. */
export const RESULT_SCHEMA_VERSION = 1

/** One point of a series: simulated time in ns, and the value. */
export type SeriesPoint = [timeNs: number, value: number]

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
}
