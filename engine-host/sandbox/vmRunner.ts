/**
 * Runs a workload in a fresh node:vm context per run (Node-only: child process and Electron
 * utility process; never reachable from the Web Worker bundle).
 *
 * The context holds only the guest API (guestKernel.ts); no `process`, no Node `require`
 * (the module's `require` maps only 'mmwb'), no timers; `eval` and `new Function` are
 * disabled (`codeGeneration: { strings: false, wasm: false }`).
 *
 * Time budget. `microtaskMode: 'afterEvaluate'` gives the context its own microtask queue,
 * drained at the end of every evaluation in it. The run is driven in slices: each slice is
 * one `runInContext` with `timeout` = the budget left, inside which the host fires scheduler
 * events one at a time and, after each, drains the user's continuations by a nested
 * evaluation (`drainScript`). So every line of user code, including code after an `await`,
 * runs under the timeout, and a runaway loop anywhere is stopped with "Script execution timed
 * out". Between slices the host yields to its event loop so cancel and ping are answered.
 *
 * Memory. V8 throws RangeError for impossible single allocations (huge arrays, strings,
 * buffers); those become ScriptOutOfMemory. Between slices the heap is checked against
 * `heapLimitBytes`, catching gradual growth before V8's own fatal limit would kill the
 * process; the client sees a crash only if a single slice outruns both.
 */
import v8 from 'node:v8'
import vm from 'node:vm'
import { WorkloadRun, type RunOutcome } from '../../engine/api/run'
import { HostError, runErrorFrom } from '../errors'
import { hottestScriptLine, startLineProfiler, type LineProfiler } from './lineProfiler'
import { SLICE_MS, type RunJob, type ScriptRunner } from './types'
import { createVmSandbox, installGuest, loadModule } from './vmContext'

/**
 * A full garbage collection, for the heap check only: `heapUsed` counts garbage not yet
 * collected, so without it whether a run is stopped would depend on when V8 last collected
 * (machine load), not on what the script keeps. Taken once at load through a throwaway context
 * with `--expose-gc` on, then the flag is turned off again so no sandbox context gets `gc`.
 */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc')
  try {
    return vm.runInNewContext('gc') as () => void
  } finally {
    v8.setFlagsFromString('--no-expose-gc')
  }
})()

/** Heap in use by live objects: a full collection first when the quick reading is over `limit`. */
function liveHeapBytes(limit: number): number {
  const quick = process.memoryUsage().heapUsed
  if (quick <= limit) return quick
  collectGarbage()
  return process.memoryUsage().heapUsed
}

export interface VmRunnerOptions {
  /** Stop a run whose heap use grows past this many bytes. Default 1 GiB. */
  heapLimitBytes?: number
  /** Locate runaway loops with a sampling profiler (adds ~1% overhead). Default true. */
  locateRunawayLoops?: boolean
}

function isTimeout(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT'
}

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r))

export class VmRunner implements ScriptRunner {
  private readonly heapLimitBytes: number
  private readonly locate: boolean

  constructor(opts: VmRunnerOptions = {}) {
    this.heapLimitBytes = opts.heapLimitBytes ?? 1024 * 1024 * 1024
    this.locate = opts.locateRunawayLoops ?? true
  }

  async execute(job: RunJob): Promise<RunOutcome> {
    const startMs = performance.now()
    const remainingMs = (): number =>
      Math.max(1, Math.ceil(job.budgetMs - (performance.now() - startMs)))
    const sb = createVmSandbox(job.file)
    const ctx = sb.ctx
    const run = new WorkloadRun({
      seed: job.seed,
      variant: job.variant,
      trace: job.trace,
      realm: sb.realm,
      log: job.onLog,
    })
    const guest = installGuest(sb, run.sys)

    const drainScript = new vm.Script('undefined', { filename: 'mmwb:drain' })
    const drain = (): void => {
      drainScript.runInContext(ctx)
    }
    let sliceDeadline = 0
    let inSlice = false
    let finished = false
    const slice = (): void => {
      if (inSlice) throw new Error('the scheduler is not reentrant')
      inSlice = true
      try {
        while (performance.now() < sliceDeadline) {
          if (run.check()) {
            finished = true
            return
          }
          run.step()
          drain()
        }
        // one last check so a run that just ended is not sliced again
        finished = run.check()
      } finally {
        inSlice = false
      }
    }
    Object.defineProperty(ctx, '__mmwbSlice', { value: sb.wrap(slice), enumerable: false })

    const profiler: LineProfiler | null = this.locate ? startLineProfiler() : null
    const onTimeout = (): HostError => {
      const hot = profiler ? hottestScriptLine(profiler.stop(), job.file) : undefined
      return new HostError(
        'ScriptTimeout',
        `the script exceeded its time budget of ${job.budgetMs} ms and was stopped` +
          (hot
            ? ` (it was busy at ${job.file}:${hot.line}; an endless loop?)`
            : ' (an endless loop?)'),
        hot,
      )
    }
    try {
      const exports = loadModule(sb, guest, job.code, job.file, remainingMs())
      guest.setConstants(run.start(exports, guest.kernel))

      const sliceScript = new vm.Script('__mmwbSlice()', { filename: 'mmwb:slice' })
      while (!finished) {
        if (job.isCancelled()) throw new HostError('ScriptCancelled', 'the run was cancelled')
        const heap = liveHeapBytes(this.heapLimitBytes)
        if (heap > this.heapLimitBytes) {
          throw new HostError(
            'ScriptOutOfMemory',
            `the run used ${Math.round(heap / 2 ** 20)} MiB of heap, over the ${Math.round(this.heapLimitBytes / 2 ** 20)} MiB limit`,
          )
        }
        sliceDeadline = performance.now() + SLICE_MS
        sliceScript.runInContext(ctx, { timeout: remainingMs() })
        job.onTick(run)
        if (!finished) await yieldToEventLoop()
        if (performance.now() - startMs > job.budgetMs) throw onTimeout()
      }
      profiler?.stop()
      return run.collect()
    } catch (e) {
      if (isTimeout(e)) throw onTimeout()
      profiler?.stop()
      throw runErrorFrom(e, job.file, () => run.collectAfterViolation())
    }
  }
}
