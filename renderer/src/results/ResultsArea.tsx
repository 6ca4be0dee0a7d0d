/**
 * The results area: tabs for the user's series, compaction, migration, CMA / virtio-mem, the
 * comparison across variants, and the welcome screen. Every chart reads the experiment of the
 * active script; while it runs, finished runs appear at once and the running one streams.
 */
import { type ReactNode, useEffect, useMemo, useState } from 'react'
import type { MapFrameMsg } from '../../../protocol/mapview'
import type { ExperimentResult } from '../../../protocol/results/experiment'
import { CompareView } from '../compare/CompareView'
import { FocusTimeContext, type FocusTime } from '../kernelviews/focusTime'
import { KernelFilesView } from '../kernelviews/KernelFilesView'
import { TraceLogView } from '../kernelviews/TraceLogView'
import type { RunTrace } from '../run/useExperiment'
import { CONTIG_LATENCY_CHARTS, MIGRATION_CHARTS } from './chartCatalog'
import { setChartFocusTime, type ChartContext } from './chartSetup'
import { CompactionOrderChart } from './CompactionOrderChart'
import { CompactionRateChart } from './CompactionRateChart'
import { CompactionStallsChart } from './CompactionStallsChart'
import { variantGroups } from './extract'
import { FragmentationScoreChart } from './FragmentationScoreChart'
import { LatencyChart } from './LatencyChart'
import { OutcomeChart } from './OutcomeChart'
import { ScannedPagesChart } from './ScannedPagesChart'
import { SeriesChart, type SeriesRun } from './SeriesChart'

export type ResultsTab =
  | 'welcome'
  | 'series'
  | 'compaction'
  | 'migration'
  | 'contig'
  | 'compare'
  | 'memmap'
  | 'kernel'
  | 'trace'

const TAB_LABEL: Record<ResultsTab, string> = {
  welcome: 'Welcome',
  series: 'Series',
  compaction: 'Compaction',
  migration: 'Migration',
  contig: 'CMA / virtio-mem',
  compare: 'Compare',
  memmap: 'Memory map',
  kernel: 'Kernel files',
  trace: 'Trace',
}

interface Props {
  tab: ResultsTab
  onTab(t: ResultsTab): void
  experiment: ExperimentResult | null
  seriesRuns: SeriesRun[]
  summary: string | null
  ctx: ChartContext
  createdWith: string
  welcome: ReactNode
  /** The memory map view, when this build has one. */
  memmap?: ReactNode
  /** Memory-map snapshots of the latest run (they carry the kernel files over time). */
  mapFrames?: readonly MapFrameMsg[] | null
  /** Trace records of the latest run. */
  trace?: RunTrace | null
}

export function ResultsArea(p: Props) {
  const groups = useMemo(() => (p.experiment ? variantGroups(p.experiment) : []), [p.experiment])
  const tabs: ResultsTab[] = ['welcome', 'series', 'compaction', 'migration', 'contig', 'compare']
  if (p.memmap) tabs.push('memmap')
  tabs.push('kernel', 'trace')
  // The moment focused in the trace log; a new run's trace clears it.
  const [focusAt, setFocusAt] = useState<{ timeNs: number | null; seq: number }>({
    timeNs: null,
    seq: 0,
  })
  const traceKey = p.trace?.records
  useEffect(() => setFocusAt((f) => ({ timeNs: null, seq: f.seq + 1 })), [traceKey])
  useEffect(() => setChartFocusTime(focusAt.timeNs), [focusAt])
  const focus: FocusTime = useMemo(
    () => ({
      ...focusAt,
      focus: (timeNs) => setFocusAt((f) => ({ timeNs, seq: f.seq + 1 })),
    }),
    [focusAt],
  )
  const noRuns = groups.length === 0
  const none = <div className="chart-nodata">No finished run yet: press Run (Ctrl+Enter).</div>
  return (
    <FocusTimeContext.Provider value={focus}>
      <section className="panel results-panel">
        <div className="pane-title tabs" role="tablist" aria-label="Results">
          {tabs.map((t) => (
            <button
              key={t}
              role="tab"
              aria-selected={p.tab === t}
              className={p.tab === t ? 'tab tab-active' : 'tab'}
              data-testid={`results-tab-${t}`}
              onClick={() => p.onTab(t)}
            >
              {TAB_LABEL[t]}
            </button>
          ))}
          <span className="spacer" />
          <span className="muted results-summary">{p.summary ?? ''}</span>
        </div>
        <div className={p.tab === 'series' ? 'results-body results-series' : 'results-body'}>
          {p.tab === 'welcome' && p.welcome}
          {p.tab === 'series' && <SeriesChart runs={p.seriesRuns} colours={p.ctx.colours} />}
          {p.tab === 'compaction' &&
            (noRuns ? (
              none
            ) : (
              <div className="chart-grid">
                <CompactionRateChart groups={groups} ctx={p.ctx} />
                <CompactionOrderChart groups={groups} ctx={p.ctx} />
                <ScannedPagesChart groups={groups} ctx={p.ctx} />
                <CompactionStallsChart groups={groups} ctx={p.ctx} />
                <FragmentationScoreChart groups={groups} ctx={p.ctx} />
              </div>
            ))}
          {p.tab === 'migration' &&
            (noRuns ? (
              none
            ) : (
              <div className="chart-grid">
                {MIGRATION_CHARTS.map((d) => (
                  <LatencyChart key={d.testId} def={d} groups={groups} ctx={p.ctx} />
                ))}
              </div>
            ))}
          {p.tab === 'contig' &&
            (noRuns ? (
              none
            ) : (
              <div className="chart-grid">
                <OutcomeChart kind="cma_alloc" groups={groups} ctx={p.ctx} />
                <OutcomeChart kind="virtio_mem" groups={groups} ctx={p.ctx} />
                <OutcomeChart kind="alloc_contig_range" groups={groups} ctx={p.ctx} />
                {CONTIG_LATENCY_CHARTS.map((d) => (
                  <LatencyChart key={d.testId} def={d} groups={groups} ctx={p.ctx} />
                ))}
              </div>
            ))}
          {p.tab === 'compare' &&
            (p.experiment && !noRuns ? (
              <CompareView
                experiment={p.experiment}
                groups={groups}
                ctx={p.ctx}
                createdWith={p.createdWith}
              />
            ) : (
              none
            ))}
          {p.tab === 'memmap' && p.memmap}
          {p.tab === 'kernel' && <KernelFilesView frames={p.mapFrames ?? null} />}
          {p.tab === 'trace' && <TraceLogView trace={p.trace ?? null} />}
        </div>
      </section>
    </FocusTimeContext.Provider>
  )
}
