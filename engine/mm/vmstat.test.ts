import { describe, expect, it } from 'vitest'
import { allocPages } from './alloc'
import { createMachine } from './boot'
import { parseMachineConfig } from './config'
import { freePages } from './free'
import { __GFP_COMP, GFP_HIGHUSER_MOVABLE, GFP_KERNEL } from './gfp'
import { setCurrentCpu } from './machine'
import { MIGRATE_MOVABLE } from './migratetype'
import { testMachine } from './testing'
import { traceSubscribe } from './trace'
import { type TraceEvent } from './traceTypes'
import { vmstat, zoneInfo } from './vmstat'

const get = (m: ReturnType<typeof testMachine>, name: string) =>
  vmstat(m).find(([k]) => k === name)?.[1]

describe('mm/vmstat.c counters the model maintains', () => {
  it('lists them in vmstat_text order with kernel names', () => {
    const names = vmstat(testMachine()).map(([k]) => k)
    expect(names).toEqual([
      'nr_free_pages',
      'nr_zone_inactive_anon',
      'nr_zone_active_anon',
      'nr_zone_inactive_file',
      'nr_zone_active_file',
      'nr_zone_unevictable',
      'nr_zone_write_pending',
      'nr_mlock',
      'nr_free_cma',
      'numa_hit',
      'numa_miss',
      'numa_foreign',
      'numa_local',
      'numa_other',
      'nr_inactive_anon',
      'nr_active_anon',
      'nr_inactive_file',
      'nr_active_file',
      'nr_unevictable',
      'nr_isolated_anon',
      'nr_isolated_file',
      'nr_dirty',
      'nr_writeback',
      'nr_vmscan_write',
      'nr_vmscan_immediate_reclaim',
      'pswpin',
      'pswpout',
      'pgalloc_dma',
      'pgalloc_dma32',
      'pgalloc_normal',
      'pgalloc_movable',
      'allocstall_dma',
      'allocstall_dma32',
      'allocstall_normal',
      'allocstall_movable',
      'pgfree',
      'pgactivate',
      'pgdeactivate',
      'pgrefill',
      'pgsteal_kswapd',
      'pgsteal_direct',
      'pgscan_kswapd',
      'pgscan_direct',
      'pgscan_anon',
      'pgscan_file',
      'pgsteal_anon',
      'pgsteal_file',
      'kswapd_low_wmark_hit_quickly',
      'kswapd_high_wmark_hit_quickly',
      'pageoutrun',
      'pgrotated',
      'oom_kill',
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
      'thp_split_page',
      'thp_split_page_failed',
      'thp_deferred_split_page',
      'thp_swpout',
      'thp_swpout_fallback',
    ])
  })
  it('pgalloc_<zone> and pgfree count pages; numa_hit counts allocations', () => {
    const m = testMachine()
    const boot = get(m, 'pgfree') ?? 0
    expect(boot).toBe(16384) // memblock_free_all frees every page once
    const p = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 3)
    expect(get(m, 'pgalloc_normal')).toBe(8)
    expect(get(m, 'numa_hit')).toBe(1)
    expect(get(m, 'numa_local')).toBe(1)
    freePages(m, p, 3)
    expect(get(m, 'pgfree')).toBe(boot + 8)
    expect(get(m, 'nr_free_pages')).toBe(16384)
  })
  it('numa_miss/numa_foreign/numa_other when the preferred node is full', () => {
    const m = createMachine(
      parseMachineConfig({ memoryMiB: 256, nrNodes: 2, nrCpus: 2, pcp: false }),
    )
    setCurrentCpu(m, 1) // node 1: one Normal... here DMA32 only
    while (allocPages(m, GFP_KERNEL, 0) >= 0 && (get(m, 'numa_miss') ?? 0) === 0) {
      /* fill node 1 */
    }
    expect(get(m, 'numa_miss')).toBe(1)
    expect(get(m, 'numa_foreign')).toBe(1)
    expect(get(m, 'numa_other')).toBe(1)
  })
  it('zoneInfo reports free blocks per order and type, and pageblocks per type', () => {
    const zi = zoneInfo(testMachine())
    expect(zi).toHaveLength(1)
    expect(zi[0].nrFree[10]).toBe(16)
    expect(zi[0].nrFreeByType[MIGRATE_MOVABLE][10]).toBe(16)
    expect(zi[0].nrPageblocksByType[MIGRATE_MOVABLE]).toBe(32)
    expect(zi[0].freePages).toBe(16384)
  })
})

describe('tracepoints (include/trace/events/kmem.h)', () => {
  it('mm_page_alloc and mm_page_free carry the kernel field names', () => {
    const m = testMachine()
    const evs: TraceEvent[] = []
    const off1 = traceSubscribe(m, 'mm_page_alloc', (e) => evs.push(e))
    traceSubscribe(m, 'mm_page_free', (e) => evs.push(e))
    traceSubscribe(m, 'mm_page_alloc_zone_locked', (e) => evs.push(e))
    const p = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    freePages(m, p, 0)
    expect(evs.map((e) => e.name)).toEqual([
      'mm_page_alloc_zone_locked',
      'mm_page_alloc',
      'mm_page_free',
    ])
    expect(evs[1]).toEqual({
      name: 'mm_page_alloc',
      page: (0xffffea0000000000n + BigInt(p) * 64n).toString(16),
      pfn: p,
      order: 0,
      gfp_flags: GFP_HIGHUSER_MOVABLE,
      migratetype: MIGRATE_MOVABLE,
    })
    expect(evs[0]).toMatchObject({ percpu_refill: true, migratetype: MIGRATE_MOVABLE })
    const page = (0xffffea0000000000n + BigInt(p) * 64n).toString(16)
    expect(evs[2]).toEqual({ name: 'mm_page_free', page, pfn: p, order: 0 })
    off1()
    allocPages(m, GFP_KERNEL, 0)
    expect(evs.filter((e) => e.name === 'mm_page_alloc')).toHaveLength(1)
  })
})
