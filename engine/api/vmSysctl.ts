/**
 * The compaction sysctls (kernel/sysctl tables in mm/compaction.c): `vm.compact_memory`
 * (write-only; writing 1 runs compact_nodes), `vm.extfrag_threshold` (0..1000), reclaim's
 * `vm.swappiness` (0..200),
 * `vm.compaction_proactiveness` (0..100; a write wakes kcompactd, as
 * compaction_proactiveness_sysctl_handler does, and proactive compaction runs on kcompactd's
 * 500 ms timer while it is > 0), `vm.compact_unevictable_allowed` (0..1) and
 * `vm.nr_hugepages` (mm/hugetlb.c: writing grows or shrinks the 2 MiB pool through
 * set_max_huge_pages, reading gives the pool size obtained). The page
 * allocator's knobs are in sysctl.ts. Returns undefined / false for names not handled here.
 */
import type { MmOps } from './mmOps'

const RANGES: Record<string, [key: keyof MmOps['sysctls'], min: number, max: number]> = {
  'vm.extfrag_threshold': ['extfragThreshold', 0, 1000],
  'vm.compaction_proactiveness': ['compactionProactiveness', 0, 100],
  'vm.compact_unevictable_allowed': ['compactUnevictableAllowed', 0, 1],
  // mm/vmscan.c vm_swappiness (0..200 since 5.8).
  'vm.swappiness': ['swappiness', 0, 200],
}

export const COMPACTION_SYSCTL_NAMES = [
  'vm.compact_memory',
  ...Object.keys(RANGES),
  'vm.nr_hugepages',
]

export function vmSysctlGet(ops: MmOps, name: string): number | undefined {
  if (name === 'vm.nr_hugepages') return ops.nrHugepages()
  if (name === 'vm.compact_memory') {
    throw new Error('sysctl vm.compact_memory: Permission denied (the file is write-only)')
  }
  const r = RANGES[name]
  return r ? ops.sysctls[r[0]] : undefined
}

export function vmSysctlSet(ops: MmOps, name: string, value: number): boolean {
  if (name === 'vm.nr_hugepages') {
    // hugetlb_sysctl_handler_common: proc_doulongvec_minmax, then set_max_huge_pages.
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new RangeError(
        `sysctl vm.nr_hugepages=${String(value)}: Invalid argument (must be an integer ≥ 0)`,
      )
    }
    ops.setNrHugepages(value)
    return true
  }
  const r = name === 'vm.compact_memory' ? null : RANGES[name]
  if (name !== 'vm.compact_memory' && !r) return false
  const [min, max] = r ? [r[1], r[2]] : [1, 1]
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `sysctl ${name}=${String(value)}: Invalid argument (must be an integer in ${min}..${max})`,
    )
  }
  if (!r) {
    ops.compactMemory()
    return true
  }
  ops.sysctls[r[0]] = value
  if (r[0] === 'compactionProactiveness' && value > 0) ops.startKcompactd()
  return true
}
