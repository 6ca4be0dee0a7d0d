/**
 * The /proc and debugfs files of a running machine, by path, as a script or the CLI prints
 * them after a workload.
 */
import { type Machine } from '../mm/machine'
import { vmstat, zoneInfo } from '../mm/vmstat'
import { formatBuddyinfo } from './buddyinfo'
import { formatExtfragIndex, formatUnusableIndex } from './extfrag'
import { formatPagetypeinfo } from './pagetypeinfo'
import { formatVmstat, sortVmstat } from './vmstat'

export interface ProcFileOptions {
  /** CONFIG_CMA of the kernel to imitate (CMA row and column of pagetypeinfo). Default true. */
  cma?: boolean
}

/** The files `readProcFile` knows. */
export const PROC_FILES = [
  '/proc/buddyinfo',
  '/proc/pagetypeinfo',
  '/proc/vmstat',
  '/sys/kernel/debug/extfrag/unusable_index',
  '/sys/kernel/debug/extfrag/extfrag_index',
] as const
export type ProcFile = (typeof PROC_FILES)[number]

/**
 * `cat <path>` on the machine. /proc/vmstat prints the engine's counters in the kernel's
 * order, then the deprecated `nr_unstable 0` that vmstat_show always appends.
 */
export function readProcFile(m: Machine, path: ProcFile, opts: ProcFileOptions = {}): string {
  switch (path) {
    case '/proc/buddyinfo':
      return formatBuddyinfo(zoneInfo(m))
    case '/proc/pagetypeinfo':
      return formatPagetypeinfo(zoneInfo(m), { pageblockOrder: m.pageblockOrder, cma: opts.cma })
    case '/proc/vmstat': {
      const entries = sortVmstat(vmstat(m).filter(([name]) => name !== 'nr_unstable'))
      return formatVmstat([...entries, ['nr_unstable', 0]])
    }
    case '/sys/kernel/debug/extfrag/unusable_index':
      return formatUnusableIndex(zoneInfo(m))
    case '/sys/kernel/debug/extfrag/extfrag_index':
      return formatExtfragIndex(zoneInfo(m))
    default:
      throw new Error(`readProcFile: no file ${String(path)}; known: ${PROC_FILES.join(', ')}`)
  }
}
