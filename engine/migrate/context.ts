/**
 * The state one migratePages call carries through its batches: the caller's callbacks and
 * options resolved to defaults, the per-call measurements, and the record the kernel keeps in
 * the destination folio between unmap and move (`__migrate_folio_record`: page_was_mapped).
 */
import { type CostModel } from '../sched/costModel'
import { folioSetFlags } from '../mm/folio'
import { type Machine } from '../mm/machine'
import { PG_writeback } from '../mm/memmap'
import { type LockTimeline, MIGRATION_HOLD } from './lockTimeline'
import { type SimClock } from './simClock'
import {
  type AllocateTarget,
  type DeferredSplitRequeue,
  type MigrateBatching,
  type MigrateOptions,
  type MigrateReason,
  type MigrateStats,
  type NewFolioFn,
  type PutFolioFn,
} from './types'

/** Default `writebackWaitNs`: one 4 KiB-ish write-out to a fast SSD. */
export const DEFAULT_WRITEBACK_WAIT_NS = 100_000

/** A source between unmap and move: its destination and what to undo. */
export interface PendingMove {
  dst: number
  /** Mappings replaced by migration entries (page_was_mapped, as a count). */
  mappings: number
  /** When the source lock was taken. */
  lockStartNs: number
  /** When this (successful) attempt started: the folio's latency runs from here. */
  startNs: number
  /** Non-LRU movable page (movable_operations). */
  movableOps: boolean
}

export interface MigrateCtx {
  m: Machine
  getNew: NewFolioFn
  putNew: PutFolioFn | null
  reason: MigrateReason
  clock: SimClock
  cost: CostModel
  allocateTarget: AllocateTarget
  batching: MigrateBatching
  deferredSplitRequeue: DeferredSplitRequeue
  locks: LockTimeline | undefined
  pfMemalloc: boolean
  waitForLock: (pfn: number, clock: SimClock) => boolean
  waitForWriteback: (pfn: number, clock: SimClock) => boolean
  /** Sources unmapped and waiting for their move (keyed by source head pfn). */
  pending: Map<number, PendingMove>
  /** A TTU_BATCH_FLUSH unmap left a TLB flush to do (`try_to_unmap_flush`). */
  flushPending: boolean
  out: MigrateStats
}

export function emptyMigrateStats(): MigrateStats {
  return {
    nrSucceeded: 0,
    nrFailedPages: 0,
    nrThpSucceeded: 0,
    nrThpFailed: 0,
    nrThpSplit: 0,
    nrSplit: 0,
    retval: 0,
    latencyNs: [],
    lockHoldNs: [],
    wastedTargets: 0,
    wastedByCause: { lock: 0, writeback: 0, unmap: 0, move: 0 },
    callNs: 0,
  }
}

/**
 * Default sleeping `folio_lock` on a folio held by somebody else: if `locks` knows when the
 * holder releases it, wait until then plus a wake-up and take the handed-over lock (PG_locked
 * stays set, now ours). Otherwise the wait cannot finish inside a synchronous call.
 */
export function timelineLockWait(locks: LockTimeline | undefined, cost: CostModel) {
  return (pfn: number, clock: SimClock): boolean => {
    if (!locks) return false
    const freeNs = locks.freeAtNs(pfn, clock.nowNs, MIGRATION_HOLD)
    if (freeNs === clock.nowNs) return false
    clock.nowNs = freeNs + cost.wakeupNs
    return true
  }
}

/**
 * Default `folio_wait_writeback`: the write-out takes `writebackWaitNs`, then
 * `folio_end_writeback` clears PG_writeback and wakes the waiter.
 */
export function fixedWritebackWait(m: Machine, writebackWaitNs: number, cost: CostModel) {
  return (pfn: number, clock: SimClock): boolean => {
    clock.nowNs += writebackWaitNs + cost.wakeupNs
    folioSetFlags(m, pfn, PG_writeback, false)
    return true
  }
}

export function createMigrateCtx(
  m: Machine,
  getNew: NewFolioFn,
  putNew: PutFolioFn | null,
  opts: MigrateOptions,
  defaultBatching: MigrateBatching,
  defaultRequeue: DeferredSplitRequeue,
): MigrateCtx {
  const cost = opts.cost
  return {
    m,
    getNew,
    putNew,
    reason: opts.reason,
    clock: opts.clock,
    cost,
    allocateTarget: opts.allocateTarget ?? 'before-lock',
    batching: opts.batching ?? defaultBatching,
    deferredSplitRequeue: opts.deferredSplitRequeue ?? defaultRequeue,
    locks: opts.locks,
    pfMemalloc: opts.pfMemalloc ?? false,
    waitForLock: opts.waitForLock ?? timelineLockWait(opts.locks, cost),
    waitForWriteback:
      opts.waitForWriteback ??
      fixedWritebackWait(m, cost.writebackWaitNs ?? DEFAULT_WRITEBACK_WAIT_NS, cost),
    pending: new Map(),
    flushPending: false,
    out: emptyMigrateStats(),
  }
}
