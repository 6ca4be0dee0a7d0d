/**
 * What the results area shows for the active script: the saved or finished runs, the series
 * streaming from the running one, the run whose /proc files are shown, and the memory map of
 * the latest run that streamed one.
 */
import { useMemo } from 'react'
import type { ExperimentResult } from '../../../protocol/results/experiment'
import { variantLabel } from '../../../protocol/results/experiment'
import type { MapPageOutcome } from '../engine/engineClient'
import type { FetchPages } from '../memmap/frameStore'
import { runKey } from '../run/experimentPlan'
import type { ExperimentRun } from '../run/useExperiment'
import { userSeries } from './extract'
import type { SeriesRun } from './SeriesChart'

export function useResultsView(
  experiment: ExperimentResult | null,
  live: ExperimentRun | null,
  selectedRun: string | null,
  mapPage: (runId: number, startPfn: number, nrPages: number) => Promise<MapPageOutcome>,
) {
  const seriesRuns: SeriesRun[] = useMemo(() => {
    const out: SeriesRun[] = (experiment?.runs ?? []).map((r) => ({
      label: variantLabel(r.variant),
      seed: r.seed,
      series: userSeries(r.series),
    }))
    const l = live?.live
    const entry = l && live?.entries.find((e) => e.key === l.key)
    if (l && entry && entry.status !== 'done')
      out.unshift({
        label: variantLabel(entry.variant),
        seed: entry.seed,
        series: userSeries(l.series),
      })
    return out
  }, [experiment, live])

  const map = live?.map ?? null
  const mapRunId = map?.runId ?? -1
  const fetchPages: FetchPages | undefined = useMemo(() => {
    if (mapRunId < 0) return undefined
    return async (startPfn, nrPages) => {
      const o = await mapPage(mapRunId, startPfn, nrPages)
      return o.kind === 'detail' ? { timeNs: o.msg.timeNs, detail: o.msg.detail } : null
    }
  }, [mapRunId, mapPage])

  const shownRun =
    experiment?.runs.find((r) => runKey(r.variant, r.seed) === selectedRun) ??
    experiment?.runs.at(-1) ??
    null
  const summary = experiment
    ? `${experiment.script} · ${experiment.runs.length} run(s)` +
      (shownRun ? ` · /proc of ${variantLabel(shownRun.variant)} seed ${shownRun.seed}` : '')
    : null

  const trace = live?.trace ?? null

  return { seriesRuns, shownRun, summary, map, fetchPages, trace }
}
