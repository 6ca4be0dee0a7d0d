/**
 * What the engine records into a run's result on its own, for the charts of issues 5 and 6:
 * compaction success rate over time and by order (compact_success / compact_stall), scan
 * efficiency (compact_migrate_scanned / compact_free_scanned), latency histograms in simulated
 * ns (migration per folio, source-lock holds, direct compaction, CMA, alloc_contig_range,
 * virtio-mem), outcome counts over time and outcome records (`events`).
 *
 * Series names are the kernel's counter names where one exists; the others say what they count
 * (`alloc_path.direct_compaction`) and carry their unit (`_ns`).
 */
import { vmstat, type Machine } from '../mm'
import type { MigrateStats } from '../migrate'
import { HistogramSet } from './histogram'
import type { SeriesRecorder } from './series'

/** One outcome record of a run (protocol RunResult.events). */
export interface RunEvent {
  timeNs: number
  kind: string
  fields: Record<string, number | string | boolean>
}

/** Records kept per run beyond this are counted but dropped. */
export const MAX_RUN_EVENTS = 100_000

/**
 * The path that produced a high-order page (engine/reclaim's AllocPath, with R2's names):
 * the fast path's free lists, the retry after waking kswapd, direct compaction, direct reclaim,
 * the retry after an OOM kill, `__GFP_NOFAIL`'s reserves, or failure.
 */
export type AllocPath =
  'freelist' | 'kswapd' | 'direct_compaction' | 'direct_reclaim' | 'oom' | 'nofail' | 'failure'

export class MmRecorder {
  readonly histograms = new HistogramSet()
  readonly events: RunEvent[] = []
  droppedEvents = 0
  private readonly counts = new Map<string, number>()
  /** Per order: direct compaction stalls and successes (compact_stall / compact_success). */
  private readonly stallByOrder = new Map<number, number>()
  private readonly successByOrder = new Map<number, number>()

  constructor(
    private readonly m: Machine,
    private readonly sr: SeriesRecorder,
  ) {}

  /** A point of an engine series. */
  series(name: string, timeNs: number, value: number): void {
    this.sr.record(name, timeNs, value)
  }

  /** Adds to a cumulative count and records its new value as a point of series `name`. */
  count(name: string, timeNs: number, delta = 1): void {
    const v = (this.counts.get(name) ?? 0) + delta
    this.counts.set(name, v)
    this.sr.record(name, timeNs, v)
  }

  event(timeNs: number, kind: string, fields: RunEvent['fields']): void {
    if (this.events.length >= MAX_RUN_EVENTS) {
      this.droppedEvents++
      return
    }
    this.events.push({ timeNs, kind, fields })
  }

  /** A high-order allocation and the path that satisfied it (or failure). */
  allocPath(timeNs: number, order: number, path: AllocPath, latencyNs: number): void {
    this.count(`alloc_path.${path}`, timeNs)
    this.count(`alloc_path.order${order}.${path}`, timeNs)
    this.histograms.add('highorder_alloc_latency_ns', latencyNs)
  }

  /** One direct compaction stall at `order`: success means the allocation then succeeded. */
  directCompaction(timeNs: number, order: number, success: boolean, latencyNs: number): void {
    this.stallByOrder.set(order, (this.stallByOrder.get(order) ?? 0) + 1)
    if (success) this.successByOrder.set(order, (this.successByOrder.get(order) ?? 0) + 1)
    const rate = (this.successByOrder.get(order) ?? 0) / (this.stallByOrder.get(order) ?? 1)
    this.sr.record(`compact_success_rate.order${order}`, timeNs, rate)
    this.histograms.add('direct_compaction_latency_ns', latencyNs)
    this.compactionTotals(timeNs)
  }

  /** The machine-wide compaction ratios after any compaction run. */
  compactionTotals(timeNs: number): void {
    // Compaction counters only: no LRU reconcile needed (see vmstatAll.ts).
    const v = Object.fromEntries(vmstat(this.m))
    if (v.compact_stall > 0)
      this.sr.record('compact_success_rate', timeNs, v.compact_success / v.compact_stall)
    if (v.compact_free_scanned > 0) {
      this.sr.record(
        'compact_scan_efficiency',
        timeNs,
        v.compact_migrate_scanned / v.compact_free_scanned,
      )
    }
  }

  /**
   * What one migrate_pages call measured (per folio latency, lock holds, wasted targets), in
   * all and per `migrate_reason` (`migrate_lock_hold_ns.mempolicy_mbind`), since compaction's
   * own migrations would otherwise drown those of the caller being studied.
   */
  migration(timeNs: number, s: MigrateStats, reason: string): void {
    this.histograms.addAll('migrate_latency_ns', s.latencyNs)
    this.histograms.addAll('migrate_lock_hold_ns', s.lockHoldNs)
    this.histograms.add('migrate_call_ns', s.callNs)
    this.histograms.addAll(`migrate_latency_ns.${reason}`, s.latencyNs)
    this.histograms.addAll(`migrate_lock_hold_ns.${reason}`, s.lockHoldNs)
    if (s.wastedTargets > 0) this.count('migrate_wasted_targets', timeNs, s.wastedTargets)
  }
}
