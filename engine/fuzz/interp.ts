/**
 * Runs a fuzz program in this realm, the way the sandbox runners run a script (WorkloadRun +
 * the guest Kernel object), with the full invariant checker (engine/mm/invariants.ts) after
 * every operation on top of the machine's `debugVm` hot-path checks. Only model bugs count as
 * failures: an InvariantViolation, an InternalError (a TypeError/ReferenceError inside the
 * simulator), or a deadlock (the programs never leave a lock held or a task unjoined). Errors the API documents for bad use (ConfigError, RangeError, use after free)
 * are outcomes, counted apart.
 */
import { buildGuest } from '../api/guestKernel'
import type { Kernel } from '../api/mmwb'
import { DeadlockError, WorkloadRun, type RunOutcome } from '../api/run'
import { MMWB_CONSTANTS } from '../api/runtime'
import { checkInvariants, InvariantError } from '../mm'
import { CURRENT_REALM } from '../sched/realm'
import type { Ctx } from './opTypes'
import { OPS } from './ops'
import type { Program } from './program'

export interface FuzzFailure {
  kind: 'InvariantViolation' | 'InternalError' | 'Deadlock'
  /** The invariant's rule, or the error message with numbers blanked (InternalError). */
  rule: string
  message: string
  /** Index of the op that was running (ops.length: the end-of-run check). */
  opIndex: number
}

export interface ProgramOutcome {
  failure: FuzzFailure | null
  /** A documented error the program ran into (it then stopped), or null. */
  userError: string | null
  /** Ops completed. */
  opsRun: number
  /** The run hit the step limit (a program that sleeps for long): stopped, not a failure. */
  stepLimit: boolean
  /** The run's result when it finished cleanly (what `mmwb run --json` writes, less the host's fields). */
  result?: RunOutcome
}

export interface RunOptions {
  /** Lets queued promise jobs run (a macrotask turn: setImmediate in Node). */
  macrotask: () => Promise<void>
  /** Full invariant check every `checkEvery` ops (default 1). */
  checkEvery?: number
  /** Scheduler steps before giving up (default 200000). */
  maxSteps?: number
}

/** The failure an error stands for, or null when it is a documented outcome. */
export function classify(e: unknown, opIndex: number): FuzzFailure | null {
  const err = e as { name?: string; message?: string; violation?: { rule: string } }
  const name = String(err?.name ?? 'Error')
  const message = String(err?.message ?? e)
  if (name === 'InvariantError' || name === 'InvariantViolation') {
    const rule = err.violation?.rule ?? message.split(' ')[0]
    return { kind: 'InvariantViolation', rule, message, opIndex }
  }
  // The programs never hold a lock or wait on a task across ops: a deadlock is the scheduler's.
  if (e instanceof DeadlockError) {
    const rule = message.replace(/\d+/g, 'N').slice(0, 120)
    return { kind: 'Deadlock', rule, message, opIndex }
  }
  if (['InternalError', 'TypeError', 'ReferenceError', 'SyntaxError'].includes(name)) {
    const rule = message.replace(/0x[0-9a-f]+|\d+/g, 'N').slice(0, 120)
    return { kind: 'InternalError', rule, message: `${name}: ${message}`, opIndex }
  }
  return null
}

export async function runProgram(p: Program, opts: RunOptions): Promise<ProgramOutcome> {
  // Seed 1, as `mmwb run` uses by default, so the printed script replays the same run.
  const run = new WorkloadRun({ seed: 1, realm: CURRENT_REALM, log: () => {} })
  const guest = buildGuest(run.sys, { ...MMWB_CONSTANTS })
  const every = opts.checkEvery ?? 1
  const out: ProgramOutcome = { failure: null, userError: null, opsRun: 0, stepLimit: false }
  const x: Ctx = {
    k: guest.kernel as Kernel,
    C: {},
    h: [],
    p: [],
    c: [],
    r: [],
    t: [],
    traced: { n: 0 },
  }
  const mod = {
    machine: JSON.parse(JSON.stringify(p.machine)) as object,
    default: async (): Promise<void> => {
      for (let i = 0; i < p.ops.length; i++) {
        await OPS[p.ops[i].op].exec(x, p.ops[i])
        out.opsRun = i + 1
        if ((i + 1) % every === 0) {
          const v = checkInvariants(run.currentMachine()!)
          if (v) throw new InvariantError(v)
        }
      }
    },
  }
  try {
    x.C = run.start(mod, guest.kernel)
    guest.setConstants(x.C)
    for (let steps = 0; !run.check(); steps++) {
      if (steps >= (opts.maxSteps ?? 200_000)) {
        out.stepLimit = true
        return out
      }
      run.step()
      await opts.macrotask()
    }
    out.result = run.collect()
  } catch (e) {
    out.failure = classify(e, out.opsRun)
    if (!out.failure) out.userError = `${(e as Error)?.name}: ${(e as Error)?.message}`
  }
  return out
}
