/**
 * Seed 004: where CMA's reclaim belongs (Marek Szyprowski's CMA v18 patch 07 vs Mel Gorman's
 * review). Zone: 64 MiB, MIN 800 / LOW 1000 pages; clean page cache at [10240, 16384).
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  allocPages,
  checkInvariants,
  createMachine,
  GFP_HIGHUSER_MOVABLE,
  MIGRATE_MOVABLE,
  NO_PAGE,
  type Machine,
} from '../mm'
import { createSimClock, makeAnonLruFolio, makeFileLruFolio } from '../migrate'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { cmaAlloc, cmaReserve, type CmaAllocRecord } from '../cma'
import { allocContigRange } from './allocContigRange'
import { MIGRATE_API } from './migrateApi'
import { placeFolio, placeFreeRange } from './placement'
import { EBUSY, type ContigEnv, type ContigVariant } from './types'

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
const R0 = 2048
const R1 = 3072

function machine(freeElsewhere: number, anonInRange: number): Machine {
  const m = track(
    createMachine({
      zones: [{ type: 'Normal', sizeMiB: 64 }],
      nrCpus: 2,
      kernelEra: '6.12',
      boot: 'allocated',
      debugVm: true,
    } as never),
  )
  for (let p = R0; p < R0 + anonInRange; p++) {
    placeFolio(m, p, 0, 0)
    makeAnonLruFolio(m, p, 1)
  }
  placeFreeRange(m, R0 + anonInRange, R1)
  placeFreeRange(m, 8192, 8192 + freeElsewhere)
  for (let p = 10240; p < 16384; p++) {
    placeFolio(m, p, 0, 0)
    makeFileLruFolio(m, p, 0)
  }
  expect(m.zones[0].wmarkMin).toBe(800)
  expect(m.zones[0].wmarkLow).toBe(1000)
  return m
}

function env(): ContigEnv {
  return { clock: createSimClock(), cost: DEFAULT_COST_MODEL, migrate: MIGRATE_API }
}

const v2011 = (reclaim: ContigVariant['reclaim']): Partial<ContigVariant> => ({
  reclaim,
  splitWatermark: 'low-2011',
})

describe("seed 004: split_free_page's watermark and where reclaim runs", () => {
  it("'none' with the 2011 LOW + 2^order rule: the range fails below the watermark (-EBUSY at the free-page grab)", () => {
    const m = machine(1400, 512)
    const rec = allocContigRange(m, R0, R1, MIGRATE_MOVABLE, env(), v2011('none'))
    expect(rec.ret).toBe(-EBUSY)
    expect(rec.failedAt).toBe('isolate_freepages')
    expect(rec.nrMigrated).toBe(512) // the work was done, then refused
    expect(rec.nrReclaimed).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })

  it("'in-split-free-page' (v18 patch 07): reclaims per free block with the zone lock held, then succeeds", () => {
    const m = machine(1400, 512)
    const rec = allocContigRange(m, R0, R1, MIGRATE_MOVABLE, env(), v2011('in-split-free-page'))
    expect(rec.ret).toBe(0)
    // 888 free elsewhere + 1024 pending must exceed LOW + 1024: at least 113 pages, and
    // reclaim stops at the first SWAP_CLUSTER_MAX pass that gets there.
    expect(rec.nrReclaimed).toBeGreaterThanOrEqual(113)
    expect(rec.nrReclaimed).toBeLessThan(113 + 32)
    // Every reclaimed page was scanned and freed under the lock (shrink_folio_list's costs).
    expect(rec.reclaimUnderZoneLockNs).toBeGreaterThanOrEqual(
      rec.nrReclaimed * (100 + DEFAULT_COST_MODEL.freeNs),
    )
    expect(checkInvariants(m)).toBeNull()
  })

  it("'in-alloc-contig-range' (v19–v24): reclaims count pages' worth before isolating; nothing under the zone lock", () => {
    const m = machine(1400, 512)
    const rec = allocContigRange(m, R0, R1, MIGRATE_MOVABLE, env(), v2011('in-alloc-contig-range'))
    expect(rec.ret).toBe(0)
    // free 1912 must exceed LOW + count = 2024: at least 113 pages, in SWAP_CLUSTER_MAX passes.
    expect(rec.nrReclaimed).toBeGreaterThanOrEqual(113)
    expect(rec.nrReclaimed).toBeLessThan(113 + 32)
    expect(rec.reclaimUnderZoneLockNs).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })

  it('current kernels (isolated blocks exempt): succeeds without reclaim, and isolation drives the zone below MIN meanwhile', () => {
    const m = machine(700, 0)
    const rec = allocContigRange(m, R0, R1, MIGRATE_MOVABLE, env())
    expect(rec.ret).toBe(0)
    expect(rec.nrReclaimed).toBe(0)
    expect(rec.belowMinNs).toBeGreaterThan(0)
    expect(m.zones[0].nrFreePages).toBeLessThan(m.zones[0].wmarkMin)
  })

  it("'in-alloc-contig-range' keeps the zone above MIN throughout; 'in-split-free-page' reclaims only after isolation, below MIN", () => {
    const early = allocContigRange(
      machine(700, 0),
      R0,
      R1,
      MIGRATE_MOVABLE,
      env(),
      v2011('in-alloc-contig-range'),
    )
    expect(early.ret).toBe(0)
    expect(early.belowMinNs).toBe(0)
    const late = allocContigRange(
      machine(700, 0),
      R0,
      R1,
      MIGRATE_MOVABLE,
      env(),
      v2011('in-split-free-page'),
    )
    expect(late.ret).toBe(0)
    expect(late.belowMinNs).toBeGreaterThan(0)
    expect(late.reclaimUnderZoneLockNs).toBeGreaterThan(0)
  })

  it('no reclaimable memory: each pass without progress is an OOM invocation, then the block is refused', () => {
    const m = track(
      createMachine({
        zones: [{ type: 'Normal', sizeMiB: 64 }],
        nrCpus: 2,
        kernelEra: '6.12',
        boot: 'allocated',
        debugVm: true,
      } as never),
    )
    placeFreeRange(m, R0, R1)
    placeFreeRange(m, 8192, 8892)
    const rec = allocContigRange(m, R0, R1, MIGRATE_MOVABLE, env(), v2011('in-split-free-page'))
    expect(rec.ret).toBe(-EBUSY)
    expect(rec.failedAt).toBe('reclaim')
    expect(rec.nrOomInvocations).toBe(16)
    expect(checkInvariants(m)).toBeNull()
  })
})

describe('seed 004 under pressure: four 2 MiB cma_alloc calls into a loaded CMA area', () => {
  /** 1024 free pages outside CMA, 1200 anon pages spread by __rmqueue over CMA and the rest, clean page cache. */
  function run(variant: Partial<ContigVariant>): CmaAllocRecord[] {
    const m = track(
      createMachine({
        zones: [{ type: 'Normal', sizeMiB: 64 }],
        nrCpus: 2,
        kernelEra: '6.12',
        boot: 'allocated',
        debugVm: true,
      } as never),
    )
    placeFreeRange(m, 8192, 9216)
    for (let p = 10240; p < 16384; p++) {
      placeFolio(m, p, 0, 0)
      makeFileLruFolio(m, p, 0)
    }
    const [area] = cmaReserve(m, [{ name: 'cam', basePfn: 4096, nrPages: 2048 }])
    for (let i = 0; i < 1200; i++) {
      const p = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
      expect(p).not.toBe(NO_PAGE)
      makeAnonLruFolio(m, p, 1)
    }
    const e = env()
    const recs: CmaAllocRecord[] = []
    for (let i = 0; i < 4; i++) recs.push(cmaAlloc(m, area, PB, 9, e, variant))
    return recs
  }
  const ok = (rs: CmaAllocRecord[]) => rs.filter((r) => r.outcome === 'success').length
  const reclaimed = (rs: CmaAllocRecord[]) => rs.reduce((a, r) => a + r.nrReclaimed, 0)

  it('reclaiming before isolation succeeds most; reclaim inside split_free_page comes too late for migration targets', () => {
    const none = run(v2011('none'))
    const inSplit = run(v2011('in-split-free-page'))
    const inAcr = run(v2011('in-alloc-contig-range'))
    expect(ok(inAcr)).toBe(4)
    expect(ok(inSplit)).toBeGreaterThanOrEqual(ok(none))
    expect(ok(inAcr)).toBeGreaterThan(ok(inSplit))
    expect(reclaimed(none)).toBe(0)
    expect(reclaimed(inSplit)).toBeGreaterThan(0)
    // The late reclaim does not help the migration targets: its failures are -ENOMEM.
    expect(inSplit.filter((r) => r.outcome !== 'success').every((r) => r.outcome === 'nomem')).toBe(
      true,
    )
    // Without reclaim the failures are the watermark's -EBUSY, after migrating for nothing.
    expect(
      none
        .filter((r) => r.outcome !== 'success')
        .every((r) => r.outcome === 'busy' && r.nrMigrated > 0),
    ).toBe(true)
  })
})
