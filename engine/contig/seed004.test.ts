/**
 * Seed 004: where CMA's reclaim belongs (Marek Szyprowski's CMA v18 patch 07 vs Mel Gorman's
 * review), under the 2011 `split_free_page` watermark rule. In every variant the migration
 * targets come from the allocation slow path (2011: `alloc_page(GFP_HIGHUSER_MOVABLE)`; now
 * alloc_migration_target); kswapd is woken but runs later as its own thread, so what a request
 * reclaims is its own doing. Zone: 64 MiB, MIN 800 / LOW 1000 pages; clean page cache at
 * [10240, 16384).
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
      pcp: false,
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
  return {
    clock: createSimClock(),
    cost: DEFAULT_COST_MODEL,
    migrate: MIGRATE_API,
    reclaim: { kswapdMode: 'wake-only' },
  }
}

const v2011 = (reclaim: ContigVariant['reclaim']): Partial<ContigVariant> => ({
  reclaim,
  splitWatermark: 'low-2011',
})

describe("seed 004: split_free_page's watermark and where reclaim runs", () => {
  it("v18 without patch 07 ('migration-target' with the 2011 LOW + 2^order rule): the range fails below the watermark (-EBUSY at the free-page grab)", () => {
    const m = machine(1400, 512)
    const rec = allocContigRange(m, R0, R1, MIGRATE_MOVABLE, env(), v2011('migration-target'))
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
    // The range's free pages merged into one order-10 buddy; 888 free elsewhere + 1024 pending
    // is below LOW + 1024, so `__force_memory_reclaim(10, zone)` runs try_to_free_pages at
    // order 10, and reclaim/compaction (should_continue_reclaim, costly order) goes on until
    // compact_gap(10) = 2048 pages are reclaimed: one pass, far more than the 113 needed.
    expect(rec.nrReclaimed).toBeGreaterThanOrEqual(2048)
    expect(rec.nrReclaimed).toBeLessThan(2048 + 32)
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
    // free 1912 must exceed LOW + count = 2024: at least 113 pages, in order-1 passes of
    // SWAP_CLUSTER_MAX pages.
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
        pcp: false,
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
        pcp: false,
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

  it('current kernels succeed every time, reclaiming through the targets; v18 without patch 07 migrates and is refused; both 2011 fixes succeed', () => {
    const cur = run({})
    const v18 = run(v2011('migration-target'))
    const inSplit = run(v2011('in-split-free-page'))
    const inAcr = run(v2011('in-alloc-contig-range'))
    expect([ok(cur), ok(inSplit), ok(inAcr)]).toEqual([4, 4, 4])
    // Current kernels: the room for the migrated pages comes from the targets' direct reclaim
    // (the zone sits near MIN once the first buffers are taken); no watermark on the grab.
    expect(cur.filter((r) => r.nrMigrated > 0 && r.nrReclaimed > 0).length).toBeGreaterThan(0)
    // v18 without patch 07: the targets are found (above MIN), the range is migrated, then
    // split_free_page's LOW + 2^order check refuses it: -EBUSY, and cma_alloc slides on.
    const refused = v18.filter((r) => r.outcome !== 'success')
    expect(refused.length).toBeGreaterThan(0)
    expect(
      refused.every((r) => r.outcome === 'busy' && r.nrMigrated > 0 && r.busyRetries > 0),
    ).toBe(true)
    expect(reclaimed(v18)).toBe(0)
    expect(reclaimed(inSplit)).toBeGreaterThan(0)
    expect(reclaimed(inAcr)).toBeGreaterThan(0)
  })
})
