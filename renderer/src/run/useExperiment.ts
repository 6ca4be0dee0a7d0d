/**
 * Runs an experiment over the one engine-host: every planned (variant, seed) in turn, with
 * per-run progress, the running run's series streamed (throttled to one React update per
 * frame, so the UI never waits on the engine), and each finished result added at once.
 * Stop cancels the running run and skips the rest.
 */
import { useCallback, useRef, useState } from 'react'
import type { MapFrameMsg, RunOptions, ScriptSource, WireError } from '../../../protocol/messages'
import type { TraceRecord } from '../../../protocol/results/ftrace'
import type { RunResult, SeriesPoint } from '../../../protocol/result'
import { appendSeries } from '../results/chartPlan'
import type { useEngine } from '../engine/useEngine'
import { FATAL_ERRORS, planEntries, type ExperimentPlan, type RunEntry } from './experimentPlan'

export interface ExperimentRun {
  /** Path of the script in the workspace. */
  path: string
  plan: ExperimentPlan
  entries: RunEntry[]
  /** Series streamed so far by the running entry. */
  live: { key: string; series: Record<string, SeriesPoint[]> } | null
  running: boolean
  /** Console output of the runs, prefixed by run. */
  log: string[]
  /** Memory-map snapshots of the latest run that sent any, and its engine-host run id. */
  map: { key: string; runId: number; frames: MapFrameMsg[] } | null
  /** Trace records of the latest run (its newest TRACE_LIMIT, sent when it ends). */
  trace: RunTrace | null
}

/**
 * The trace of one run. `records` grows in place as messages arrive; `count` is its length
 * when this object was made, so a new object means new records.
 */
export interface RunTrace {
  key: string
  records: TraceRecord[]
  count: number
  /** Events the run emitted, including those past the limit. */
  written: number
  limit: number
}

/**
 * Trace records kept per run: ~50k records are ~15 MB in the page and filter in a few ms; a
 * busy workload emits millions, so the host keeps the newest ones, as the kernel's
 * overwriting ring buffer does, and counts the rest.
 */
export const TRACE_LIMIT = 50_000

/** Snapshots kept per run: past this, every other one is dropped (the final one is kept). */
const MAX_MAP_FRAMES = 400

export interface ExperimentRequest {
  path: string
  script: ScriptSource
  plan: ExperimentPlan
  budgetMs: number
  machine?: Record<string, unknown>
  /** Handed back with each result: which workspace the experiment belongs to. */
  tag: number
}

export interface ExperimentCallbacks {
  /** A run finished with a result (results are saved as they arrive). */
  onResult(path: string, plan: ExperimentPlan, results: RunResult[], tag: number): void
  /** The first error of the experiment (pinned in the editor and shown in the error bar). */
  onError(error: WireError): void
}

type Engine = ReturnType<typeof useEngine>

export function useExperiment(engine: Engine, cb: ExperimentCallbacks) {
  const [state, setState] = useState<ExperimentRun | null>(null)
  const stopRef = useRef(false)
  const cbRef = useRef(cb)
  cbRef.current = cb

  const start = useCallback(
    async (req: ExperimentRequest) => {
      stopRef.current = false
      let entries = planEntries(req.plan)
      const log: string[] = []
      const update = (patch: Partial<ExperimentRun>) =>
        setState((s) => (s ? { ...s, ...patch } : s))
      const setEntry = (key: string, patch: Partial<RunEntry>) => {
        entries = entries.map((e) => (e.key === key ? { ...e, ...patch } : e))
        update({ entries })
      }
      setState({
        path: req.path,
        plan: req.plan,
        entries,
        live: null,
        running: true,
        log,
        map: null,
        trace: null,
      })
      await engine.describeSettled()
      const results: RunResult[] = []
      let failed = false
      let reported = false
      for (const entry of entries) {
        if (stopRef.current || failed) {
          setEntry(entry.key, { status: 'cancelled' })
          continue
        }
        setEntry(entry.key, { status: 'running' })
        const acc: Record<string, SeriesPoint[]> = {}
        let frame = 0
        let lastProgress = 0
        const options: RunOptions = {
          seed: entry.seed,
          timeBudgetMs: req.budgetMs,
          stream: true,
          mapFrames: true,
          trace: true,
          traceLimit: TRACE_LIMIT,
          ...(entry.variant !== null ? { variant: entry.variant } : {}),
          ...(req.machine ? { machine: req.machine } : {}),
        }
        const many = entries.length > 1
        let runId = -1
        let frames: MapFrameMsg[] = []
        const traceRecords: TraceRecord[] = []
        let traceWritten = 0
        let traceFrame = 0
        const traceState = (): RunTrace => ({
          key: entry.key,
          records: traceRecords,
          count: traceRecords.length,
          written: Math.max(traceWritten, traceRecords.length),
          limit: TRACE_LIMIT,
        })
        const outcome = await engine.run(req.script, options, {
          onSeries: (more) => {
            const series = appendSeries(acc, more)
            if (frame) return
            frame = requestAnimationFrame(() => {
              frame = 0
              update({ live: { key: entry.key, series } })
            })
          },
          onLog: (level, text) => {
            const line = `${many ? `[${entry.key}] ` : ''}${level === 'warn' ? 'warning: ' : ''}${text}`
            log.push(line)
            update({ log: [...log] })
          },
          onStart: (id) => {
            runId = id
          },
          onMapFrame: (m) => {
            frames = [...frames, m]
            if (frames.length > MAX_MAP_FRAMES)
              frames = frames.filter((_, i) => i % 2 === 0 || i === frames.length - 1)
            update({ map: { key: entry.key, runId, frames } })
          },
          onTrace: (m) => {
            for (const r of m.records) traceRecords.push(r)
            traceWritten = m.written
            if (traceFrame) return
            traceFrame = requestAnimationFrame(() => {
              traceFrame = 0
              update({ trace: traceState() })
            })
          },
          onProgress: (p) => {
            const now = performance.now()
            if (now - lastProgress < 100 && p.phase === 'run') return
            lastProgress = now
            setEntry(entry.key, { fraction: p.fraction, simTimeNs: p.simTimeNs })
          },
        })
        if (frame) cancelAnimationFrame(frame)
        if (traceFrame) cancelAnimationFrame(traceFrame)
        if (traceRecords.length > 0 || traceWritten > 0) update({ trace: traceState() })
        if (outcome.kind === 'result') {
          results.push(outcome.result)
          setEntry(entry.key, {
            status: 'done',
            fraction: 1,
            simTimeNs: outcome.result.simTimeNs,
            result: outcome.result,
          })
          update({ live: null })
          cbRef.current.onResult(req.path, req.plan, [...results], req.tag)
        } else {
          const cancelled = outcome.error.name === 'ScriptCancelled' || stopRef.current
          setEntry(entry.key, { status: cancelled ? 'cancelled' : 'failed', error: outcome.error })
          update({ live: { key: entry.key, series: { ...acc } } })
          if (!reported) cbRef.current.onError(outcome.error)
          reported = true
          if (FATAL_ERRORS.has(outcome.error.name)) failed = true
        }
      }
      update({ running: false })
    },
    [engine],
  )

  const stop = useCallback(() => {
    stopRef.current = true
    engine.stop()
  }, [engine])

  return { state, setState, start, stop }
}
