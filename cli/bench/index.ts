/**
 * Benchmarks for the engine core (issue 3, item 9). `runBench()` runs every workload, or the
 * named ones, and returns one plain object per result; it prints nothing.
 * - `churn`: buddy churn, per-cpu lists off (the figure).
 * - `churn-pcp`: the same with per-cpu lists on, for comparison.
 * - `rss-64g`: peak RSS of creating a 64 GiB machine, in a child process.
 */
import * as os from 'node:os'
import { runChurn } from './churn'
import { runRss64g } from './rss64g'

export const BENCH_NAMES = ['churn', 'churn-pcp', 'rss-64g'] as const

export async function runBench(names?: string[]): Promise<object[]> {
  const wanted = names && names.length > 0 ? names : [...BENCH_NAMES]
  const cores = os.cpus().length
  const out: object[] = []
  for (const name of wanted) {
    if (name === 'churn') out.push({ ...runChurn(10_000_000, false, 'churn'), cores })
    else if (name === 'churn-pcp') out.push({ ...runChurn(10_000_000, true, 'churn-pcp'), cores })
    else if (name === 'rss-64g') out.push({ ...runRss64g(), cores })
    else
      throw new Error(`unknown benchmark ${JSON.stringify(name)}; known: ${BENCH_NAMES.join(', ')}`)
  }
  return out
}
