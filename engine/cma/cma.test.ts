import { afterEach, describe, expect, it } from 'vitest'
import {
  allocPages,
  checkInvariants,
  createMachine,
  folioPin,
  getPfnblockMigratetype,
  GFP_HIGHUSER_MOVABLE,
  MIGRATE_CMA,
  NO_PAGE,
  type KernelEra,
  type Machine,
} from '../mm'
import { createSimClock, makeAnonLruFolio } from '../migrate'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { contigSeries, MIGRATE_API, placeFreeRange, type ContigEnv } from '../contig'
import { traceSubscribe, vmstat, type TraceEvent } from '../mm'
import {
  bitmapFindNextZeroAreaOff,
  cmaBitmapAlignedMask,
  cmaBitmapAlignedOffset,
  cmaBitmapPagesToBits,
} from './bitmap'
import { cmaAlloc, cmaRelease } from './cmaAlloc'
import { cmaReserve, cmaSysfs, cmaVmstat, type CmaArea } from './cmaArea'

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
const BASE = 4096

/** Free memory outside the CMA areas: less than a 2048-page area, so __rmqueue prefers CMA. */
function machine(era: KernelEra = '6.12', freeElsewhere = 1536): Machine {
  const m = track(
    createMachine({
      zones: [{ type: 'Normal', sizeMiB: 64 }],
      nrCpus: 2,
      kernelEra: era,
      boot: 'allocated',
      debugVm: true,
    } as never),
  )
  placeFreeRange(m, 8192, 8192 + freeElsewhere)
  return m
}

function env(): ContigEnv {
  return { clock: createSimClock(), cost: DEFAULT_COST_MODEL, migrate: MIGRATE_API }
}

function traces(m: Machine): TraceEvent[] {
  const out: TraceEvent[] = []
  for (const n of [
    'cma_alloc_start',
    'cma_alloc_finish',
    'cma_alloc_busy_retry',
    'cma_release',
  ] as const)
    traceSubscribe(m, n, (e) => out.push(e))
  return out
}

describe('CMA areas (mm/cma.c:cma_init_reserved_mem, cma_activate_area)', () => {
  it('reserves several named areas; every pageblock becomes MIGRATE_CMA and its pages NR_FREE_CMA_PAGES', () => {
    const m = machine()
    const z = m.zones[0]
    const free = z.nrFreePages
    const [a, b] = cmaReserve(m, [
      { name: 'reserved', basePfn: BASE, nrPages: 4 * PB },
      { name: 'camera', basePfn: 6144, nrPages: 2 * PB, orderPerBit: 2 },
    ])
    expect(a.name).toBe('reserved')
    expect(b.bitmap.length).toBe((2 * PB) >> 2)
    for (let pfn = BASE; pfn < BASE + 4 * PB; pfn += PB)
      expect(getPfnblockMigratetype(m, pfn)).toBe(MIGRATE_CMA)
    expect(z.nrFreeCmaPages).toBe(6 * PB)
    expect(z.nrFreePages).toBe(free + 6 * PB)
    // cma_init_reserved_mem adds to totalcma_pages; init_cma_reserved_pageblock to zone->cma_pages.
    expect(m.totalcmaPages).toBe(6 * PB)
    expect(z.cmaPages).toBe(6 * PB)
    expect(checkInvariants(m)).toBeNull()
  })

  it('CMA_MIN_ALIGNMENT_PAGES: a pageblock-aligned area is fine from 5.19, refused with the ≤5.18 MAX_ORDER rule', () => {
    expect(() => cmaReserve(machine(), [{ basePfn: BASE + PB, nrPages: PB }])).not.toThrow()
    expect(() => cmaReserve(machine(), [{ basePfn: BASE + PB, nrPages: PB }], 'max-order')).toThrow(
      /CMA_MIN_ALIGNMENT_PAGES \(1024\)/,
    )
  })

  it('an area may take over free buddies that straddle its edges (the outside parts stay free)', () => {
    const m = track(
      createMachine({
        zones: [{ type: 'Normal', sizeMiB: 64 }],
        nrCpus: 2,
        kernelEra: '6.1',
      } as never),
    )
    cmaReserve(m, [{ basePfn: BASE + PB, nrPages: PB }])
    expect(m.zones[0].nrFreeCmaPages).toBe(PB)
    expect(checkInvariants(m)).toBeNull()
  })
})

describe('cma bitmap (lib/bitmap.c:bitmap_find_next_zero_area_off, mm/cma.c)', () => {
  const area = (basePfn: number, count: number, orderPerBit: number): CmaArea => ({
    name: 't',
    basePfn,
    count,
    orderPerBit,
    bitmap: new Uint8Array(count >> orderPerBit),
    nrPagesSucceeded: 0,
    nrPagesFailed: 0,
  })

  it('mask, offset and bits follow the area order_per_bit', () => {
    const a = area(4096 + 256, 4096, 2)
    expect(cmaBitmapAlignedMask(a, 9)).toBe((1 << 7) - 1)
    expect(cmaBitmapAlignedMask(a, 1)).toBe(0)
    expect(cmaBitmapAlignedOffset(a, 9)).toBe(256 >> 2)
    expect(cmaBitmapPagesToBits(a, 5)).toBe(2)
  })

  it('finds the first aligned clear run, skipping set bits; returns > size when none', () => {
    const map = new Uint8Array(64)
    map[3] = 1
    expect(bitmapFindNextZeroAreaOff(map, 64, 0, 4, 0, 0)).toBe(4)
    expect(bitmapFindNextZeroAreaOff(map, 64, 0, 4, 7, 0)).toBe(8)
    expect(bitmapFindNextZeroAreaOff(map, 64, 0, 4, 7, 2)).toBe(6) // index + offset aligned
    map.fill(1, 8, 64)
    expect(bitmapFindNextZeroAreaOff(map, 64, 0, 4, 7, 0)).toBeGreaterThan(64)
  })
})

describe('cma_alloc / cma_release', () => {
  it('migrates the movable pages the buddy put in the area, claims the bits, counts and traces', () => {
    const m = machine()
    const [a] = cmaReserve(m, [{ name: 'dma', basePfn: BASE, nrPages: 4 * PB }])
    const ev = traces(m)
    let inArea = 0
    for (let i = 0; i < 600; i++) {
      const p = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
      expect(p).not.toBe(NO_PAGE)
      makeAnonLruFolio(m, p, 1)
      if (p >= BASE && p < BASE + 4 * PB) inArea++
    }
    expect(inArea).toBeGreaterThan(0) // __rmqueue served movable requests from CMA
    const rec = cmaAlloc(m, a, 4 * PB, 9, env())
    expect(rec.ret).toBe(0)
    expect(rec.pfn).toBe(BASE)
    expect(rec.nrMigrated).toBe(inArea)
    expect(a.bitmap.every((b) => b === 1)).toBe(true)
    expect(cmaVmstat(m)).toEqual([
      ['cma_alloc_success', 1],
      ['cma_alloc_fail', 0],
    ])
    expect(vmstat(m)).toContainEqual(['cma_alloc_success', 1])
    expect(cmaSysfs(m).dma).toEqual({ alloc_pages_success: 4 * PB, alloc_pages_fail: 0 })
    expect(ev.map((e) => e.name)).toEqual(['cma_alloc_start', 'cma_alloc_finish'])
    expect(ev[1]).toMatchObject({ pfn: BASE, count: 4 * PB, align: 9, errorno: 0 })
    expect(checkInvariants(m)).toBeNull()
    expect(cmaRelease(m, a, BASE, 4 * PB)).toBe(true)
    expect(a.bitmap.every((b) => b === 0)).toBe(true)
    expect(ev[2]).toMatchObject({ name: 'cma_release', pfn: BASE, count: 4 * PB })
    expect(checkInvariants(m)).toBeNull()
    expect(contigSeries(m).source).toContain('cma_alloc')
  })

  for (const era of ['6.1', '6.12'] as KernelEra[]) {
    it(`${era}: -EBUSY on a pinned page slides the search one alignment unit and succeeds there`, () => {
      const m = machine(era)
      const [a] = cmaReserve(m, [{ name: 'dma', basePfn: BASE, nrPages: 4 * PB }])
      // Fill the CMA area's first pageblock with movable pages, one of them FOLL_LONGTERM-pinned.
      const got: number[] = []
      for (let i = 0; i < 2048 && !got.some((p) => p >= BASE && p < BASE + PB); i++) {
        const p = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
        makeAnonLruFolio(m, p, 1)
        got.push(p)
      }
      const pinned = got.find((p) => p >= BASE && p < BASE + PB)!
      folioPin(m, pinned)
      const ev = traces(m)
      const rec = cmaAlloc(m, a, PB, 9, env())
      expect(rec.ret).toBe(0)
      expect(rec.busyRetries).toBe(1)
      expect(rec.pfn).toBe(BASE + PB)
      expect(ev.find((e) => e.name === 'cma_alloc_busy_retry')).toMatchObject({
        pfn: BASE,
        errorno: -16,
      })
      expect(a.bitmap[0]).toBe(0)
      expect(a.bitmap[PB]).toBe(1)
      expect(checkInvariants(m)).toBeNull()
    })
  }

  it('-ENOMEM when no clear run is left or the request exceeds the area; fail counters in calls and pages', () => {
    const m = machine()
    const [a] = cmaReserve(m, [{ name: 'small', basePfn: BASE, nrPages: 2 * PB }])
    expect(cmaAlloc(m, a, 3 * PB, 0, env()).ret).toBe(-12)
    expect(cmaAlloc(m, a, 2 * PB, 0, env()).ret).toBe(0)
    const r = cmaAlloc(m, a, 1, 0, env())
    expect(r.ret).toBe(-12)
    expect(r.outcome).toBe('nomem')
    expect(cmaVmstat(m)).toEqual([
      ['cma_alloc_success', 1],
      ['cma_alloc_fail', 2],
    ])
    expect(cmaSysfs(m).small).toEqual({ alloc_pages_success: 2 * PB, alloc_pages_fail: 3 * PB + 1 })
  })
})
