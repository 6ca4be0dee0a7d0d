/**
 * What a sandbox runner does: evaluate a compiled workload in an isolated realm and drive its
 * run to the end within a wall-clock budget. Two implementations: vmRunner (node:vm; child
 * process and Electron utility process) and functionRunner (Web Worker, no node:vm).
 */
import type { RunOutcome, WorkloadRun } from '../../engine/api/run'

export interface RunJob {
  /** Compiled CommonJS code (transpile.ts); its lines are the user's lines. */
  code: string
  /** Display path of the script; also the filename in stack traces. */
  file: string
  seed: number
  variant?: string
  /** Record tracepoint hits (WorkloadRun.takeNewTrace). */
  trace?: boolean
  /** Wall-clock budget for evaluation plus the whole run, in ms. */
  budgetMs: number
  /** Polled between scheduler steps. */
  isCancelled(): boolean
  onLog(level: 'info' | 'warn', text: string): void
  /** Called every few ms of wall time while the run goes (progress, streamed series). */
  onTick(run: WorkloadRun): void
}

export interface ScriptRunner {
  execute(job: RunJob): Promise<RunOutcome>
}

/** How often runners hand control back to the host (cancel, ping, progress), in wall ms. */
export const SLICE_MS = 25
