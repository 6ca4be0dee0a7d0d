import { afterEach, describe, expect, it } from 'vitest'
import {
  allocPages,
  checkInvariants,
  createMachine,
  folioPin,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  NO_PAGE,
  PAGE_TYPE_BUDDY,
  type Machine,
} from '../mm'
import { pageFlags } from '../mm/memmap'
import { createSimClock, makeAnonLruFolio } from '../migrate'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { contigSeries, MIGRATE_API, placeFreeRange, type ContigEnv } from '../contig'
import {
  createVirtioMemDevice,
  rangeIsOffline,
  VIRTIO_MEM_RETRY_TIMER_MIN_NS,
  type VirtioMemDevice,
} from './device'
import { virtioMemRun, virtioMemSetRequestedSize } from './run'
import { type VirtioMemConfig } from './types'

/** Every machine a test builds is checked with the full invariant checker after the test. */
const live = new Set<Machine>()
function track(m: Machine): Machine {
  live.add(m)
  return m
}
afterEach(() => {
  const ms = [...live]
  live.clear()
  for (const m of ms) expect(checkInvariants(m)).toBeNull()
})

const PB = 512
const MB = 4096 // a 16 MiB memory block keeps the test machine small
const REGION = 8192

function machine(movable = false): Machine {
  const zones = movable
    ? [
        { type: 'Normal', sizeMiB: 32 },
        { type: 'Movable', sizeMiB: 32 },
      ]
    : [{ type: 'Normal', sizeMiB: 64 }]
  return track(
    createMachine({
      zones,
      nrCpus: 2,
      kernelEra: '6.12',
      boot: 'allocated',
      debugVm: true,
      pcp: false,
    } as never),
  )
}

function device(m: Machine, cfg: Partial<VirtioMemConfig> = {}): VirtioMemDevice {
  return createVirtioMemDevice(m, {
    regionStartPfn: REGION,
    regionPages: 2 * MB,
    memoryBlockPages: MB,
    ...cfg,
  })
}

function env(): ContigEnv {
  return { clock: createSimClock(), cost: DEFAULT_COST_MODEL, migrate: MIGRATE_API }
}

function zoneOf(dev: VirtioMemDevice) {
  return dev.zone
}

/** Fill `n` pages of whatever is free (the plugged memory) with anon folios. */
function fillAnon(m: Machine, n: number): number[] {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const p = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    expect(p).not.toBe(NO_PAGE)
    makeAnonLruFolio(m, p, 1)
    out.push(p)
  }
  return out
}

describe('virtio_mem_init_hotplug: mode and sub-block size', () => {
  it('Sub Block Mode with 2 MiB sub-blocks from 5.19; 4 MiB (MAX_ORDER) before', () => {
    const a = device(machine())
    expect(a.inSbm).toBe(true)
    expect(a.sbPages).toBe(PB)
    expect(a.sbsPerMb).toBe(MB / PB)
    const b = device(machine(), { sbAlignment: 'max-order' })
    expect(b.sbPages).toBe(1024)
    expect(b.sbsPerMb).toBe(4)
  })

  it('Big Block Mode when the device block is not smaller than a memory block, or with force_bbm', () => {
    const a = device(machine(), { deviceBlockPages: MB })
    expect(a.inSbm).toBe(false)
    expect(a.bbPages).toBe(MB)
    const b = device(machine(), { forceBbm: true, bbmBlockPages: 2 * MB })
    expect(b.inSbm).toBe(false)
    expect(b.bbPages).toBe(2 * MB)
  })

  it('the region starts PageOffline and unmanaged', () => {
    const m = machine()
    const managed = m.zones[0].managedPages
    const dev = device(m)
    expect(rangeIsOffline(dev, REGION, 2 * MB)).toBe(true)
    expect(m.zones[0].managedPages).toBe(managed - 2 * MB)
    expect(checkInvariants(m)).toBeNull()
  })
})

describe('plug (virtio_mem_sbm_plug_request)', () => {
  it('plugs sub-blocks into a new memory block, then fills the partial block before adding the next', () => {
    const m = machine()
    const dev = device(m)
    const z = zoneOf(dev)
    const managed = z.managedPages
    const free = z.nrFreePages
    virtioMemSetRequestedSize(dev, 5 * PB)
    const r1 = virtioMemRun(dev, env())
    expect(r1).toMatchObject({ kind: 'plug', outcome: 'success', donePages: 5 * PB, rc: 0 })
    expect(dev.pluggedPages).toBe(5 * PB)
    expect(dev.mbState).toEqual(['kernel_partial', 'unused'])
    expect(z.managedPages).toBe(managed + 5 * PB)
    expect(z.nrFreePages).toBe(free + 5 * PB)
    expect(rangeIsOffline(dev, REGION + 5 * PB, MB - 5 * PB)).toBe(true) // unplugged sub-blocks stay offline
    virtioMemSetRequestedSize(dev, MB + 2 * PB)
    virtioMemRun(dev, env())
    expect(dev.mbState).toEqual(['kernel', 'kernel_partial'])
    expect(dev.counters.plugRequests).toBe(3)
    expect(checkInvariants(m)).toBeNull()
  })

  it('a NACKed plug leaves the sizes alone', () => {
    const m = machine()
    const dev = device(m, { respond: () => 'nack' })
    virtioMemSetRequestedSize(dev, PB)
    const r = virtioMemRun(dev, env())
    expect(r.donePages).toBe(0)
    expect(dev.pluggedPages).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })
})

describe('unplug (virtio_mem_sbm_unplug_request, virtio_mem_fake_offline)', () => {
  it('migrates movable pages out of the plugged memory and unplugs everything; accounting returns to the start', () => {
    const m = machine()
    const dev = device(m)
    const managed = dev.zone.managedPages
    virtioMemSetRequestedSize(dev, 2 * MB)
    virtioMemRun(dev, env())
    fillAnon(m, 1000)
    placeFreeRange(m, 4096, REGION) // room for the migration targets
    virtioMemSetRequestedSize(dev, 0)
    const r = virtioMemRun(dev, env())
    expect(r).toMatchObject({
      kind: 'unplug',
      outcome: 'success',
      donePages: 2 * MB,
      rc: 0,
      retryInNs: 0,
    })
    expect(r.pagesMigrated).toBe(1000)
    expect(r.latencyNs).toBeGreaterThan(1000 * DEFAULT_COST_MODEL.pageCopyNs)
    expect(dev.pluggedPages).toBe(0)
    expect(dev.mbState).toEqual(['unused', 'unused'])
    expect(dev.zone.managedPages).toBe(managed)
    expect(rangeIsOffline(dev, REGION, 2 * MB)).toBe(true)
    expect(checkInvariants(m)).toBeNull()
    expect(contigSeries(m).source.filter((s) => s === 'virtio_mem_unplug').length).toBe(1)
  })

  it('unmovable kernel pages make a ZONE_NORMAL unplug partial: busy sub-blocks are skipped, the retry timer is armed', () => {
    const m = machine()
    const dev = device(m)
    virtioMemSetRequestedSize(dev, 2 * MB)
    virtioMemRun(dev, env())
    const k = allocPages(m, GFP_KERNEL, 0) // lands in the plugged memory
    expect(k).toBeGreaterThanOrEqual(REGION)
    placeFreeRange(m, 4096, REGION)
    virtioMemSetRequestedSize(dev, 0)
    const r = virtioMemRun(dev, env())
    expect(r.outcome).toBe('partial')
    expect(r.rc).toBe(-16)
    expect(r.donePages).toBe(2 * MB - PB)
    expect(r.retryInNs).toBe(VIRTIO_MEM_RETRY_TIMER_MIN_NS)
    expect(dev.retryDelayNs).toBe(2 * VIRTIO_MEM_RETRY_TIMER_MIN_NS)
    expect(dev.counters.fakeOfflineBusy).toBeGreaterThanOrEqual(2) // the whole block, then the sub-block
    expect(checkInvariants(m)).toBeNull()
  })

  it('no memory to migrate to: -ENOMEM aborts the run (outcome nomem)', () => {
    const m = machine()
    const dev = device(m)
    virtioMemSetRequestedSize(dev, MB)
    virtioMemRun(dev, env())
    // Fill the plugged memory until the allocator refuses (the watermarks): no room for targets.
    while (true) {
      const p = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
      if (p === NO_PAGE) break
      makeAnonLruFolio(m, p, 1)
    }
    virtioMemSetRequestedSize(dev, 0)
    const r = virtioMemRun(dev, env())
    expect(r.outcome).toBe('nomem')
    expect(r.rc).toBe(-12)
    expect(dev.counters.fakeOfflineNomem).toBe(1)
    expect(checkInvariants(m)).toBeNull()
  })

  it('ZONE_MOVABLE: a pinned page costs 5 alloc_contig_range tries per attempt on its range (1 in ZONE_NORMAL)', () => {
    for (const movable of [true, false]) {
      const m = machine(movable)
      const dev = device(m)
      virtioMemSetRequestedSize(dev, 2 * MB)
      virtioMemRun(dev, env())
      const [p] = fillAnon(m, 1)
      folioPin(m, p)
      placeFreeRange(m, 4096, REGION)
      virtioMemSetRequestedSize(dev, 0)
      const r = virtioMemRun(dev, env())
      expect(r.outcome).toBe('partial')
      expect(r.donePages).toBe(2 * MB - PB)
      // Busy twice: the whole memory block, then the pinned page's sub-block.
      expect(dev.counters.fakeOfflineBusy).toBe(movable ? 10 : 2)
      expect(checkInvariants(m)).toBeNull()
    }
  })

  it("'max-order-first' tries MAX_ORDER groups before pageblock sub-blocks: fewer alloc_contig_range calls, same result", () => {
    const results: Record<string, [number, number]> = {}
    for (const unplugFallback of ['sub-block', 'max-order-first'] as const) {
      const m = machine()
      const dev = device(m, { unplugFallback, regionPages: MB })
      virtioMemSetRequestedSize(dev, MB)
      virtioMemRun(dev, env())
      const k = allocPages(m, GFP_KERNEL, 0)
      expect(k).toBeGreaterThanOrEqual(REGION)
      virtioMemSetRequestedSize(dev, 0)
      const r = virtioMemRun(dev, env())
      results[unplugFallback] = [r.donePages, dev.counters.fakeOfflineAttempts]
      expect(checkInvariants(m)).toBeNull()
    }
    expect(results['sub-block']).toEqual([MB - PB, 1 + 8])
    expect(results['max-order-first']).toEqual([MB - PB, 1 + 4 + 2])
  })
})

describe('sub-block size and what an unmovable page costs (seed 003, virtio-mem)', () => {
  it('one unmovable page keeps 4 MiB plugged with ≤5.18 MAX_ORDER sub-blocks, 2 MiB with pageblock sub-blocks', () => {
    const kept: Record<string, number> = {}
    for (const sbAlignment of ['max-order', 'pageblock'] as const) {
      const m = machine()
      const dev = device(m, { sbAlignment, regionPages: MB })
      virtioMemSetRequestedSize(dev, MB)
      virtioMemRun(dev, env())
      expect(allocPages(m, GFP_KERNEL, 0)).toBeGreaterThanOrEqual(REGION)
      virtioMemSetRequestedSize(dev, 0)
      virtioMemRun(dev, env())
      kept[sbAlignment] = dev.pluggedPages
    }
    expect(kept).toEqual({ 'max-order': 1024, pageblock: PB })
  })
})

describe('Big Block Mode plug/unplug', () => {
  it('plugs and unplugs whole big blocks; a busy big block is skipped', () => {
    const m = machine()
    const dev = device(m, { forceBbm: true })
    virtioMemSetRequestedSize(dev, 2 * MB)
    expect(virtioMemRun(dev, env()).outcome).toBe('success')
    expect(dev.bbState).toEqual(['added', 'added'])
    expect(pageFlags(m, REGION) & PAGE_TYPE_BUDDY).not.toBe(0)
    const k = allocPages(m, GFP_KERNEL, 0)
    placeFreeRange(m, 4096, REGION)
    virtioMemSetRequestedSize(dev, 0)
    const r = virtioMemRun(dev, env())
    expect(r.outcome).toBe('partial')
    expect(r.donePages).toBe(MB)
    const busyBb = Math.floor((k - REGION) / MB)
    expect(dev.bbState[busyBb]).toBe('added')
    expect(dev.bbState[1 - busyBb]).toBe('unused')
    expect(checkInvariants(m)).toBeNull()
  })
})
