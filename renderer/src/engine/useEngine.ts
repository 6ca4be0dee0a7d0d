/**
 * React state around the one EngineClient of the page: engine status, the last notice, and the
 * progress of the running script.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type {
  MapFrameMsg,
  ProgressMsg,
  RunOptions,
  ScriptSource,
  TraceMsg,
} from '../../../protocol/messages'
import type { SeriesPoint } from '../../../protocol/result'
import { EngineClient, type EngineStatus, type RunOutcome } from './engineClient'
import { createTransport, WorkerTransport } from './transport'

export interface RunProgress {
  startedAtMs: number
  phase: ProgressMsg['phase'] | 'queued'
  /** 0..1, or -1 when the script does not report how far it is. */
  fraction: number
  simTimeNs: number
}

export interface RunCallbacks {
  onSeries(series: Record<string, SeriesPoint[]>): void
  onLog(level: 'info' | 'warn', text: string): void
  onProgress?(p: ProgressMsg): void
  onStart?(runId: number): void
  onMapFrame?(msg: MapFrameMsg): void
  onTrace?(msg: TraceMsg): void
}

export function useEngine() {
  const [status, setStatus] = useState<EngineStatus>({ state: 'starting' })
  const [notice, setNotice] = useState<string | null>(null)
  const [progress, setProgress] = useState<RunProgress | null>(null)
  const transportRef = useRef<ReturnType<typeof createTransport> | null>(null)

  const client = useMemo(() => {
    const transport = createTransport()
    transportRef.current = transport
    return new EngineClient(transport, { onStatus: setStatus, onNotice: setNotice })
  }, [])

  useEffect(() => {
    client.start()
  }, [client])

  const run = useCallback(
    async (script: ScriptSource, options: RunOptions, cb: RunCallbacks): Promise<RunOutcome> => {
      setProgress({ startedAtMs: performance.now(), phase: 'queued', fraction: -1, simTimeNs: 0 })
      try {
        return await client.run(script, options, {
          onProgress: (p) => {
            cb.onProgress?.(p)
            setProgress((prev) => ({
              startedAtMs: prev?.startedAtMs ?? performance.now(),
              phase: p.phase,
              fraction: p.fraction,
              simTimeNs: p.simTimeNs,
            }))
          },
          onSeries: cb.onSeries,
          onLog: cb.onLog,
          onStart: cb.onStart,
          onMapFrame: cb.onMapFrame,
          onTrace: cb.onTrace,
        })
      } finally {
        setProgress(null)
      }
    },
    [client],
  )

  const stop = useCallback(() => client.stop(), [client])
  const describe = useCallback(
    (script: ScriptSource, machine?: Record<string, unknown>) => client.describe(script, machine),
    [client],
  )
  const describeSettled = useCallback(() => client.describeSettled(), [client])
  const mapPage = useCallback(
    (runId: number, startPfn: number, nrPages: number) => client.mapPage(runId, startPfn, nrPages),
    [client],
  )

  /** Test hook: crash web-mode engine-host the way a real worker error would. */
  const simulateCrash = useCallback((reason: string) => {
    const t = transportRef.current
    if (t instanceof WorkerTransport) t.simulateCrash(reason)
  }, [])

  return {
    status,
    notice,
    progress,
    run,
    stop,
    describe,
    describeSettled,
    mapPage,
    simulateCrash,
  }
}
