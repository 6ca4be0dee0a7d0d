/**
 * `/sys/kernel/mm/transparent_hugepage/` as the workload API serves it: the per-size mTHP
 * counters `hugepages-<size>kB/stats/<item>` (engine/mm/deferredSplit.ts).
 */
import { eraAtLeast, type Machine } from '../mm/machine'
import { mthpStat, MTHP_STAT_ITEMS, type MthpStatItem } from '../mm/deferredSplit'
import { HPAGE_PMD_ORDER } from '../mm/pcpIndex'

export const THP_STATS_PATH =
  /^\/sys\/kernel\/mm\/transparent_hugepage\/hugepages-(\d+)kB\/stats\/(\w+)$/

/**
 * `/sys/kernel/mm/transparent_hugepage/hugepages-<size>kB/stats/<item>` (mm/huge_memory.c
 * `sum_mthp_stat`): the 6.12 items, for the anon mTHP sizes 16 KiB .. 2 MiB (orders 2..9).
 * The directory is 6.12's; earlier eras had fewer items and are refused.
 */
export function readMthpStat(m: Machine, sizeKiB: number, item: string): number {
  const order = Math.log2(sizeKiB / 4)
  if (!Number.isInteger(order) || order < 2 || order > HPAGE_PMD_ORDER)
    throw new RangeError(
      `no such file: hugepages-${sizeKiB}kB (anon mTHP sizes are 16kB .. 2048kB, powers of 2)`,
    )
  if (!(MTHP_STAT_ITEMS as readonly string[]).includes(item))
    throw new RangeError(
      `no such file: hugepages-${sizeKiB}kB/stats/${item} (items: ${MTHP_STAT_ITEMS.join(', ')})`,
    )
  if (!eraAtLeast(m, '6.12'))
    throw new RangeError(
      `hugepages-${sizeKiB}kB/stats/${item}: the model serves 6.12's per-size stats, not era ${m.cfg.kernelEra}'s`,
    )
  return mthpStat(m, order, item as MthpStatItem)
}
