/**
 * The results area: tabs for the user's series, compaction, migration, CMA / virtio-mem, the
 * comparison across variants, and the welcome screen. Every chart reads the experiment of the
 * active script; while it runs, finished runs appear at once and the running one streams.
 */
import { type ReactNode, useMemo } from 'react'
import type { ExperimentResult } from '../../../protocol/results/experiment'
import { CompareView } from '../compare/CompareView'
import { CONTIG_LATENCY_CHARTS, MIGRATION_CHARTS } from './chartCatalog'
import type { ChartContext } from './chartSetup'
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
  'welcome' | 'series' | 'compaction' | 'migration' | 'contig' | 'compare' | 'memmap'

const TAB_LABEL: Record<ResultsTab, string> = {
  welcome: 'Welcome',
  series: 'Series',
  compaction: 'Compaction',
  migration: 'Migration',
  contig: 'CMA / virtio-mem',
  compare: 'Compare',
  memmap: 'Memory map',
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
}

export function ResultsArea(p: Props) {
  const groups = useMemo(() => (p.experiment ? variantGroups(p.experiment) : []), [p.experiment])
  const tabs: ResultsTab[] = ['welcome', 'series', 'compaction', 'migration', 'contig', 'compare']
  if (p.memmap) tabs.push('memmap')
  const noRuns = groups.length === 0
  const none = <div className="chart-nodata">No finished run yet: press Run (Ctrl+Enter).</div>
  return (
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
      </div>
    </section>
  )
}
