/**
 * The workload API end to end in one realm: a module object (as a compiled script would
 * export) runs through WorkloadRun with the guest kernel, driven like the runners drive it.
 */
import { describe, expect, it } from 'vitest'
import { __GFP_COMP, GFP_HIGHUSER_MOVABLE, GFP_KERNEL, GUP_PIN_COUNTING_BIAS } from '../mm'
import { CURRENT_REALM } from '../sched/realm'
import { buildGuest } from './guestKernel'
import type { Folio, Kernel } from './mmwb'
import { WorkloadRun, type RunOutcome } from './run'
import { machineOf, runModule, type TestModule } from './runModule.testutil'
import { MMWB_CONSTANTS } from './runtime'

const small = { memoryMiB: 64, nrCpus: 2 }

describe('workload API', () => {
  it('two tasks contend for a folio lock with deterministic waits in simulated ns', async () => {
    const waits: Record<string, number> = {}
    const mod: TestModule = {
      machine: { ...small, cost: { lockNs: 10, wakeupNs: 1000, spawnNs: 0, allocNs: 0 } },
      async default(k) {
        const f = k.allocPages(GFP_KERNEL, 0) as Folio
        const task = (name: string, delayNs: number, holdNs: number) => async (k: Kernel) => {
          await k.sleep(delayNs)
          const t0 = k.now()
          await k.folioLock(f)
          waits[name] = k.now() - t0
          await k.sleep(holdNs)
          k.folioUnlock(f)
        }
        const a = k.spawn('a', task('a', 0, 4000), { cpu: 0 })
        const b = k.spawn('b', task('b', 500, 100), { cpu: 1 })
        await a.join()
        await b.join()
        k.folioPut(f)
      },
    }
    const out = await runModule(mod)
    // a: lock at 0 (+10), holds 4000, unlocks at 4010 (+10) = 4020; b asked at 500 and runs
    // 1000 ns after the hand-off: 5020 - 500 = 4520.
    expect(waits).toEqual({ a: 10, b: 4520 })
    // b holds 100 and unlocks (+10) at 5130; main, joined on b, wakes 1000 later and frees
    // the folio (freeNs 150).
    expect(out.simTimeNs).toBe(5130 + 1000 + 150)
  })

  it('gives identical outcomes for the same seed and different draws for another', async () => {
    const mod: TestModule = {
      machine: small,
      async default(k) {
        const kept: Folio[] = []
        for (let i = 0; i < 300; i++) {
          const f = k.allocPages(k.rng.int(2) ? GFP_KERNEL : GFP_HIGHUSER_MOVABLE, k.rng.int(4))
          if (f && k.rng.float() < 0.5) kept.push(f)
          else if (f) k.folioPut(f)
          if (i % 50 === 0) {
            k.record('free', k.vmstat('nr_free_pages'))
            await k.sleep(k.rng.int(1000))
          }
        }
      },
    }
    const strip = ({ run: _r, ...o }: RunOutcome & { run: WorkloadRun }) => o
    const a = strip(await runModule(mod, { seed: 5 }))
    const b = strip(await runModule(mod, { seed: 5 }))
    const c = strip(await runModule(mod, { seed: 6 }))
    expect(a).toEqual(b)
    expect(c.proc['/proc/buddyinfo']).not.toBe(a.proc['/proc/buddyinfo'])
  })

  it('applies a variant: machine fields merged over the base, sysctls at boot', async () => {
    let seen = { boost: -1, cpus: 0 }
    const mod: TestModule = {
      machine: { ...small, cost: { allocNs: 7 } },
      variants: {
        noboost: {
          machine: { nrCpus: 4, cost: { freeNs: 3 } },
          sysctl: { 'vm.watermark_boost_factor': 0 },
        },
      },
      default(k) {
        seen = { boost: k.sysctl.get('vm.watermark_boost_factor'), cpus: 0 }
        k.spawn('last-cpu', () => {}, { cpu: 3 })
      },
    }
    const out = await runModule(mod, { variant: 'noboost' })
    expect(seen.boost).toBe(0)
    expect(out.machine).toMatchObject({ nrCpus: 4, memoryMiB: 64, cost: { allocNs: 7, freeNs: 3 } })
    expect(out.variant).toBe('noboost')
    await expect(runModule(mod, { variant: 'nope' })).rejects.toThrow(
      /no variant "nope"; the script defines: noboost/,
    )
  })

  it('sysctl vm.min_free_kbytes recomputes the watermarks; bad values are EINVAL', async () => {
    const mins: number[] = []
    const run = new WorkloadRun({ seed: 1, realm: CURRENT_REALM, log: () => {} })
    const mod: TestModule = {
      machine: small,
      default(k) {
        const wmarkMin = () => machineOf(run).zones.reduce((a, z) => a + z.wmarkMin, 0)
        mins.push(wmarkMin())
        k.sysctl.set('vm.min_free_kbytes', 4 * k.sysctl.get('vm.min_free_kbytes'))
        mins.push(wmarkMin())
        expect(() => k.sysctl.set('vm.watermark_scale_factor', 0)).toThrow(/Invalid argument/)
        expect(() => k.sysctl.set('vm.dirty_ratio' as never, 1)).toThrow(/unknown or unmodelled/)
      },
    }
    const guest = buildGuest(run.sys, { ...MMWB_CONSTANTS })
    run.start(mod, guest.kernel)
    while (!run.check()) {
      run.step()
      await new Promise((res) => setImmediate(res))
    }
    // pages_min = min_free_kbytes / 4, spread over the zones: four times the knob, four times the mark.
    expect(mins[1]).toBeGreaterThanOrEqual(4 * mins[0] - 4)
    expect(mins[1]).toBeLessThanOrEqual(4 * mins[0] + 4)
  })

  it('pins like FOLL_LONGTERM: a small folio gains GUP_PIN_COUNTING_BIAS references', async () => {
    const counts: number[] = []
    const out = await runModule({
      machine: small,
      default(k) {
        const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0) as Folio
        counts.push(k.folioRefCount(f))
        k.pin(f)
        counts.push(k.folioRefCount(f))
        k.unpin(f)
        counts.push(k.folioRefCount(f))
        expect(() => k.unpin(f)).toThrow(/not pinned/)
        k.folioPut(f)
        expect(() => k.folioGet(f)).toThrow(/has been freed \(use after free\)/)
      },
    })
    expect(counts).toEqual([1, 1 + GUP_PIN_COUNTING_BIAS, 1])
    expect(out.vmstat.nr_free_pages).toBeGreaterThan(0)
  })

  it('maps folios into processes: mapcount, the page table reference, frees on exit', async () => {
    const seen: Record<string, number> = {}
    const out = await runModule({
      machine: {
        ...small,
        cost: { pteMapNs: 7, pteUnmapNs: 11, tlbFlushNs: 1000, allocNs: 0, freeNs: 0 },
      },
      default(k) {
        const p = k.createProcess('app')
        const f = k.allocPages(GFP_HIGHUSER_MOVABLE | __GFP_COMP, 2) as Folio
        const t0 = k.now()
        const va = p.map(f)
        seen.mapNs = k.now() - t0
        seen.vaAligned = va % (4 * 4096)
        seen.mapcount = k.folioMapcount(f)
        seen.ref = k.folioRefCount(f)
        p.map(f)
        seen.rss = p.rssPages()
        k.folioPut(f) // the allocation's own reference
        const t1 = k.now()
        p.unmap(f)
        seen.unmapNs = k.now() - t1
        seen.mapcountAfter = k.folioMapcount(f)
        p.exit() // the last mapping held the last reference
        seen.refAfterExit = k.folioRefCount(f) // 0: freed (to the per-cpu list, order 2)
        expect(() => p.map(f)).toThrow(/has exited/)
        expect(() => k.createProcess('b').unmap(f)).toThrow(/freed|not mapped/)
      },
    })
    expect(seen).toEqual({
      mapNs: 4 * 7,
      vaAligned: 0,
      // A movable allocation is already mapped by the default process (do_anonymous_page):
      // its one reference is that mapping's, so the app's mapping makes two of each.
      mapcount: 2,
      ref: 2,
      rss: 8,
      unmapNs: 4 * 11 + 1000,
      mapcountAfter: 1,
      refAfterExit: 0,
    })
    expect(out.vmstat.nr_free_pages).toBeGreaterThan(0)
  })

  it('getPageUnlessZero takes a reference only on a live folio', async () => {
    await runModule({
      machine: small,
      default(k) {
        // Without __GFP_COMP the tail pages are separate pages with refcount 0, as in the kernel.
        const plain = k.allocPages(GFP_KERNEL, 2) as Folio
        expect(k.getPageUnlessZero(plain.pfn + 3)).toBeNull()
        const f = k.allocPages(GFP_KERNEL | __GFP_COMP, 2) as Folio
        const g = k.getPageUnlessZero(f.pfn + 3)
        expect(g).toEqual({ pfn: f.pfn, order: 2, nrPages: 4 })
        expect(k.folioRefCount(f)).toBe(2)
        k.folioPut(f)
        k.folioPut(f)
        expect(k.getPageUnlessZero(f.pfn)).toBeNull()
      },
    })
  })

  it('refuses to free a locked folio (bad page state) and reports a deadlock', async () => {
    await expect(
      runModule({
        machine: small,
        async default(k) {
          const f = k.allocPages(GFP_KERNEL, 0) as Folio
          await k.folioLock(f)
          k.folioPut(f)
        },
      }),
    ).rejects.toThrow(/Bad page state: freeing folio at pfn 0x[0-9a-f]+ while locked/)
    await expect(
      runModule({
        machine: small,
        async default(k) {
          const f = k.allocPages(GFP_KERNEL, 0) as Folio
          k.spawn('holder', async (k) => {
            await k.folioLock(f)
            await k.folioWaitWriteback(f)
          })
          await k.sleep(100_000)
          await k.folioLock(f)
        },
      }),
    ).rejects.toThrow(/deadlock at \d+ ns: no task can run; waiting: main \(folio lock pfn 0x/)
  })

  it('delivers trace events with the kernel field names at the task clock', async () => {
    const events: { name: string; timeNs: number; fields: Record<string, unknown> }[] = []
    await runModule({
      machine: { ...small, cost: { allocNs: 100 } },
      async default(k) {
        await k.sleep(1000)
        const off = k.trace.on('mm_page_alloc', (ev) => events.push(ev))
        k.allocPages(GFP_KERNEL, 1)
        off()
        k.allocPages(GFP_KERNEL, 1)
        expect(() => k.trace.on('mm_vmscan_memcg_reclaim_begin' as never, () => {})).toThrow(
          /no tracepoint/,
        )
      },
    })
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      name: 'mm_page_alloc',
      timeNs: 1000,
      fields: { order: 1, gfp_flags: GFP_KERNEL },
    })
    expect(events[0].fields).toHaveProperty('pfn')
  })

  it('serves every kernel file and validates arguments like the kernel would', async () => {
    const out = await runModule({
      machine: small,
      default(k) {
        expect(() => k.allocPages(GFP_KERNEL, 11)).toThrow(/order 11 is not in 0\.\.10/)
        // pfn 1 is in the first MiB, reserved at boot; pfn 0x100 is the first free page.
        expect(() => k.folioPut({ pfn: 1 } as unknown as Folio)).toThrow(/reserved page/)
        expect(() => k.folioPut({ pfn: 0x100 } as unknown as Folio)).toThrow(/use after free|freed/)
        expect(() => k.folioPut(42 as unknown as Folio)).toThrow(/expected a Folio/)
        expect(k.proc.vmstat()).toMatch(/^nr_free_pages \d+\n/)
        expect(k.extfrag.fragmentationIndex()).toMatch(/^Node 0, zone +DMA /)
      },
    })
    expect(Object.keys(out.proc)).toEqual([
      '/proc/buddyinfo',
      '/proc/pagetypeinfo',
      '/proc/vmstat',
      '/sys/kernel/debug/extfrag/unusable_index',
      '/sys/kernel/debug/extfrag/extfrag_index',
    ])
  })

  it('tells a bug in the simulator (host TypeError) from a workload error', () => {
    const sys = {
      allocPages: () => {
        throw new TypeError("Cannot read properties of undefined (reading '0')")
      },
      folioPut: () => {
        throw new Error('folioPut: folio at pfn 0x5 has been freed (use after free)')
      },
    }
    const guest = buildGuest(sys as never, { ...MMWB_CONSTANTS })
    const k = guest.kernel as Kernel
    expect(() => k.allocPages(GFP_KERNEL, 0)).toThrow(
      expect.objectContaining({ name: 'InternalError' }),
    )
    expect(() => k.folioPut({ pfn: 5, order: 0, nrPages: 1, swapped: false })).toThrow(
      expect.objectContaining({ name: 'Error', message: expect.stringMatching(/use after free/) }),
    )
  })

  it('exposes constants that follow the machine geometry', async () => {
    const run = new WorkloadRun({ seed: 1, realm: CURRENT_REALM, log: () => {} })
    const guest = buildGuest(run.sys, { ...MMWB_CONSTANTS })
    const mmwb = guest.require('mmwb') as Record<string, number>
    expect(mmwb.MAX_PAGE_ORDER).toBe(10)
    guest.setConstants(
      run.start({ machine: { ...small, maxPageOrder: 11 }, default() {} }, guest.kernel),
    )
    expect(mmwb.MAX_PAGE_ORDER).toBe(11)
    expect(mmwb.NR_PAGE_ORDERS).toBe(12)
    expect(() => guest.require('fs')).toThrow(/can import only 'mmwb'/)
  })
})
