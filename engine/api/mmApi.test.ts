/**
 * The compaction, migration, CMA, alloc_contig_range and virtio-mem bindings of the workload
 * API, end to end through WorkloadRun and the guest kernel. Each case states the kernel
 * behaviour it checks.
 */
import { describe, expect, it } from 'vitest'
import {
  __GFP_NORETRY,
  GFP_ATOMIC,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  GFP_TRANSHUGE,
  GFP_TRANSHUGE_LIGHT,
  MIGRATE_MOVABLE,
} from '../mm'
import type { Folio, Kernel } from './mmwb'
import { machineOf, runModule, type TestModule } from './runModule.testutil'

/**
 * Fill with movable order-0 folios, then free all but one in `keep` (pfn order). GFP_ATOMIC
 * pages (kept) then eat the reserve below the watermark, which would otherwise still hold a
 * free pageblock, so no order-9 block is left free.
 */
function fragment(k: Kernel, keep: number): Folio[] {
  const all: Folio[] = []
  for (;;) {
    const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
    if (!f) break
    all.push(f)
  }
  while (k.allocPages(GFP_ATOMIC, 0) !== null);
  all.sort((a, b) => a.pfn - b.pfn)
  const kept: Folio[] = []
  all.forEach((f, i) => (i % keep === keep - 1 ? kept.push(f) : k.folioPut(f)))
  return kept
}

const small = { memoryMiB: 64, nrCpus: 2, kernelEra: '6.12', pcp: false }

describe('movable allocations are user folios', () => {
  it('do_anonymous_page: an anon LRU folio mapped once, whose put unmaps and frees it', async () => {
    const seen: Record<string, number> = {}
    const out = await runModule({
      machine: small,
      default(k) {
        const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0) as Folio
        seen.mapcount = k.folioMapcount(f)
        seen.ref = k.folioRefCount(f)
        k.folioPut(f)
        seen.after = k.folioRefCount(f)
        const g = k.allocPages(GFP_KERNEL, 0) as Folio
        seen.kernelMapcount = k.folioMapcount(g)
        k.folioPut(g)
      },
    })
    expect(seen).toEqual({ mapcount: 1, ref: 1, after: 0, kernelMapcount: 0 })
    expect(out.vmstat.nr_free_pages).toBeGreaterThan(0)
  })
})

describe('compaction', () => {
  it('vm.compact_memory (compact_nodes) moves the scattered folios and handles follow them', async () => {
    const seen: Record<string, number> = {}
    const out = await runModule({
      machine: small,
      default(k) {
        const kept = fragment(k, 8)
        const before = kept.map((f) => f.pfn)
        seen.thpBefore = k.allocPages(GFP_TRANSHUGE_LIGHT, 9) === null ? 0 : 1
        const t0 = k.now()
        const r = k.compactMemory()
        seen.charged = k.now() - t0 - r.latencyNs
        seen.moved = kept.filter((f, i) => f.pfn !== before[i]).length
        seen.mapcount = kept.every((f) => k.folioMapcount(f) === 1) ? 1 : 0
        seen.thpAfter = k.allocPages(GFP_TRANSHUGE_LIGHT, 9) === null ? 0 : 1
        for (const f of kept) k.folioPut(f)
      },
    })
    expect(seen.thpBefore).toBe(0)
    expect(seen.charged).toBe(0) // the caller is charged exactly the compaction's latency
    expect(seen.moved).toBeGreaterThan(0)
    expect(seen.mapcount).toBe(1)
    expect(seen.thpAfter).toBe(1)
    expect(out.vmstat.pgmigrate_success).toBeGreaterThan(0)
    expect(out.histograms.migrate_latency_ns.count).toBe(out.vmstat.pgmigrate_success)
    expect(out.histograms.compact_memory_ns.count).toBe(1)
    expect(out.events.some((e) => e.kind === 'compact_memory')).toBe(true)
  })

  it('__alloc_pages_slowpath: a THP allocation direct-compacts and is labelled with that path', async () => {
    const out = await runModule({
      machine: small,
      default(k) {
        const kept = fragment(k, 8)
        const thp = k.allocPages(GFP_TRANSHUGE, 9)
        k.record('thp', thp === null ? 0 : 1)
        for (const f of kept) k.folioPut(f)
      },
    })
    expect(out.series.thp[0][1]).toBe(1)
    expect(out.vmstat.compact_stall).toBeGreaterThan(0)
    expect(out.vmstat.compact_success).toBeGreaterThan(0)
    expect(out.series['alloc_path.direct_compaction']).toBeDefined()
    expect(out.series['compact_success_rate.order9']).toBeDefined()
    expect(out.histograms.direct_compaction_latency_ns.count).toBe(out.vmstat.compact_stall)
  })

  it('GFP_TRANSHUGE_LIGHT has no __GFP_DIRECT_RECLAIM: it fails without compacting', async () => {
    const out = await runModule({
      machine: small,
      default(k) {
        const kept = fragment(k, 8)
        k.record('thp', k.allocPages(GFP_TRANSHUGE_LIGHT | __GFP_NORETRY, 9) === null ? 0 : 1)
        for (const f of kept) k.folioPut(f)
      },
    })
    expect(out.series.thp[0][1]).toBe(0)
    expect(out.vmstat.compact_stall ?? 0).toBe(0)
    expect(out.series['alloc_path.failure']).toEqual([[expect.any(Number), 1]])
  })

  it('sysctl vm.extfrag_threshold and vm.compact_memory follow the kernel ranges', async () => {
    await runModule({
      machine: small,
      default(k) {
        expect(k.sysctl.get('vm.extfrag_threshold')).toBe(500)
        k.sysctl.set('vm.extfrag_threshold', 1000)
        expect(k.sysctl.get('vm.extfrag_threshold')).toBe(1000)
        expect(() => k.sysctl.set('vm.extfrag_threshold', 1001)).toThrow(/Invalid argument/)
        expect(() => k.sysctl.get('vm.compact_memory')).toThrow(/write-only/)
        expect(() => k.sysctl.set('vm.compact_memory', 2)).toThrow(/Invalid argument/)
        k.sysctl.set('vm.compact_memory', 1)
        expect(k.histogram('compact_memory_ns')?.count).toBe(1)
      },
    })
  })
})

describe('migration', () => {
  it('migrate_pages(MIGRATE_SYNC): every isolated folio moves; the handle follows', async () => {
    const seen: Record<string, number> = {}
    await runModule({
      machine: small,
      default(k) {
        const fs = [0, 1, 2, 3].map(() => k.allocPages(GFP_HIGHUSER_MOVABLE, 0) as Folio)
        const before = fs.map((f) => f.pfn)
        const r = k.migratePages(fs, { mode: 'sync', reason: 'syscall_or_cpuset' })
        seen.succeeded = r.nrSucceeded
        seen.retval = r.retval
        seen.moved = fs.filter((f, i) => f.pfn !== before[i]).length
        seen.holds = r.lockHoldNs.length
        // A kernel page is not on the LRU: isolate_folio_to_list refuses it.
        const g = k.allocPages(GFP_KERNEL, 0) as Folio
        seen.notIsolated = k.migratePages([g]).notIsolated
        for (const f of [...fs, g]) k.folioPut(f)
      },
    })
    expect(seen).toEqual({ succeeded: 4, retval: 0, moved: 4, holds: 4, notIsolated: 1 })
  })

  it('a pinned folio refuses to move (folio_expected_refs): -EAGAIN until the passes run out', async () => {
    const seen: Record<string, number> = {}
    await runModule({
      machine: small,
      default(k) {
        const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0) as Folio
        const pfn = f.pfn
        k.pin(f)
        const r = k.migratePages([f], { mode: 'async', reason: 'compaction' })
        seen.failed = r.nrFailedPages
        seen.stayed = f.pfn === pfn ? 1 : 0
        k.unpin(f)
        k.folioPut(f)
      },
    })
    expect(seen).toEqual({ failed: 1, stayed: 1 })
  })

  it('a task locking the source during migration waits until the hold ends (seed 001)', async () => {
    const out = await runModule({
      machine: { ...small, cost: { spawnNs: 0, wakeupNs: 1000 } },
      async default(k) {
        const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0) as Folio
        const t = k.spawn('locker', async (k) => {
          await k.sleep(1000) // inside the hold: isolation comes first, then folio_trylock
          const t0 = k.now()
          await k.folioLock(f)
          k.record('wait_ns', k.now() - t0)
          k.folioUnlock(f)
        })
        const r = k.migratePages([f], { mode: 'sync', reason: 'mempolicy_mbind' })
        k.record('hold_ns', r.lockHoldNs[0])
        await t.join()
        k.folioPut(f)
      },
    })
    const hold = out.series.hold_ns[0][1]
    const wait = out.series.wait_ns[0][1]
    expect(hold).toBeGreaterThan(1000)
    expect(wait).toBeGreaterThan(0)
    expect(out.histograms.folio_lock_wait_migration_ns.count).toBe(1)
  })
})

describe('CMA, alloc_contig_range and virtio-mem', () => {
  it('cma_alloc migrates movable folios out of the area; cma_release frees it', async () => {
    const out = await runModule({
      machine: { ...small, cma: [{ name: 'cam', sizeMiB: 8 }] },
      default(k) {
        const area = k.cma.areas()[0]
        const fs: Folio[] = []
        for (;;) {
          const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
          if (!f) break
          fs.push(f)
          if (fs.length > 12000) break
        }
        const inArea = fs.filter((f) => f.pfn >= area.basePfn && f.pfn < area.basePfn + area.count)
        k.record('in_area', inArea.length)
        for (const f of fs.slice(0, 4000)) k.folioPut(f)
        const r = k.cma.alloc('cam', 512, 9)
        k.record('ret', r.ret)
        k.record('migrated', r.nrMigrated)
        if (r.pfn !== null) expect(k.cma.release('cam', r.pfn, 512)).toBe(true)
        for (const f of fs.slice(4000)) k.folioPut(f)
      },
    })
    expect(out.series.ret[0][1]).toBe(0)
    expect(out.vmstat.cma_alloc_success).toBe(1)
    expect(out.histograms.cma_alloc_latency_ns.count).toBe(1)
    expect(out.events.find((e) => e.kind === 'cma_alloc')?.fields.outcome).toBe('success')
  })

  it('alloc_contig_range returns 0 for a free range and the range comes back with free_contig_range', async () => {
    await runModule({
      machine: small,
      default(k) {
        // A free range: the kernel image of the 64 MiB machine ends at pfn 0x3582.
        const r = k.allocContigRange(0x3800, 0x3c00, MIGRATE_MOVABLE)
        expect(r.ret).toBe(0)
        expect(k.freeContigRange(0x3800, 0x400)).toBe(0)
      },
    })
  })

  it('virtio-mem plugs toward the requested size and unplugs through fake offlining', async () => {
    const out = await runModule({
      machine: {
        ...small,
        memoryMiB: 128,
        virtioMem: { regionMiB: 32, memoryBlockMiB: 16, requestedMiB: 32 },
      },
      default(k) {
        const r = k.virtioMem.request(16)
        expect(r.kind).toBe('unplug')
        expect(r.outcome).toBe('success')
        expect(r.pluggedMiB).toBe(16)
      },
    })
    expect(out.histograms.virtio_mem_latency_ns.count).toBe(2)
    expect(out.machine.virtioMem).toBeDefined()
  })
})

describe('design variants', () => {
  it('validates design keys with errors naming the field, and records the resolved design', async () => {
    await expect(
      runModule({ machine: { ...small, design: { 'contig.alignment': 'page' } }, default() {} }),
    ).rejects.toThrow(/machine\.design\.contig\.alignment.*'max-order', 'pageblock'/)
    await expect(
      runModule({ machine: { ...small, design: { 'compaction.nope': 'x' } }, default() {} }),
    ).rejects.toThrow(/unknown design key/)
    const out = await runModule(
      {
        machine: small,
        variants: { v: { design: { 'migration.allocateTarget': 'after-lock' } } },
        default() {},
      },
      { variant: 'v' },
    )
    // Era 6.12 defaults (6.9+: per-order free lists, large folios migrated whole).
    expect(out.machine.design).toMatchObject({
      'migration.allocateTarget': 'after-lock',
      'compaction.freepages': 'per-order',
      'compaction.largeFolios': 'migrate',
      'compaction.freeRefcount': 'put-testzero',
    })
  })

  it('seed 000: set-count-zero corrupts the walker-held page; an expected violation is the result', async () => {
    // Page-cache folios with a reader's reference: isolate_migratepages_block takes them (they
    // have a mapping), migrate_pages gets a destination from compaction_alloc, then fails
    // with -EAGAIN on the reference count and gives it back through compaction_free.
    const mod = (freeRefcount: string): TestModule => ({
      // The race needs compaction targets that the walker meets: this layout (every page in
      // the buddy) is where the test finds one; the default reservations move the scanners.
      machine: {
        ...small,
        reserve: 'none',
        debugVm: true,
        design: { 'compaction.freeRefcount': freeRefcount },
      },
      variants: { racy: { expect: { invariantViolation: true } }, fixed: {} },
      async default(k) {
        const kept = fragment(k, 8)
        const cache = [0, 1, 2, 3].map(() => k.filemapAddFolio(0) as Folio)
        for (const f of cache) k.folioGet(f)
        // The walker meets every destination compaction hands out (most are used; the ones
        // the page-cache folios' migration gave back are the race).
        k.pfnWalker.armCompactionTargets(1 << 20)
        k.compactMemory()
        await k.sleep(1000)
        k.pfnWalker.release()
        for (const f of cache) {
          k.folioPut(f)
          k.filemapRemoveFolio(f)
        }
        for (const f of kept) k.folioPut(f)
      },
    })
    const bad = await runModule(mod('set-count-zero'), { variant: 'racy' })
    // The walker's put either underflows a recycled free page or frees a page that compaction
    // has since handed out as a destination (still mapped): both are the corruption.
    expect(['refcount-underflow', 'bad-page']).toContain(bad.violation?.rule)
    expect(bad.violation?.pfn).toBeGreaterThanOrEqual(0)
    expect(bad.expect).toEqual({ invariantViolation: '*', met: true })
    expect(bad.events.at(-1)?.kind).toBe('invariant_violation')
    const good = await runModule(mod('put-testzero'), { variant: 'fixed' })
    expect(good.violation).toBeUndefined()
    // Undeclared, the same violation fails the run.
    await expect(runModule(mod('set-count-zero'), { variant: 'fixed' })).rejects.toThrow(
      /refcount-underflow|bad-page/,
    )
  })
})

it('keeps the machine of a run consistent after the new calls', async () => {
  const out = await runModule({ machine: small, default() {} })
  expect(machineOf(out.run).endPfn).toBeGreaterThan(0)
})

it('trace.on reaches the compaction and migration tracepoints (include/trace/events/compaction.h)', async () => {
  const seen = new Set<string>()
  await runModule({
    machine: small,
    default(k) {
      for (const tp of ['mm_compaction_begin', 'mm_compaction_end', 'mm_migrate_pages'] as const)
        k.trace.on(tp, (ev) =>
          seen.add(
            `${ev.name}:${'status' in ev.fields || 'nr_succeeded' in ev.fields || 'zone_start' in ev.fields}`,
          ),
        )
      const kept = fragment(k, 8)
      k.compactMemory()
      for (const f of kept) k.folioPut(f)
    },
  })
  expect([...seen].sort()).toEqual([
    'mm_compaction_begin:true',
    'mm_compaction_end:true',
    'mm_migrate_pages:true',
  ])
})

it('kcompactd compacts proactively every 500 ms while vm.compaction_proactiveness > 0 (kcompactd timeout path)', async () => {
  const run = async (proactiveness: number) =>
    runModule(
      {
        machine: small,
        // No watermark boost: kswapd's boosted reclaim would wake kcompactd at pageblock order
        // (balance_pgdat), which is not proactive compaction.
        variants: {
          v: {
            sysctl: {
              'vm.compaction_proactiveness': proactiveness,
              'vm.watermark_boost_factor': 0,
            },
          },
        },
        async default(k) {
          const kept = fragment(k, 8)
          await k.sleep(2_100_000_000) // four HPAGE_FRAG_CHECK_INTERVAL_MSEC ticks
          for (const f of kept) k.folioPut(f)
        },
      },
      { variant: 'v' },
    )
  const on = await run(100)
  expect(on.events.some((e) => e.kind === 'proactive_compaction')).toBe(true)
  expect(on.series.fragmentation_score).toBeDefined()
  const off = await run(0)
  expect(off.events.some((e) => e.kind === 'proactive_compaction')).toBe(false)
  expect(off.vmstat.compact_migrate_scanned ?? 0).toBe(0)
})
