/**
 * Benchmarks for the engine core (issue 3, item 9). `runBench()` runs every workload, or the
 * named ones, and returns one plain object per result; it prints nothing.
 * - `churn`: the workload on the default machine config (per-cpu lists on, as in every
 *   kernel).
 * - `churn-nopcp`: the same with per-cpu lists off: every operation goes through the zone's
 *   buddy lists (`__rmqueue_smallest` / `__free_one_page`).
 * - `rss-64g`: peak RSS of creating a 64 GiB machine, in a child process.
 * - `compact-16g` (issue 5, item 11): a 16 GiB machine filled with order-0 movable folios, 7 of
 *   every 8 freed, then `vm.compact_memory` timed to completion.
 * - `memmap-64g` (issue 7): encode and draw times of memory-map frames for a 64 GiB machine.
 */
import * as os from 'node:os'
import { runChurn } from './churn'
import { runRss64g } from './rss64g'
import { runCompact16g } from '../../engine/compaction/bench'
import { runMemmapFrames } from './memmapFrames'

export const BENCH_NAMES = ['churn', 'churn-nopcp', 'rss-64g', 'compact-16g', 'memmap-64g'] as const

export async function runBench(names?: string[]): Promise<object[]> {
  const wanted = names && names.length > 0 ? names : [...BENCH_NAMES]
  const cores = os.cpus().length
  const out: object[] = []
  for (const name of wanted) {
    if (name === 'churn') out.push({ ...runChurn(10_000_000, true, 'churn'), cores })
    else if (name === 'churn-nopcp')
      out.push({ ...runChurn(10_000_000, false, 'churn-nopcp'), cores })
    else if (name === 'rss-64g') out.push({ ...runRss64g(), cores })
    else if (name === 'compact-16g') out.push({ ...runCompact16g(() => performance.now()), cores })
    else if (name === 'memmap-64g') out.push({ ...runMemmapFrames(), cores })
    else
      throw new Error(`unknown benchmark ${JSON.stringify(name)}; known: ${BENCH_NAMES.join(', ')}`)
  }
  return out
}
