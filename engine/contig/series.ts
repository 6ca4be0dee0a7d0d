/**
 * Chart series for contiguous allocations (issue 6, item 7): one point per request of
 * alloc_contig_range, cma_alloc and virtio-mem, with its outcome, latency in simulated ns and
 * pages migrated. Kept per machine in the state registry (engine/mm/machineState.ts); columns
 * are plain arrays a chart can read.
 */
import { type Machine } from '../mm/machine'
import { defineMachineState } from '../mm/machineState'

export type ContigSource =
  'alloc_contig_range' | 'cma_alloc' | 'virtio_mem_plug' | 'virtio_mem_unplug'
/** alloc_contig_range/cma outcomes, plus virtio-mem's partial progress. */
export type ContigSeriesOutcome = 'success' | 'busy' | 'nomem' | 'intr' | 'partial'

export interface ContigSeries {
  source: ContigSource[]
  /** Simulated time the request started. */
  tNs: number[]
  outcome: ContigSeriesOutcome[]
  latencyNs: number[]
  pagesMigrated: number[]
  /** Pages requested. */
  nrPages: number[]
  /** Pages reclaimed by the seed-004 reclaim variants for this request. */
  pagesReclaimed: number[]
  /** Simulated ns the zone spent below its MIN watermark during the request. */
  belowMinNs: number[]
}

/** One request, as `recordContig` takes it. */
export interface ContigPoint {
  tNs: number
  outcome: ContigSeriesOutcome
  latencyNs: number
  pagesMigrated: number
  nrPages: number
  pagesReclaimed?: number
  belowMinNs?: number
}

const seriesOf = defineMachineState('contig.series', createSeries)

function createSeries(): ContigSeries {
  return {
    source: [],
    tNs: [],
    outcome: [],
    latencyNs: [],
    pagesMigrated: [],
    nrPages: [],
    pagesReclaimed: [],
    belowMinNs: [],
  }
}

export function recordContig(m: Machine, source: ContigSource, p: ContigPoint): void {
  const s = seriesOf(m)
  s.source.push(source)
  s.tNs.push(p.tNs)
  s.outcome.push(p.outcome)
  s.latencyNs.push(p.latencyNs)
  s.pagesMigrated.push(p.pagesMigrated)
  s.nrPages.push(p.nrPages)
  s.pagesReclaimed.push(p.pagesReclaimed ?? 0)
  s.belowMinNs.push(p.belowMinNs ?? 0)
}

/** Every point recorded on `m` so far (live arrays: copy before mutating). */
export function contigSeries(m: Machine): Readonly<ContigSeries> {
  return seriesOf(m)
}

/** Counts of each outcome for one source, for a summary table (`mmwb compare`). */
export function contigOutcomeCounts(
  m: Machine,
  source: ContigSource,
): Record<ContigSeriesOutcome, number> {
  const s = seriesOf(m)
  const out: Record<ContigSeriesOutcome, number> = {
    success: 0,
    busy: 0,
    nomem: 0,
    intr: 0,
    partial: 0,
  }
  for (let i = 0; i < s.source.length; i++) if (s.source[i] === source) out[s.outcome[i]]++
  return out
}
