/**
 * /proc/vmstat: one `name value` line per counter, in the kernel's `vmstat_text[]` order.
 */
import { ProcParseError, parseCount, splitLines } from './cformat'

/**
 * `vmstat_text[]` order of the Debian 6.1.0-56-amd64 kernel, read from
 * resources/proc-samples/<case>/<snapshot>/vmstat (all 18 samples print the same names in the
 * same order), with `cma_alloc_success` and `cma_alloc_fail` inserted where 6.1's vmstat_text
 * has them under CONFIG_CMA (after `htlb_buddy_alloc_fail`; that kernel is built without CMA).
 * `nr_unstable` is the deprecated counter vmstat_show appends after the last item.
 */
export const VMSTAT_ORDER: readonly string[] = [
  'nr_free_pages',
  'nr_zone_inactive_anon',
  'nr_zone_active_anon',
  'nr_zone_inactive_file',
  'nr_zone_active_file',
  'nr_zone_unevictable',
  'nr_zone_write_pending',
  'nr_mlock',
  'nr_bounce',
  'nr_zspages',
  'nr_free_cma',
  'numa_hit',
  'numa_miss',
  'numa_foreign',
  'numa_interleave',
  'numa_local',
  'numa_other',
  'nr_inactive_anon',
  'nr_active_anon',
  'nr_inactive_file',
  'nr_active_file',
  'nr_unevictable',
  'nr_slab_reclaimable',
  'nr_slab_unreclaimable',
  'nr_isolated_anon',
  'nr_isolated_file',
  'workingset_nodes',
  'workingset_refault_anon',
  'workingset_refault_file',
  'workingset_activate_anon',
  'workingset_activate_file',
  'workingset_restore_anon',
  'workingset_restore_file',
  'workingset_nodereclaim',
  'nr_anon_pages',
  'nr_mapped',
  'nr_file_pages',
  'nr_dirty',
  'nr_writeback',
  'nr_writeback_temp',
  'nr_shmem',
  'nr_shmem_hugepages',
  'nr_shmem_pmdmapped',
  'nr_file_hugepages',
  'nr_file_pmdmapped',
  'nr_anon_transparent_hugepages',
  'nr_vmscan_write',
  'nr_vmscan_immediate_reclaim',
  'nr_dirtied',
  'nr_written',
  'nr_throttled_written',
  'nr_kernel_misc_reclaimable',
  'nr_foll_pin_acquired',
  'nr_foll_pin_released',
  'nr_kernel_stack',
  'nr_page_table_pages',
  'nr_sec_page_table_pages',
  'nr_swapcached',
  'pgpromote_success',
  'pgpromote_candidate',
  'nr_dirty_threshold',
  'nr_dirty_background_threshold',
  'pgpgin',
  'pgpgout',
  'pswpin',
  'pswpout',
  'pgalloc_dma',
  'pgalloc_dma32',
  'pgalloc_normal',
  'pgalloc_movable',
  'pgalloc_device',
  'allocstall_dma',
  'allocstall_dma32',
  'allocstall_normal',
  'allocstall_movable',
  'allocstall_device',
  'pgskip_dma',
  'pgskip_dma32',
  'pgskip_normal',
  'pgskip_movable',
  'pgskip_device',
  'pgfree',
  'pgactivate',
  'pgdeactivate',
  'pglazyfree',
  'pgfault',
  'pgmajfault',
  'pglazyfreed',
  'pgrefill',
  'pgreuse',
  'pgsteal_kswapd',
  'pgsteal_direct',
  'pgdemote_kswapd',
  'pgdemote_direct',
  'pgscan_kswapd',
  'pgscan_direct',
  'pgscan_direct_throttle',
  'pgscan_anon',
  'pgscan_file',
  'pgsteal_anon',
  'pgsteal_file',
  'zone_reclaim_failed',
  'pginodesteal',
  'slabs_scanned',
  'kswapd_inodesteal',
  'kswapd_low_wmark_hit_quickly',
  'kswapd_high_wmark_hit_quickly',
  'pageoutrun',
  'pgrotated',
  'drop_pagecache',
  'drop_slab',
  'oom_kill',
  'numa_pte_updates',
  'numa_huge_pte_updates',
  'numa_hint_faults',
  'numa_hint_faults_local',
  'numa_pages_migrated',
  'pgmigrate_success',
  'pgmigrate_fail',
  'thp_migration_success',
  'thp_migration_fail',
  'thp_migration_split',
  'compact_migrate_scanned',
  'compact_free_scanned',
  'compact_isolated',
  'compact_stall',
  'compact_fail',
  'compact_success',
  'compact_daemon_wake',
  'compact_daemon_migrate_scanned',
  'compact_daemon_free_scanned',
  'htlb_buddy_alloc_success',
  'htlb_buddy_alloc_fail',
  'cma_alloc_success',
  'cma_alloc_fail',
  'unevictable_pgs_culled',
  'unevictable_pgs_scanned',
  'unevictable_pgs_rescued',
  'unevictable_pgs_mlocked',
  'unevictable_pgs_munlocked',
  'unevictable_pgs_cleared',
  'unevictable_pgs_stranded',
  'thp_fault_alloc',
  'thp_fault_fallback',
  'thp_fault_fallback_charge',
  'thp_collapse_alloc',
  'thp_collapse_alloc_failed',
  'thp_file_alloc',
  'thp_file_fallback',
  'thp_file_fallback_charge',
  'thp_file_mapped',
  'thp_split_page',
  'thp_split_page_failed',
  'thp_deferred_split_page',
  'thp_split_pmd',
  'thp_scan_exceed_none_pte',
  'thp_scan_exceed_swap_pte',
  'thp_scan_exceed_share_pte',
  'thp_split_pud',
  'thp_zero_page_alloc',
  'thp_zero_page_alloc_failed',
  'thp_swpout',
  'thp_swpout_fallback',
  'balloon_inflate',
  'balloon_deflate',
  'balloon_migrate',
  'swap_ra',
  'swap_ra_hit',
  'ksm_swpin_copy',
  'cow_ksm',
  'zswpin',
  'zswpout',
  'direct_map_level2_splits',
  'direct_map_level3_splits',
  'nr_unstable',
]

const RANK = new Map(VMSTAT_ORDER.map((name, i) => [name, i]))

/**
 * Sorts counters into the kernel's order; names the kernel list does not know keep their
 * relative order and go after all known ones (the sort is stable).
 */
export function sortVmstat(entries: readonly (readonly [string, number])[]): [string, number][] {
  const rank = (name: string): number => RANK.get(name) ?? VMSTAT_ORDER.length
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e[0]) - rank(b.e[0]) || a.i - b.i)
    .map(({ e }) => [e[0], e[1]])
}

/**
 * mm/vmstat.c:vmstat_show: `seq_puts(name)`, `seq_put_decimal_ull(" ", value)`, `'\n'` per
 * counter, in the order given (use `sortVmstat` for the kernel's order).
 */
export function formatVmstat(entries: readonly (readonly [string, number])[]): string {
  let out = ''
  for (const [name, value] of entries) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`vmstat: ${name} = ${value} is not an unsigned integer`)
    }
    out += `${name} ${value}\n`
  }
  return out
}

/** Parses /proc/vmstat text into `[name, value]` pairs in file order. */
export function parseVmstat(text: string): [string, number][] {
  return splitLines(text).map((line, i) => {
    const m = /^([a-z0-9_]+) (\d+)$/.exec(line)
    const value = m ? parseCount(m[2]) : undefined
    if (!m || value === undefined) {
      throw new ProcParseError('vmstat', i + 1, line, 'expected "<name> <unsigned value>"')
    }
    return [m[1], value]
  })
}

/** `parseVmstat` as a Map, for lookups by counter name. */
export function vmstatMap(text: string): Map<string, number> {
  return new Map(parseVmstat(text))
}
