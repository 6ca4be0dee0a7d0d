/**
 * One workload run, independent of where it executes. A host (node:vm runner, Web Worker
 * runner) evaluates the compiled module with the guest's `require`, then:
 *
 *   const run = new WorkloadRun({...})        // sys is usable at once (console.log at top level)
 *   const constants = run.start(moduleExports, guest.kernel)
 *   guest.setConstants(constants)
 *   while (!run.check()) { run.step(); <drain the script realm's microtasks> }
 *   const outcome = run.collect()
 *
 * `check()` throws the first task failure, a deadlock, or nothing; it returns true once the
 * workload has finished. Everything here is deterministic: same script, seed and variant ⇒
 * same outcome, event for event.
 */
import {
  checkInvariants,
  ConfigError,
  InvariantError,
  createMachine,
  parseMachineConfig,
  reservedRanges,
  reservedSummary,
  setCurrentCpu,
  type Machine,
  type MachineConfig,
} from '../mm'
import { swapon } from '../reclaim'
import { resolveCostModel, type CostModel } from '../sched/costModel'
import { createVirtioMem, reserveCmaAreas, virtioMemRegion } from './contigOps'
import {
  applyMachineDesign,
  designRecord,
  parseDesignSpec,
  resolveDesign,
  type DesignSpec,
} from './design'
import type { Histogram } from './histogram'
import { MmRecorder, type RunEvent } from './mmRecorder'
import { vmSysctlSet } from './vmSysctl'
import type { Realm } from '../sched/realm'
import { Scheduler } from '../sched/scheduler'
import { createKernel, PROC_FILES, readProcFile, type Kernel } from './kernel'
import type { KernelSys } from './kernelSys'
import { Rng } from './rng'
import { mmwbConstants } from './runtime'
import { SeriesRecorder, type Point } from './series'
import { TraceRecorder, type RecordedTraceEvent } from './traceRecorder'
import { allVmstat } from './vmstatAll'
import { sysctlSet } from './sysctl'

export interface WorkloadRunOptions {
  seed: number
  /** A key of the script's `variants` export, or undefined for the base machine. */
  variant?: string
  /** The script's realm (its Promise and a job runner created in it). */
  realm: Realm
  /** Record every tracepoint hit (takeNewTrace) for an ftrace text trace. */
  trace?: boolean
  log(level: 'info' | 'warn', text: string): void
}

/** An invariant violation a run ended with (CONFIG_DEBUG_VM's report, as data). */
export interface ViolationRecord {
  rule: string
  pfn: number
  event: string
  message: string
  timeNs: number
}

/** What a finished run yields (protocol's RunResult without the host's fields). */
export interface RunOutcome {
  seed: number
  variant: string | null
  machine: MachineConfig & { cost: CostModel; design: Record<string, string> } & Obj
  simTimeNs: number
  series: Record<string, Point[]>
  vmstat: Record<string, number>
  proc: Record<string, string>
  log: string[]
  /** Latency histograms in simulated ns (log2 buckets). */
  histograms: Record<string, Histogram>
  /** Outcome records (cma_alloc, alloc_contig_range, virtio_mem, migrate_pages, ...). */
  events: RunEvent[]
  /** The invariant violation that ended the run, when the variant expected one. */
  violation?: ViolationRecord
  /** The variant's expectation and whether the run met it. */
  expect?: { invariantViolation: string; met: boolean }
}

/** The run deadlocked: tasks wait for something no pending event will bring. */
export class DeadlockError extends Error {
  override name = 'ScriptError'
}

type Obj = Record<string, unknown>

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Base `machine` export merged with the chosen variant; `cost` and `sysctl` split off. */
export function resolveMachineSpec(
  mod: Obj,
  variant: string | undefined,
): { spec: Obj; cost: unknown; sysctl: Obj; design: DesignSpec; expectViolation: string | null } {
  const base = mod.machine === undefined ? {} : mod.machine
  if (!isObj(base)) throw new ConfigError('machine', 'the `machine` export must be an object')
  let spec: Obj = { ...base }
  let sysctl: Obj = {}
  let design = parseDesignSpec(base.design, 'machine.design')
  let expectViolation: string | null = null
  if (variant !== undefined) {
    const variants = mod.variants
    if (!isObj(variants)) {
      throw new ConfigError(
        'variants',
        `--variant ${variant} given, but the script exports no \`variants\``,
      )
    }
    const v = variants[variant]
    if (!isObj(v)) {
      throw new ConfigError(
        'variants',
        `no variant ${JSON.stringify(variant)}; the script defines: ${Object.keys(variants).join(', ') || '(none)'}`,
      )
    }
    if (v.machine !== undefined && !isObj(v.machine)) {
      throw new ConfigError(`variants.${variant}.machine`, 'must be an object')
    }
    const vm = (v.machine ?? {}) as Obj
    const cost =
      isObj(spec.cost) || isObj(vm.cost)
        ? { ...(spec.cost as Obj), ...(vm.cost as Obj) }
        : undefined
    spec = { ...spec, ...vm }
    if (cost) spec.cost = cost
    if (v.sysctl !== undefined && !isObj(v.sysctl)) {
      throw new ConfigError(`variants.${variant}.sysctl`, 'must be an object of sysctl values')
    }
    sysctl = (v.sysctl ?? {}) as Obj
    design = {
      ...design,
      ...parseDesignSpec(vm.design, `variants.${variant}.machine.design`),
      ...parseDesignSpec(v.design, `variants.${variant}.design`),
    }
    if (v.expect !== undefined) {
      const e = v.expect as Obj
      const iv = isObj(e) ? e.invariantViolation : undefined
      if (!isObj(e) || (iv !== true && typeof iv !== 'string')) {
        throw new ConfigError(
          `variants.${variant}.expect`,
          "must be { invariantViolation: true } or { invariantViolation: 'rule-name' }",
        )
      }
      expectViolation = iv === true ? '*' : (iv as string)
    }
  }
  const { cost, ...rest } = spec
  delete rest.design
  return { spec: rest, cost, sysctl, design, expectViolation }
}

/**
 * `machine.swap`: `{ sizeMiB, synchronousIo? }` runs swapon on a swap device of that size
 * (whole 2 MiB clusters); without it the machine has no swap, and reclaim can only drop and
 * write back page cache.
 */
function setupSwap(m: Machine, raw: unknown): void {
  if (raw === undefined) return
  if (!isObj(raw))
    throw new ConfigError('machine.swap', 'must be { sizeMiB: number, synchronousIo?: boolean }')
  const size = raw.sizeMiB
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > 1 << 20)
    throw new ConfigError(
      'machine.swap.sizeMiB',
      `must be an integer number of MiB, got ${JSON.stringify(size)}`,
    )
  if (raw.synchronousIo !== undefined && typeof raw.synchronousIo !== 'boolean')
    throw new ConfigError('machine.swap.synchronousIo', 'must be true or false')
  for (const k of Object.keys(raw))
    if (k !== 'sizeMiB' && k !== 'synchronousIo')
      throw new ConfigError(`machine.swap.${k}`, 'unknown field (known: sizeMiB, synchronousIo)')
  swapon(m, {
    nrPages: size * 256 /* 4 KiB pages per MiB */,
    synchronousIo: raw.synchronousIo === true,
  })
}

export class WorkloadRun {
  readonly sys: KernelSys
  readonly log: string[] = []
  private readonly series = new SeriesRecorder()
  private machine: Machine | null = null
  private config: (MachineConfig & { cost: CostModel }) | null = null
  private sched: Scheduler | null = null
  private progressFraction = -1
  private bound: KernelSys | null = null
  private tracer: TraceRecorder | null = null
  private kernel: Kernel | null = null

  /** The run's simulated machine, null before `start`: for views that read the model (map frames, tests). */
  currentMachine(): Machine | null {
    return this.machine
  }
  private recorder: MmRecorder | null = null
  private expectViolation: string | null = null
  private violation: ViolationRecord | null = null
  private machineRecord: RunOutcome['machine'] | null = null

  constructor(private readonly opts: WorkloadRunOptions) {
    const onLog = (level: 'info' | 'warn', text: string): void => {
      this.log.push(text)
      opts.log(level, text)
    }
    // Calls before start() (module top level) may only log: the machine does not exist yet.
    const early = (name: string) => (): never => {
      throw new Error(
        `${name}() can only be called while the workload runs, not at module top level`,
      )
    }
    this.sys = new Proxy({} as KernelSys, {
      get: (_t, key: string) => {
        if (key === 'log') return onLog
        if (this.bound) return (this.bound as unknown as Record<string, unknown>)[key]
        return early(key)
      },
    })
    this.onLog = onLog
  }

  private readonly onLog: (level: 'info' | 'warn', text: string) => void

  /**
   * Builds the machine from the module's exports and starts the default export as task
   * "main". Returns the constants the module 'mmwb' should expose for this machine.
   */
  start(mod: unknown, guestKernel: unknown): Record<string, number> {
    if (!isObj(mod)) throw new ConfigError('(module)', 'the script did not evaluate to a module')
    const main = mod.default
    if (typeof main !== 'function') {
      throw new ConfigError(
        'default',
        'the script must `export default` a function: export default async function (k: Kernel) { ... }',
      )
    }
    const resolved = resolveMachineSpec(mod, this.opts.variant)
    const { spec, cost: costSpec, sysctl } = resolved
    this.expectViolation = resolved.expectViolation
    let cost: CostModel
    try {
      cost = resolveCostModel(costSpec)
    } catch (e) {
      throw new ConfigError('cost', (e as Error).message)
    }
    const { cma: cmaSpec, virtioMem: virtioSpec, swap: swapSpec, ...mmSpec } = spec
    const cfg = parseMachineConfig(mmSpec)
    const memmapAvoid = virtioMemRegion(cfg, virtioSpec)
    const m = createMachine(cfg, { memmapAvoid })
    setupSwap(m, swapSpec)
    const design = resolveDesign(m, resolved.design)
    applyMachineDesign(m, design)
    // Boot-time reservations, before any workload allocation (cma_declare_contiguous, virtio-mem probe).
    reserveCmaAreas(m, cmaSpec, design.contig.alignment)
    const virtioMem = createVirtioMem(m, virtioSpec)
    // The CPU a task runs on (per-cpu page lists, trace entries): its pinned CPU, or for an
    // unpinned task a fixed one by task index, so runs stay deterministic.
    const sched = new Scheduler({
      realm: this.opts.realm,
      cost,
      nrCpus: cfg.nrCpus,
      onSwitch: (t) => setCurrentCpu(m, t.cpu >= 0 ? t.cpu : t.id % cfg.nrCpus),
    })
    if (this.opts.trace) this.tracer = new TraceRecorder(m, sched)
    const recorder = new MmRecorder(m, this.series)
    const kernel = createKernel({
      machine: m,
      sched,
      rng: new Rng(this.opts.seed),
      series: this.series,
      design,
      recorder,
      virtioMem,
      hooks: {
        log: this.onLog,
        progress: (f) => {
          this.progressFraction = f
        },
      },
    })
    for (const [name, value] of Object.entries(sysctl)) {
      if (typeof value !== 'number') throw new ConfigError(`sysctl.${name}`, 'must be a number')
      try {
        if (!vmSysctlSet(kernel.ops, name, value)) sysctlSet(m, name, value)
      } catch (e) {
        throw new ConfigError(`sysctl.${name}`, (e as Error).message)
      }
    }
    if (virtioMem && virtioMem.requestedPages > 0)
      kernel.contig.virtioMemRequest(virtioMem.requestedPages / 256)
    this.kernel = kernel
    this.recorder = recorder
    this.bound = this.catchViolations(kernel.sys)
    this.machine = m
    this.sched = sched
    this.config = { ...cfg, cost }
    this.machineRecord = {
      ...cfg,
      cost,
      design: designRecord(design),
      reservedPages: reservedSummary(reservedRanges(cfg.zones, cfg.reserve, memmapAvoid)),
      ...(cmaSpec !== undefined ? { cma: cmaSpec } : {}),
      ...(virtioSpec !== undefined ? { virtioMem: virtioSpec } : {}),
      ...(swapSpec !== undefined ? { swap: swapSpec } : {}),
    }
    sched.spawn('main', () => (main as (k: unknown) => unknown)(guestKernel))
    // kcompactd's proactive timer (vm.compaction_proactiveness > 0, the kernel's default 20).
    if (kernel.ops.sysctls.compactionProactiveness > 0) kernel.ops.startKcompactd()
    return mmwbConstants({ maxPageOrder: cfg.maxPageOrder, pageblockOrder: cfg.pageblockOrder })
  }

  /** Notes the first invariant violation a kernel call raises (then lets it propagate). */
  private catchViolations(sys: KernelSys): KernelSys {
    const out: Record<string, unknown> = {}
    for (const [key, fn] of Object.entries(sys)) {
      out[key] = (...args: unknown[]) => {
        try {
          return (fn as (...a: unknown[]) => unknown)(...args)
        } catch (e) {
          this.noteViolation(e)
          throw e
        }
      }
    }
    return out as unknown as KernelSys
  }

  private noteViolation(e: unknown): void {
    if (this.violation || !(e instanceof InvariantError)) return
    this.violation = { ...e.violation, timeNs: this.sched ? this.sched.clockNs() : 0 }
  }

  private violationExpected(): boolean {
    const want = this.expectViolation
    return (
      want !== null && this.violation !== null && (want === '*' || want === this.violation.rule)
    )
  }

  private get s(): Scheduler {
    if (!this.sched) throw new Error('WorkloadRun.start() has not been called')
    return this.sched
  }

  /** Fires the next event; the caller drains microtasks afterwards. */
  step(): boolean {
    return this.s.step()
  }

  /** Throws a task's failure or a deadlock; true once the workload has finished. */
  check(): boolean {
    const s = this.s
    if (s.failure) {
      this.noteViolation(s.failure.error)
      // A violation the variant declared is the run's result, not its failure.
      if (this.violationExpected()) return true
      throw s.failure.error
    }
    if (s.finished()) return true
    if (s.pendingWorkloadEvents === 0) {
      const stuck = s
        .unfinishedTasks()
        .map((t) => `${t.name} (${t.blockedOn ?? 'awaiting a promise nothing will resolve'})`)
      throw new DeadlockError(
        `deadlock at ${s.nowNs} ns: no task can run; waiting: ${stuck.join(', ')}`,
      )
    }
    return false
  }

  /** Simulated time reached so far, in ns. */
  simTimeNs(): number {
    return this.sched ? this.sched.endTimeNs() : 0
  }

  /** Last fraction the workload reported with `progress`, or -1. */
  progress(): number {
    return this.progressFraction
  }

  takeNewSeries(): Record<string, Point[]> {
    return this.series.takeNew()
  }

  /** Trace records since the last call (empty unless the run was started with `trace`). */
  takeNewTrace(): RecordedTraceEvent[] {
    return this.tracer ? this.tracer.takeNew() : []
  }

  /** Trace events emitted so far, kept or dropped. */
  traceEventsWritten(): number {
    return this.tracer ? this.tracer.written : 0
  }

  /**
   * The final state of a run that failed with an invariant violation (mid-run or at the end),
   * the violation recorded, so hosts can still hand out the result (`mmwb run --json`); null
   * when the run has no violation or never started.
   */
  collectAfterViolation(): RunOutcome | null {
    if (!this.machine || !this.config) return null
    if (!this.violation) {
      const v = checkInvariants(this.machine)
      if (!v) return null
      this.violation = { ...v, timeNs: this.simTimeNs() }
    }
    return this.collect()
  }

  /** Checks the model's invariants and gathers the final state. */
  collect(): RunOutcome {
    const m = this.machine
    if (!m || !this.config) throw new Error('WorkloadRun.start() has not been called')
    if (!this.violation) {
      const v = checkInvariants(m)
      if (v) {
        this.violation = { ...v, timeNs: this.simTimeNs() }
        if (!this.violationExpected()) throw new InvariantError(v)
      }
    }
    const rec = this.recorder as MmRecorder
    const proc: Record<string, string> = {}
    for (const path of PROC_FILES) {
      try {
        proc[path] = readProcFile(m, path)
      } catch (e) {
        // After an expected violation the state may not format (negative counts).
        proc[path] = `(unavailable after the invariant violation: ${(e as Error).message})\n`
      }
    }
    const out: RunOutcome = {
      seed: this.opts.seed,
      variant: this.opts.variant ?? null,
      machine: this.machineRecord as RunOutcome['machine'],
      simTimeNs: this.simTimeNs(),
      series: this.series.all(),
      vmstat: Object.fromEntries(allVmstat(m).filter(([, v]) => Number.isSafeInteger(v) && v >= 0)),
      proc,
      log: this.log,
      histograms: rec.histograms.all(),
      events: rec.events,
    }
    if (this.violation) {
      const v = this.violation
      out.violation = v
      out.series = {
        ...out.series,
        invariant_violations: [[v.timeNs, 1]],
      }
      out.events = [
        ...out.events,
        {
          timeNs: v.timeNs,
          kind: 'invariant_violation',
          fields: { rule: v.rule, pfn: v.pfn, event: v.event, message: v.message },
        },
      ]
    }
    if (this.expectViolation !== null) {
      out.expect = { invariantViolation: this.expectViolation, met: this.violationExpected() }
    }
    return out
  }
}
