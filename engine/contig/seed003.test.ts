/**
 * The hazards David Hildenbrand listed against pageblock-granular alloc_contig_range
 * (seed 003, Zi Yan's "Use pageblock_order for cma and alloc_contig_range alignment"), each
 * under the variant where it breaks (the invariant checker names the violation) and the one
 * that handles it. Layout: one MAX_ORDER block [4096, 5120) = pageblock 0 [4096, 4608) and
 * pageblock 1 [4608, 5120); free memory for migration targets at [8192, 16384).
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  checkInvariants,
  createMachine,
  freePages,
  getPfnblockMigratetype,
  MIGRATE_CMA,
  MIGRATE_MOVABLE,
  setPageblockMigratetype,
  type KernelEra,
  type Machine,
  type InvariantViolation,
} from '../mm'
import { createSimClock, makeAnonLruFolio } from '../migrate'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { allocContigRange } from './allocContigRange'
import { MIGRATE_API } from './migrateApi'
import { placeFolio, placeFreeRange } from './placement'
import { EBUSY, type ContigEnv, type ContigHooks } from './types'

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
const B0 = 4096
const B1 = B0 + PB
const END = B0 + 2 * PB

function machine(era: KernelEra): Machine {
  const m = track(
    createMachine({
      zones: [{ type: 'Normal', sizeMiB: 64 }],
      nrCpus: 2,
      kernelEra: era,
      boot: 'allocated',
      debugVm: true,
    } as never),
  )
  placeFreeRange(m, 8192, 16384)
  return m
}

function env(hooks?: ContigHooks): ContigEnv {
  return { clock: createSimClock(), cost: DEFAULT_COST_MODEL, migrate: MIGRATE_API, hooks }
}

function cma(m: Machine): void {
  setPageblockMigratetype(m, B0, MIGRATE_CMA)
  setPageblockMigratetype(m, B1, MIGRATE_CMA)
}

describe('seed 003 (a): CMA and non-CMA pageblocks inside one MAX_ORDER block', () => {
  function layout(era: KernelEra, unmovableInPb1: boolean): Machine {
    const m = machine(era)
    setPageblockMigratetype(m, B0, MIGRATE_CMA)
    for (let p = B0; p < B0 + 64; p++) {
      placeFolio(m, p, 0, 0)
      makeAnonLruFolio(m, p, 1)
    }
    placeFreeRange(m, B0 + 64, B1)
    if (unmovableInPb1) placeFolio(m, B1 + 100, 0, 0)
    placeFreeRange(m, B1, unmovableInPb1 ? B1 + 100 : END)
    if (unmovableInPb1) placeFreeRange(m, B1 + 101, END)
    return m
  }

  for (const era of ['6.1', '6.12'] as KernelEra[]) {
    it(`${era} 'pageblock': allocating the CMA block leaves the MOVABLE neighbour alone; the buddy never merges across`, () => {
      const m = layout(era, true)
      const rec = allocContigRange(m, B0, B1, MIGRATE_CMA, env())
      expect(rec.ret).toBe(0)
      expect(getPfnblockMigratetype(m, B0)).toBe(MIGRATE_CMA)
      expect(getPfnblockMigratetype(m, B1)).toBe(MIGRATE_MOVABLE)
      expect(checkInvariants(m)).toBeNull()
    })
  }

  it("'max-order' (≤5.18): the MOVABLE neighbour is isolated too, so its unmovable page fails the CMA allocation", () => {
    const m = layout('6.6', true)
    const rec = allocContigRange(m, B0, B1, MIGRATE_CMA, env(), { alignment: 'max-order' })
    expect(rec.ret).toBe(-EBUSY)
    expect(rec.blockerPfn).toBe(B1 + 100)
    expect(checkInvariants(m)).toBeNull()
  })

  it("'max-order' + 'migratetype': undo relabels the MOVABLE neighbour CMA (why CMA areas had to be MAX_ORDER aligned)", () => {
    const m = layout('6.6', false)
    expect(
      allocContigRange(m, B0, B1, MIGRATE_CMA, env(), {
        alignment: 'max-order',
        representation: 'migratetype',
      }).ret,
    ).toBe(0)
    expect(getPfnblockMigratetype(m, B1)).toBe(MIGRATE_CMA)
    const m2 = layout('6.6', false)
    expect(
      allocContigRange(m2, B0, B1, MIGRATE_CMA, env(), {
        alignment: 'max-order',
        representation: 'flag',
      }).ret,
    ).toBe(0)
    expect(getPfnblockMigratetype(m2, B1)).toBe(MIGRATE_MOVABLE)
  })
})

describe('seed 003 (b): a MAX_ORDER page freed or migrated while only part of it is isolated', () => {
  it('6.1 without the boundary split: a free MAX_ORDER page ends up half isolated; the checker names it, and the allocation fails', () => {
    const m = machine('6.1')
    cma(m)
    placeFreeRange(m, B0, END)
    let seen: InvariantViolation | null = null
    const rec = allocContigRange(
      m,
      B1,
      END,
      MIGRATE_CMA,
      env({ afterIsolate: () => (seen = checkInvariants(m)) }),
      { boundarySplit: false },
    )
    expect(seen).toMatchObject({ rule: 'free-block-spans-isolation', pfn: B0 })
    expect(rec.ret).toBe(-EBUSY) // outer_start reaches into the non-isolated pageblock 0
    expect(rec.failedAt).toBe('test_pages_isolated')
  })

  for (const era of ['6.1', '6.9', '6.12', '2025'] as KernelEra[]) {
    it(`${era} with the boundary split: the free MAX_ORDER page is split at the boundary; pageblock 1 is allocated`, () => {
      const m = machine(era)
      cma(m)
      placeFreeRange(m, B0, END)
      let seen: InvariantViolation | null = null
      const rec = allocContigRange(
        m,
        B1,
        END,
        MIGRATE_CMA,
        env({ afterIsolate: () => (seen = checkInvariants(m)) }),
      )
      expect(seen).toBeNull()
      expect(rec.ret).toBe(0)
      expect(checkInvariants(m)).toBeNull()
    })
  }

  for (const era of ['6.1', '6.12'] as KernelEra[]) {
    it(`${era}: an in-use MAX_ORDER LRU folio straddling the boundary is migrated by isolate_single_pageblock; without the split its freed page is half isolated`, () => {
      for (const boundarySplit of [true, false]) {
        const m = machine(era)
        cma(m)
        placeFolio(m, B0, 10, 0, true)
        makeAnonLruFolio(m, B0, 1)
        let seen: InvariantViolation | null = null
        const rec = allocContigRange(
          m,
          B1,
          END,
          MIGRATE_CMA,
          env({ afterIsolate: () => (seen = checkInvariants(m)) }),
          { boundarySplit },
        )
        if (boundarySplit) {
          expect(seen).toBeNull()
          expect(rec.ret).toBe(0)
          expect(rec.nrMigrated).toBe(2 * PB)
          expect(checkInvariants(m)).toBeNull()
        } else {
          expect((seen as InvariantViolation | null)?.rule).toBe('free-block-spans-isolation')
        }
      }
    })
  }
})

describe('seed 003 (b): an in-use MAX_ORDER block freed by its owner while only its second pageblock is isolated', () => {
  for (const era of ['6.1', '6.12'] as KernelEra[]) {
    it(`${era}: ${era === '6.1' ? "the freed page lands whole on the first pageblock's list (checker fires)" : 'split_large_buddy frees it per pageblock'}`, () => {
      const m = machine(era)
      // alloc_pages(GFP_KERNEL, 10) without __GFP_COMP: refcount-0 tails, which
      // has_unmovable_pages skips, so pageblock 1 can be isolated under it.
      placeFolio(m, B0, 10, 0, false)
      let seen: InvariantViolation | null = null
      const rec = allocContigRange(
        m,
        B1,
        END,
        MIGRATE_MOVABLE,
        env({
          afterIsolate: () => {
            freePages(m, B0, 10)
            seen = checkInvariants(m)
          },
        }),
      )
      if (era === '6.1') expect(seen).toMatchObject({ rule: 'free-block-spans-isolation', pfn: B0 })
      else expect(seen).toBeNull()
      expect(rec.ret).toBe(era === '6.1' ? -EBUSY : 0)
    })
  }
})

describe('seed 003 (c): concurrent allocations in neighbouring pageblocks of one MAX_ORDER block', () => {
  function layout(era: KernelEra): Machine {
    const m = machine(era)
    cma(m)
    placeFreeRange(m, B0, END)
    return m
  }

  for (const era of ['6.1', '6.12'] as KernelEra[]) {
    it(`${era} 'pageblock': both succeed, and the state between them is consistent`, () => {
      const m = layout(era)
      let inner = -1
      let between: InvariantViolation | null = null
      const hooks: ContigHooks = {
        afterIsolate: () => {
          between = checkInvariants(m)
          inner = allocContigRange(m, B1, END, MIGRATE_CMA, env()).ret
        },
      }
      const outer = allocContigRange(m, B0, B1, MIGRATE_CMA, env(hooks))
      expect(between).toBeNull()
      expect(inner).toBe(0)
      expect(outer.ret).toBe(0)
      expect(checkInvariants(m)).toBeNull()
    })
  }

  it("6.1 'pageblock' without the boundary split: the first isolation leaves the shared free page half isolated", () => {
    const m = layout('6.1')
    let between: InvariantViolation | null = null
    const hooks: ContigHooks = {
      afterIsolate: () => {
        between = checkInvariants(m)
        allocContigRange(m, B1, END, MIGRATE_CMA, env(), { boundarySplit: false })
      },
    }
    allocContigRange(m, B0, B1, MIGRATE_CMA, env(hooks), { boundarySplit: false })
    expect(between).toMatchObject({ rule: 'free-block-spans-isolation' })
  })

  it("'max-order' (≤5.18): the second request finds the block isolated and gets -EBUSY; the first still succeeds", () => {
    const m = layout('6.6')
    let inner = 0
    const hooks: ContigHooks = {
      afterIsolate: () =>
        (inner = allocContigRange(m, B1, END, MIGRATE_CMA, env(), { alignment: 'max-order' }).ret),
    }
    const outer = allocContigRange(m, B0, B1, MIGRATE_CMA, env(hooks), { alignment: 'max-order' })
    expect(inner).toBe(-EBUSY)
    expect(outer.ret).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })
})
