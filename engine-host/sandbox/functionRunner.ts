/**
 * Runs a workload without node:vm, for the Web Worker (web mode). The compiled module is
 * evaluated with `new Function`, whose parameters shadow the worker's globals (self, fetch,
 * importScripts, postMessage, ...), and the worker transport additionally removes those
 * globals before any script runs (worker.ts). The guest API is the same as under node:vm.
 *
 * Driving: after each scheduler event the runner awaits a macrotask (a MessageChannel
 * message), so the user's continuations (microtasks) run to completion before the next
 * event, as the scheduler requires. Cancellation and the budget are checked between events.
 *
 * Limits of this runner, by design: code that never yields (a `for (;;) {}` with no await)
 * cannot be interrupted from inside the worker. The client enforces the budget from outside:
 * if no result or error arrives within budget plus a grace period, it terminates the worker
 * and starts a new one (the renderer does this; see docs of engine-host/transports/worker.ts).
 */
import { buildGuest } from '../../engine/api/guestKernel'
import { WorkloadRun, type RunOutcome } from '../../engine/api/run'
import { MMWB_CONSTANTS } from '../../engine/api/runtime'
import { CURRENT_REALM } from '../../engine/sched/realm'
import { HostError, runErrorFrom } from '../errors'
import { SLICE_MS, type RunJob, type ScriptRunner } from './types'

/** Globals a workload must not reach; shadowed by parameters of the module function. */
export const SHADOWED_GLOBALS = [
  'self',
  'globalThis',
  'window',
  'fetch',
  'importScripts',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
  'postMessage',
  'onmessage',
  'close',
  'indexedDB',
  'caches',
  'navigator',
  'location',
  'BroadcastChannel',
  'Worker',
  'SharedWorker',
  'MessageChannel',
  'setTimeout',
  'setInterval',
  'process',
] as const

let lineOffsetCache: number | undefined
/** Lines `new Function` puts before the body (2 in V8: "function anonymous(...\n) {\n"). */
function functionLineOffset(): number {
  if (lineOffsetCache === undefined) {
    const probe = new Function(
      'return new Error().stack\n//# sourceURL=mmwb-line-probe',
    ) as () => string
    const m = /mmwb-line-probe:(\d+)/.exec(probe())
    lineOffsetCache = m ? Number(m[1]) - 1 : 2
  }
  return lineOffsetCache
}

// Captured at load: worker.ts removes worker globals before any script runs.
const Channel = MessageChannel

function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new Channel()
    ch.port1.onmessage = () => {
      ch.port1.close()
      resolve()
    }
    ch.port2.postMessage(null)
  })
}

export class FunctionRunner implements ScriptRunner {
  async execute(job: RunJob): Promise<RunOutcome> {
    const startMs = performance.now()
    const overBudget = (): boolean => performance.now() - startMs > job.budgetMs
    const offset = functionLineOffset()
    const run = new WorkloadRun({
      seed: job.seed,
      variant: job.variant,
      trace: job.trace,
      realm: CURRENT_REALM,
      log: job.onLog,
    })
    const guest = buildGuest(run.sys, { ...MMWB_CONSTANTS })
    const timeout = (): HostError =>
      new HostError(
        'ScriptTimeout',
        `the script exceeded its time budget of ${job.budgetMs} ms and was stopped`,
      )
    try {
      const fn = new Function(
        'exports',
        'require',
        'module',
        'console',
        ...SHADOWED_GLOBALS,
        `${job.code}\n//# sourceURL=${job.file}`,
      ) as (...args: unknown[]) => void
      const mod: { exports: Record<string, unknown> } = { exports: {} }
      fn.call(
        mod.exports,
        mod.exports,
        guest.require,
        mod,
        guest.console,
        ...SHADOWED_GLOBALS.map(() => undefined),
      )
      if (overBudget()) throw timeout()
      guest.setConstants(run.start(mod.exports, guest.kernel))
      let sliceStart = performance.now()
      while (!run.check()) {
        if (job.isCancelled()) throw new HostError('ScriptCancelled', 'the run was cancelled')
        if (overBudget()) throw timeout()
        run.step()
        await macrotask()
        if (performance.now() - sliceStart > SLICE_MS) {
          job.onTick(run)
          sliceStart = performance.now()
        }
      }
      job.onTick(run)
      return run.collect()
    } catch (e) {
      throw runErrorFrom(e, job.file, () => run.collectAfterViolation(), offset)
    }
  }
}
