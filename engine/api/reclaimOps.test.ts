/**
 * The workload API's bindings to page reclaim and the full allocation slow path
 * (mm/page_alloc.c:__alloc_pages_slowpath, mm/vmscan.c, mm/oom_kill.c), end to end through
 * WorkloadRun and the guest kernel. Each case states the kernel behaviour it checks.
 */
import { describe, expect, it } from 'vitest'
import {
  __GFP_NORETRY,
  GFP_ATOMIC,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  GFP_TRANSHUGE,
  GFP_TRANSHUGE_LIGHT,
} from '../mm'
import { pgdatBalanced } from '../reclaim'
import type { Folio } from './mmwb'
import { runModule, type TestModule } from './runModule.testutil'

const small = { memoryMiB: 64, nrCpus: 2, kernelEra: '6.12', pcp: false }

describe('kswapd as a kernel thread (mm/vmscan.c:kswapd, balance_pgdat)', () => {
  it('is woken by the slow path and reclaims to the HIGH watermark while the workload sleeps', async () => {
    const t: Record<string, number> = {}
    const out = await runModule({
      machine: small,
      async default(k) {
        let woken = false
        const off = k.trace.on('mm_vmscan_wakeup_kswapd', () => (woken = true))
        // Clean page cache until an allocation misses every zone's LOW watermark.
        while (!woken) if (k.filemapAddFolio(0) === null) throw new Error('page cache failed')
        off()
        t.woken = k.now()
        t.stealAtWake = k.vmstat('pgsteal_kswapd')
        await k.sleep(50_000_000)
        t.after = k.now()
      },
    })
    // The thread ran after the wakeup, inside the workload's sleep, on its own clock.
    const runs = out.events.filter((e) => e.kind === 'kswapd')
    expect(runs.length).toBeGreaterThan(0)
    expect(runs[0].timeNs).toBeGreaterThanOrEqual(t.woken)
    expect(runs[0].timeNs).toBeLessThan(t.after)
    expect(t.stealAtWake).toBe(0)
    expect(out.vmstat.pgsteal_kswapd).toBeGreaterThan(0)
    expect(out.vmstat.pageoutrun).toBeGreaterThan(0)
    // The workload never reclaimed itself: kswapd did it all (allocstall_* stay 0).
    expect(out.vmstat.pgsteal_direct).toBe(0)
    expect(out.vmstat.allocstall_movable + out.vmstat.allocstall_normal).toBe(0)
    // pgdat_balanced: some eligible zone meets HIGH again.
    expect(pgdatBalanced(out.m, 0, 0, 3)).toBe(true)
    expect(runs[0].fields.balanced).toBe(true)
  })
})

describe('every high-order allocation is labelled with its path (__alloc_pages_slowpath)', () => {
  it('a THP over scattered free pages is produced by direct compaction', async () => {
    const out = await runModule({
      machine: small,
      default(k) {
        const all: Folio[] = []
        for (;;) {
          const f = k.allocPages(GFP_HIGHUSER_MOVABLE & ~0x800, 0) // no kswapd: just fill
          if (!f) break
          all.push(f)
        }
        // The reserves below MIN are whole free blocks: GFP_ATOMIC (less kswapd) eats them.
        while (k.allocPages(GFP_ATOMIC & ~0x800, 0) !== null);
        all.sort((a, b) => a.pfn - b.pfn)
        all.forEach((f, i) => i % 4 !== 3 && k.folioPut(f))
        k.record('thp', k.allocPages(GFP_TRANSHUGE, 9) === null ? 0 : 1)
      },
    })
    expect(out.series.thp[0][1]).toBe(1)
    expect(out.series['alloc_path.direct_compaction']).toBeDefined()
    expect(out.series['alloc_path.order9.direct_compaction']).toBeDefined()
    expect(out.series['alloc_path.direct_reclaim']).toBeUndefined()
  })

  it('a THP when memory is full of page-cache THPs is produced by direct reclaim', async () => {
    const out = await runModule({
      machine: small,
      default(k) {
        // Page-cache THPs that never reclaim while filling (no __GFP_DIRECT_RECLAIM, no kswapd).
        while (k.filemapAddFolio(9, GFP_TRANSHUGE_LIGHT | __GFP_NORETRY) !== null);
        k.record('thp', k.allocPages(GFP_TRANSHUGE, 9) === null ? 0 : 1)
      },
    })
    expect(out.series.thp[0][1]).toBe(1)
    // try_to_free_pages dropped a whole clean file THP: the retry after it found the block.
    expect(out.series['alloc_path.direct_reclaim']).toEqual([[expect.any(Number), 1]])
    expect(out.vmstat.allocstall_movable + out.vmstat.allocstall_normal).toBeGreaterThan(0)
    expect(out.vmstat.pgsteal_direct).toBeGreaterThanOrEqual(512)
  })

  it('GFP_KERNEL order 1 that the free lists serve is labelled freelist', async () => {
    const out = await runModule({
      machine: small,
      default(k) {
        k.allocPages(GFP_KERNEL, 1)
      },
    })
    expect(out.series['alloc_path.freelist']).toEqual([[expect.any(Number), 1]])
    expect(out.series['alloc_path.order1.freelist']).toBeDefined()
  })
})

describe('the OOM killer (mm/oom_kill.c:out_of_memory, select_bad_process)', () => {
  it('kills the process with the largest RSS and frees its memory; the allocation then succeeds', async () => {
    const seen: Record<string, unknown> = {}
    const out = await runModule({
      machine: small,
      default(k) {
        const small = k.createProcess('small')
        const big = k.createProcess('big')
        const give = (p: typeof small, n: number): void => {
          for (let i = 0; i < n; i++) {
            const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0) as Folio
            p.map(f)
            k.folioPut(f) // the mapping keeps it
          }
        }
        // The 64 MiB machine's buddy has ~5700 pages above its watermarks after boot
        // reservations (first MiB, kernel image, memmap).
        give(small, 1000)
        give(big, 3000)
        seen.bigRss = big.rssPages()
        // Anonymous memory without swap cannot be reclaimed: fill until the OOM killer runs.
        let n = 0
        while (k.vmstat('oom_kill') === 0 && n++ < 20_000) {
          if (k.allocPages(GFP_HIGHUSER_MOVABLE, 0) === null) break
        }
        seen.smallRss = small.rssPages()
        try {
          big.rssPages()
        } catch (e) {
          seen.bigError = (e as Error).message
        }
      },
    })
    expect(out.vmstat.oom_kill).toBe(1)
    const kill = out.events.find((e) => e.kind === 'oom_kill')
    expect(kill?.fields).toMatchObject({ comm: 'big', pages: seen.bigRss })
    expect(seen.smallRss).toBe(1000)
    expect(seen.bigError).toMatch(/killed by the OOM killer/)
  })
})

describe('swap (seed 002: swap will split folios)', () => {
  const mod = (): TestModule => ({
    machine: { ...small, swap: { sizeMiB: 64, synchronousIo: true } },
    variants: {
      pmd: { design: { 'swap.largeFolios': 'pmd-only' } },
      split: { design: { 'swap.largeFolios': 'split' } },
    },
    default(k) {
      const thps: Folio[] = []
      for (let i = 0; i < 40; i++) {
        const f = k.allocPages(GFP_TRANSHUGE, 9)
        if (f) thps.push(f)
      }
      const out = thps.find((f) => f.swapped)
      k.record('swapped_handles', thps.filter((f) => f.swapped).length)
      if (!out) return
      // Swapping does not change a folio's size: order and nrPages read the swap entry.
      k.record('swapped_order', out.order)
      k.record('swapped_nr_pages', out.nrPages)
      k.record('major_fault', k.touch(out) ? 1 : 0)
      k.record('after_touch_swapped', out.swapped ? 1 : 0)
      k.record('after_touch_order', out.order)
      k.freePages(out)
    },
  })

  it('pmd-only: anon THPs swap out whole (thp_swpout); touch() faults one back in as order 0', async () => {
    const out = await runModule(mod(), { variant: 'pmd' })
    expect(out.series.swapped_handles[0][1]).toBeGreaterThan(0)
    expect(out.vmstat.thp_swpout).toBeGreaterThan(0)
    expect(out.vmstat.pswpout).toBeGreaterThanOrEqual(512 * out.vmstat.thp_swpout)
    // Swapped out whole (one swap entry of 512 slots): still an order-9 folio.
    expect(out.series.swapped_order[0][1]).toBe(9)
    expect(out.series.swapped_nr_pages[0][1]).toBe(512)
    expect(out.series.major_fault[0][1]).toBe(1)
    expect(out.series.after_touch_swapped[0][1]).toBe(0)
    expect(out.series.after_touch_order[0][1]).toBe(0)
    expect(out.vmstat.pswpin).toBe(512)
  })

  it('split: every THP is split before swap-out (thp_split_page, no thp_swpout)', async () => {
    const out = await runModule(mod(), { variant: 'split' })
    expect(out.vmstat.thp_swpout).toBe(0)
    expect(out.vmstat.thp_split_page).toBeGreaterThan(0)
    expect(out.vmstat.pswpout).toBeGreaterThan(0)
  })
})

describe('LRU gauges in /proc/vmstat (mm/swap.c:__page_cache_release → lruvec_del_folio)', () => {
  it('a freed anon folio leaves nr_inactive_anon at once, as the kernel unlinks it on free', async () => {
    const seen: Record<string, number> = {}
    await runModule({
      machine: small,
      async default(k) {
        const held: Folio[] = []
        for (let i = 0; i < 2000; i++) held.push(k.allocPages(GFP_HIGHUSER_MOVABLE, 0)!)
        seen.before = Number(k.vmstat('nr_inactive_anon'))
        for (let i = 0; i < held.length; i += 2) k.folioPut(held[i])
        seen.after = Number(k.vmstat('nr_inactive_anon'))
        const text = k.proc.vmstat()
        seen.proc = Number(/^nr_inactive_anon (\d+)$/m.exec(text)![1])
      },
    })
    expect(seen.before).toBe(2000)
    expect(seen.after).toBe(1000)
    expect(seen.proc).toBe(1000)
  })
})
