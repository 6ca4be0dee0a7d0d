/**
 * What each simulated kernel operation costs in simulated time. Every call a workload makes
 * (allocPages, folioLock, pin, ...) charges the calling task's clock with these figures, so
 * latencies in results are simulated nanoseconds: identical on every machine and every run.
 *
 * The defaults are order-of-magnitude figures for a current x86_64 server core (4 KiB pages),
 * chosen so that relative costs are right (a TLB shootdown is far dearer than a PTE clear;
 * copying a page dwarfs scanning a pfn). They are not measurements of any particular machine.
 * A workload overrides any of them with `export const machine = { cost: { pageCopyNs: 400 } }`.
 */
export interface CostModel {
  /** One successful page-allocator call (`__alloc_pages` fast path), any order. */
  allocNs: number
  /** One failed allocation (slow path walked without success). */
  allocFailNs: number
  /** One `__free_pages` call, including merging with buddies. */
  freeNs: number
  /** Taking or releasing an uncontended lock (folio lock, zone lock). */
  lockNs: number
  /** Waking a blocked task until it runs again (wake-up plus context switch). */
  wakeupNs: number
  /** Creating a task (`spawn`) until its first instruction runs. */
  spawnNs: number
  /** Copying one base page (4 KiB) during migration. */
  pageCopyNs: number
  /** Installing one PTE (a fault mapping a page). */
  pteMapNs: number
  /** Clearing or restoring one PTE (zap_pte_range, try_to_migrate / remove_migration_ptes). */
  pteUnmapNs: number
  /** One TLB flush, including the IPI shootdown to other CPUs. */
  tlbFlushNs: number
  /** Looking at one pfn in a compaction or isolation scanner. */
  pfnScanNs: number
  /** Pinning or unpinning one base page (pin_user_pages / unpin_user_page). */
  pinNs: number
  /** mlock of one base page (mlock_folio, LRU move to unevictable). */
  mlockNs: number
  /** Any other small bookkeeping call (folioGet/Put, flag updates, sysctl, /proc reads). */
  bookkeepingNs: number
}

export const DEFAULT_COST_MODEL: Readonly<CostModel> = Object.freeze({
  allocNs: 200,
  allocFailNs: 2_000,
  freeNs: 150,
  lockNs: 20,
  wakeupNs: 2_000,
  spawnNs: 10_000,
  pageCopyNs: 300,
  pteMapNs: 50,
  pteUnmapNs: 50,
  tlbFlushNs: 2_000,
  pfnScanNs: 10,
  pinNs: 100,
  mlockNs: 150,
  bookkeepingNs: 5,
})

export const COST_MODEL_KEYS = Object.keys(DEFAULT_COST_MODEL) as (keyof CostModel)[]

/** The defaults overridden by `overrides`; rejects unknown keys and negative or non-finite costs. */
export function resolveCostModel(overrides: unknown): CostModel {
  const out: CostModel = { ...DEFAULT_COST_MODEL }
  if (overrides === undefined) return out
  if (typeof overrides !== 'object' || overrides === null) {
    throw new RangeError('machine.cost must be an object of ns figures')
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (!(COST_MODEL_KEYS as string[]).includes(key)) {
      throw new RangeError(
        `machine.cost.${key} is not a cost (known: ${COST_MODEL_KEYS.join(', ')})`,
      )
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`machine.cost.${key} must be a finite number of ns >= 0`)
    }
    out[key as keyof CostModel] = value
  }
  return out
}
