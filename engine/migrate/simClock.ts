/**
 * Simulated time for synchronous engine operations (coordinator's time model): an operation
 * advances `clock.nowNs` by the costs of the work it does (engine/sched/costModel.ts), so a
 * caller reads the latency of a call as the clock difference. Callbacks that do their own work
 * (a `get_new_folio` that enters reclaim or compaction) advance the same clock.
 */
export interface SimClock {
  /** Simulated time in ns. Only ever increases. */
  nowNs: number
}

/** A clock starting at `startNs` (default 0). */
export function createSimClock(startNs = 0): SimClock {
  return { nowNs: startNs }
}
