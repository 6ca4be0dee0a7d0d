/**
 * Test helper shared by the engine/api tests: runs a workload module (an object with
 * `default`, and optionally `machine` and `variants`) through WorkloadRun and the guest kernel
 * in this realm, stepping the scheduler with a macrotask between events so every continuation
 * runs first, as the sandbox runners do. Node-only (setImmediate), so `*.testutil.ts` files are
 * type-checked with the node target and kept out of the engine build.
 */
import type { Machine } from '../mm'
import { CURRENT_REALM } from '../sched/realm'
import { buildGuest } from './guestKernel'
import type { Kernel } from './mmwb'
import { WorkloadRun, type RunOutcome } from './run'
import { MMWB_CONSTANTS } from './runtime'

export interface TestModule {
  default: (k: Kernel) => unknown
  machine?: object
  variants?: object
}

/** Runs `mod` to the end; returns the outcome, the run and its machine. */
export async function runModule(
  mod: TestModule,
  opts: { seed?: number; variant?: string } = {},
): Promise<RunOutcome & { run: WorkloadRun; m: Machine }> {
  const run = new WorkloadRun({
    seed: opts.seed ?? 1,
    variant: opts.variant,
    realm: CURRENT_REALM,
    log: () => {},
  })
  const guest = buildGuest(run.sys, { ...MMWB_CONSTANTS })
  guest.setConstants(run.start(mod, guest.kernel))
  while (!run.check()) {
    run.step()
    await new Promise((r) => setImmediate(r))
  }
  return { ...run.collect(), run, m: machineOf(run) }
}

/** The machine behind a run, for white-box checks of what the API did to the model. */
export function machineOf(run: WorkloadRun): Machine {
  const m = run.currentMachine()
  if (m === null) throw new Error('the run has not started')
  return m
}
