import { afterEach, describe, expect, it } from 'vitest'
import {
  checkInvariants,
  createMachine,
  folioPin,
  getPfnblockMigratetype,
  MIGRATE_MOVABLE,
  MIGRATE_UNMOVABLE,
  PAGE_ALLOC,
  setPageblockMigratetype,
  type KernelEra,
  type Machine,
} from '../mm'
import { pageFlags, pageOrder } from '../mm/memmap'
import { createSimClock, makeAnonLruFolio, migrateVmEvents } from '../migrate'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { allocContigRange } from './allocContigRange'
import { freeContigRange } from './freeContigRange'
import { MIGRATE_API } from './migrateApi'
import { placeFolio, placeFreeRange } from './placement'
import { contigOutcomeCounts, contigSeries } from './series'
import { EBUSY, EINTR, ENOMEM, type ContigEnv } from './types'

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
const MAXO = 1024

function machine(era: KernelEra): Machine {
  return track(
    createMachine({
      zones: [{ type: 'Normal', sizeMiB: 64 }],
      nrCpus: 2,
      kernelEra: era,
      boot: 'allocated',
      debugVm: true,
    } as never),
  )
}

function env(extra: Partial<ContigEnv> = {}): ContigEnv {
  return { clock: createSimClock(), cost: DEFAULT_COST_MODEL, migrate: MIGRATE_API, ...extra }
}

/** An anon LRU folio mapped once at `pfn` (a user page the range must migrate). */
function anon(m: Machine, pfn: number, order = 0): void {
  placeFolio(m, pfn, order, 0, order > 0)
  makeAnonLruFolio(m, pfn, 1)
}

/** Range [2048, 3072) half anon folios, half free; [8192, 16384) free for migration targets. */
function userRange(m: Machine): void {
  for (let p = 2 * MAXO; p < 2 * MAXO + PB; p++) anon(m, p)
  placeFreeRange(m, 2 * MAXO + PB, 3 * MAXO)
  placeFreeRange(m, 8 * MAXO, 16 * MAXO)
}

function clean(m: Machine): void {
  expect(checkInvariants(m)).toBeNull()
}

describe('alloc_contig_range (mm/page_alloc.c)', () => {
  for (const era of ['6.1', '6.6', '6.12', '2025'] as KernelEra[]) {
    it(`${era}: migrates the in-use pages out and hands every page of the range to the caller`, () => {
      const m = machine(era)
      userRange(m)
      const e = env()
      const rec = allocContigRange(m, 2 * MAXO, 3 * MAXO, MIGRATE_MOVABLE, e)
      expect(rec.ret).toBe(0)
      expect(rec.outcome).toBe('success')
      expect(rec.nrMigrated).toBe(PB)
      expect(migrateVmEvents(m).pgmigrate_success).toBe(PB)
      for (let p = 2 * MAXO; p < 3 * MAXO; p++) {
        expect(pageFlags(m, p) & PAGE_ALLOC).not.toBe(0)
        expect(pageOrder(m, p)).toBe(0)
        expect(m.refcount[p]).toBe(1)
      }
      expect(getPfnblockMigratetype(m, 2 * MAXO)).toBe(MIGRATE_MOVABLE)
      expect(m.zones[0].nrIsolatePageblock).toBe(0)
      expect(rec.latencyNs).toBe(e.clock.nowNs)
      expect(rec.latencyNs).toBeGreaterThan(PB * DEFAULT_COST_MODEL.pageCopyNs)
      clean(m)
      const free = m.zones[0].nrFreePages
      expect(freeContigRange(m, 2 * MAXO, MAXO)).toBe(0)
      clean(m)
      expect(m.zones[0].nrFreePages).toBeGreaterThanOrEqual(free) // some may sit on per-cpu lists
    })
  }

  it('an unaligned range frees the outer parts of the buddies it had to take', () => {
    const m = machine('6.1')
    placeFreeRange(m, 2 * MAXO, 4 * MAXO)
    placeFreeRange(m, 8 * MAXO, 16 * MAXO)
    const free = m.zones[0].nrFreePages
    const rec = allocContigRange(m, 2 * MAXO + 100, 2 * MAXO + 300, MIGRATE_MOVABLE, env())
    expect(rec.ret).toBe(0)
    expect(m.zones[0].nrFreePages).toBe(free - 200)
    expect(m.refcount[2 * MAXO + 99]).toBe(0)
    expect(m.refcount[2 * MAXO + 100]).toBe(1)
    clean(m)
  })

  it('-EBUSY at isolation: an unmovable page in the range (has_unmovable_pages names it)', () => {
    const m = machine('6.12')
    userRange(m)
    const rec = allocContigRange(m, 2 * MAXO - PB, 3 * MAXO, MIGRATE_MOVABLE, env())
    expect(rec.ret).toBe(-EBUSY)
    expect(rec.failedAt).toBe('isolate')
    expect(rec.blockerPfn).toBe(2 * MAXO - PB) // a kernel placeholder page
    expect(m.zones[0].nrIsolatePageblock).toBe(0)
    clean(m)
  })

  it('-EBUSY after 5 migrate tries: a FOLL_LONGTERM-pinned anon page stays, test_pages_isolated fails', () => {
    const m = machine('6.12')
    userRange(m)
    folioPin(m, 2 * MAXO + 7)
    const rec = allocContigRange(m, 2 * MAXO, 3 * MAXO, MIGRATE_MOVABLE, env())
    expect(rec.ret).toBe(-EBUSY)
    expect(rec.failedAt).toBe('test_pages_isolated')
    expect(rec.nrMigrated).toBe(PB - 1)
    expect(m.zones[0].nrIsolatePageblock).toBe(0)
    clean(m)
  })

  it('-ENOMEM: no free memory outside the range for migration targets', () => {
    const m = machine('6.12')
    for (let p = 2 * MAXO; p < 2 * MAXO + PB; p++) anon(m, p)
    placeFreeRange(m, 2 * MAXO + PB, 3 * MAXO)
    const rec = allocContigRange(m, 2 * MAXO, 3 * MAXO, MIGRATE_MOVABLE, env())
    expect(rec.ret).toBe(-ENOMEM)
    expect(rec.outcome).toBe('nomem')
    expect(rec.failedAt).toBe('migrate')
    expect(m.zones[0].nrIsolatePageblock).toBe(0)
    clean(m)
  })

  it('-EINTR: a fatal signal stops the migration loop', () => {
    const m = machine('6.12')
    userRange(m)
    const rec = allocContigRange(
      m,
      2 * MAXO,
      3 * MAXO,
      MIGRATE_MOVABLE,
      env({ fatalSignalPending: () => true }),
    )
    expect(rec.ret).toBe(-EINTR)
    expect(rec.outcome).toBe('intr')
    expect(rec.nrMigrated).toBe(0)
    clean(m)
  })

  it('records each request in the chart series', () => {
    const m = machine('6.12')
    userRange(m)
    allocContigRange(m, 2 * MAXO, 3 * MAXO, MIGRATE_MOVABLE, env())
    allocContigRange(m, 2 * MAXO, 3 * MAXO, MIGRATE_MOVABLE, env()) // now allocated by us: busy
    const s = contigSeries(m)
    expect(s.outcome).toEqual(['success', 'busy'])
    expect(s.pagesMigrated[0]).toBe(PB)
    expect(contigOutcomeCounts(m, 'alloc_contig_range')).toMatchObject({ success: 1, busy: 1 })
  })
})

describe('variant contig.alignment', () => {
  it("'max-order' (≤5.18) isolates the whole MAX_ORDER block: an unmovable page in the neighbour pageblock fails it; 'pageblock' does not care", () => {
    for (const alignment of ['max-order', 'pageblock'] as const) {
      const m = machine('6.6')
      placeFolio(m, 2 * MAXO, 0, 0) // unmovable kernel page in pageblock 0
      placeFreeRange(m, 2 * MAXO + 1, 3 * MAXO)
      placeFreeRange(m, 8 * MAXO, 16 * MAXO)
      const rec = allocContigRange(m, 2 * MAXO + PB, 3 * MAXO, MIGRATE_MOVABLE, env(), {
        alignment,
      })
      expect(rec.ret).toBe(alignment === 'max-order' ? -EBUSY : 0)
      clean(m)
    }
  })

  it("'max-order' with representation 'migratetype' gives the neighbour block the caller's type on undo", () => {
    const m = machine('6.6')
    setPageblockMigratetype(m, 2 * MAXO, MIGRATE_UNMOVABLE)
    placeFreeRange(m, 2 * MAXO, 3 * MAXO)
    placeFreeRange(m, 8 * MAXO, 16 * MAXO)
    expect(
      allocContigRange(m, 2 * MAXO + PB, 3 * MAXO, MIGRATE_MOVABLE, env(), {
        alignment: 'max-order',
      }).ret,
    ).toBe(0)
    expect(getPfnblockMigratetype(m, 2 * MAXO)).toBe(MIGRATE_MOVABLE)
    const m2 = machine('6.6')
    setPageblockMigratetype(m2, 2 * MAXO, MIGRATE_UNMOVABLE)
    placeFreeRange(m2, 2 * MAXO, 3 * MAXO)
    expect(
      allocContigRange(m2, 2 * MAXO + PB, 3 * MAXO, MIGRATE_MOVABLE, env(), {
        alignment: 'max-order',
        representation: 'flag',
      }).ret,
    ).toBe(0)
    expect(getPfnblockMigratetype(m2, 2 * MAXO)).toBe(MIGRATE_UNMOVABLE)
    clean(m)
    clean(m2)
  })
})
