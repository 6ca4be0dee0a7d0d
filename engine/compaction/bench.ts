/**
 * The compact-16g benchmark (issue 5 item 11): a 16 GiB single-node machine with the default
 * zones is filled with order-0 anonymous folios down to a margin above the high watermarks,
 * 7 of every 8 are freed in pfn order, and `compact_memory` runs to completion. The wall time
 * is measured with the caller's clock (engine code reads no timers itself).
 */
import { createMachine } from '../mm/boot'
import { type KernelEra, parseMachineConfig } from '../mm/config'
import { type Machine } from '../mm/machine'
import { drainAllPages } from '../mm/pcp'
import { migrateVmEvents } from '../migrate/counters'
import { createSimClock } from '../migrate/simClock'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { compactMemory } from './entry'
import { fillWithAnonFolios, freeAllButEveryNth } from './fill'
import { COMPACTFREE_SCANNED, COMPACTMIGRATE_SCANNED } from './state'
import { type CompactionVariants, type CompactResult } from './types'

export interface Compact16gResult {
  bench: 'compact-16g'
  pfns_scanned_per_s: number
  pages_migrated_per_s: number
  wall_s: number
  migrate_scanned: number
  free_scanned: number
  pages_migrated: number
  /** Simulated time compact_memory took, in ns. */
  sim_ns: number
  /** Free order-9+ blocks (2 MiB) before and after. */
  free_hugepages_before: number
  free_hugepages_after: number
  results: CompactResult[]
}

function freeBlocksAtLeast(m: Machine, order: number): number {
  let n = 0
  for (const z of m.zones)
    for (let o = order; o <= m.maxOrder; o++) n += m.nrFree[z.id * m.nrOrders + o] << (o - order)
  return n
}

/**
 * Run the benchmark. `now` returns milliseconds (performance.now in the caller); only
 * compact_memory is timed. `memoryMiB` (default 16384) and `kernelEra` (default the config's)
 * and `variants` are for smaller or comparative runs.
 */
export function runCompact16g(
  now: () => number,
  opts: { memoryMiB?: number; kernelEra?: KernelEra; variants?: Partial<CompactionVariants> } = {},
): Compact16gResult {
  const m = createMachine(
    parseMachineConfig({
      memoryMiB: opts.memoryMiB ?? 16384,
      nrNodes: 1,
      kernelEra: opts.kernelEra,
    }),
  )
  const { mine } = fillWithAnonFolios(m, 4096)
  freeAllButEveryNth(m, mine, 8)
  const before = freeBlocksAtLeast(m, m.pageblockOrder)
  const migratedBefore = migrateVmEvents(m).pgmigrate_success
  const scannedBefore = m.vmEvents[COMPACTMIGRATE_SCANNED] + m.vmEvents[COMPACTFREE_SCANNED]
  const clock = createSimClock()
  const t0 = now()
  const results = compactMemory(m, { clock, cost: DEFAULT_COST_MODEL, variants: opts.variants })
  const wallS = (now() - t0) / 1000
  // Count the blocks as /proc/buddyinfo would after `echo 3 > drop_caches`-style draining.
  drainAllPages(m, null)
  const migrateScanned = m.vmEvents[COMPACTMIGRATE_SCANNED]
  const freeScanned = m.vmEvents[COMPACTFREE_SCANNED]
  const scanned = migrateScanned + freeScanned - scannedBefore
  const migrated = migrateVmEvents(m).pgmigrate_success - migratedBefore
  return {
    bench: 'compact-16g',
    pfns_scanned_per_s: Math.round(scanned / wallS),
    pages_migrated_per_s: Math.round(migrated / wallS),
    wall_s: Math.round(wallS * 1000) / 1000,
    migrate_scanned: migrateScanned,
    free_scanned: freeScanned,
    pages_migrated: migrated,
    sim_ns: clock.nowNs,
    free_hugepages_before: before,
    free_hugepages_after: freeBlocksAtLeast(m, m.pageblockOrder),
    results,
  }
}
