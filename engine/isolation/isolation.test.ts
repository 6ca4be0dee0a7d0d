import { afterEach, describe, expect, it } from 'vitest'
import {
  checkInvariants,
  createMachine,
  folioPut,
  folioSetFlags,
  getPageblockStoredMigratetype,
  getPfnblockMigratetype,
  isPageblockIsolated,
  MIGRATE_CMA,
  MIGRATE_ISOLATE,
  MIGRATE_MOVABLE,
  MIGRATE_UNMOVABLE,
  PAGE_TYPE_BUDDY,
  PAGE_TYPE_OFFLINE,
  PG_anon,
  PG_lru,
  PG_reserved,
  setPageblockMigratetype,
  type KernelEra,
  type Machine,
} from '../mm'
import { pageFlags, pageListMt, pageOrder, setPageFlags } from '../mm/memmap'
import { placeFolio, placeFreeRange } from '../contig/placement'
import { hasUnmovablePages, MEMORY_OFFLINE } from './hasUnmovablePages'
import {
  newIsolateCtx,
  startIsolatePageRange,
  testPagesIsolated,
  undoIsolatePageRange,
} from './isolateRange'
import {
  EBUSY,
  setMigratetypeIsolate,
  unsetMigratetypeIsolate,
  type IsolationVariant,
} from './migratetypeIsolate'
import { traceSubscribe } from '../mm/trace'
import { type TestPagesIsolatedEvent } from '../mm/traceTypesMigrate'

/** Every machine a test builds is checked with the full invariant checker after the test. */
const live = new Set<Machine>()
function track(m: Machine): Machine {
  live.add(m)
  return m
}
/** A test that leaves a machine broken on purpose (a hazard reproduced) takes it off the check. */
function broken(m: Machine): void {
  live.delete(m)
}
afterEach(() => {
  const ms = [...live]
  live.clear()
  for (const m of ms) expect(checkInvariants(m)).toBeNull()
})

const PB = 512
const MAXO = 1024

/** 64 MiB of ZONE_NORMAL (32 pageblocks) where every page starts allocated, for exact layouts. */
function machine(era: KernelEra, movable = false): Machine {
  return track(
    createMachine({
      zones: [{ type: movable ? 'Movable' : 'Normal', sizeMiB: 64 }],
      nrCpus: 2,
      kernelEra: era,
      boot: 'allocated',
      debugVm: true,
    } as never),
  )
}

function clean(m: Machine): void {
  expect(checkInvariants(m)).toBeNull()
}

const v = (representation: 'migratetype' | 'flag', boundarySplit = true): IsolationVariant => ({
  representation,
  boundarySplit,
})

describe('set_migratetype_isolate / unset_migratetype_isolate (mm/page_isolation.c)', () => {
  for (const era of ['6.1', '6.12', '2025'] as KernelEra[]) {
    for (const rep of ['migratetype', 'flag'] as const) {
      it(`${era}, representation '${rep}': an UNMOVABLE block isolated for a MOVABLE request comes back ${rep === 'flag' ? 'UNMOVABLE' : 'MOVABLE'}`, () => {
        const m = machine(era)
        const base = 4 * PB
        setPageblockMigratetype(m, base, MIGRATE_UNMOVABLE)
        placeFreeRange(m, base, base + PB)
        const z = m.zones[0]
        const free = z.nrFreePages
        expect(setMigratetypeIsolate(m, base, MIGRATE_MOVABLE, 0, base, base + PB, v(rep))).toBe(0)
        expect(getPfnblockMigratetype(m, base)).toBe(MIGRATE_ISOLATE)
        expect(pageListMt(m, base)).toBe(MIGRATE_ISOLATE)
        expect(z.nrFreePages).toBe(free - PB) // isolated free pages leave NR_FREE_PAGES
        expect(z.nrIsolatePageblock).toBe(1)
        clean(m)
        // A second isolation of the same block is a race the kernel answers with -EBUSY.
        expect(setMigratetypeIsolate(m, base, MIGRATE_MOVABLE, 0, base, base + PB, v(rep))).toBe(
          -EBUSY,
        )
        unsetMigratetypeIsolate(m, base, MIGRATE_MOVABLE, v(rep))
        const want = rep === 'flag' ? MIGRATE_UNMOVABLE : MIGRATE_MOVABLE
        expect(getPfnblockMigratetype(m, base)).toBe(want)
        expect(pageListMt(m, base)).toBe(want)
        expect(z.nrFreePages).toBe(free)
        expect(z.nrIsolatePageblock).toBe(0)
        clean(m)
      })
    }
  }

  it('2025 flag keeps the stored type visible while isolated (get_pfnblock_migratetype says Isolate)', () => {
    const m = machine('2025')
    setPageblockMigratetype(m, 0, MIGRATE_UNMOVABLE)
    placeFreeRange(m, 0, PB)
    setMigratetypeIsolate(m, 0, MIGRATE_MOVABLE, 0, 0, PB, v('flag'))
    expect(getPfnblockMigratetype(m, 0)).toBe(MIGRATE_ISOLATE)
    expect(getPageblockStoredMigratetype(m, 0)).toBe(MIGRATE_UNMOVABLE)
  })

  for (const era of ['6.1', '6.12'] as KernelEra[]) {
    it(`${era}: unset re-merges a free pageblock-order buddy whose buddy is free and not isolated`, () => {
      const m = machine(era)
      placeFreeRange(m, 0, PB)
      placeFreeRange(m, PB, 2 * PB) // two order-9 buddies, not merged by placement
      expect(setMigratetypeIsolate(m, PB, MIGRATE_MOVABLE, 0, PB, 2 * PB, v('migratetype'))).toBe(0)
      unsetMigratetypeIsolate(m, PB, MIGRATE_MOVABLE, v('migratetype'))
      expect(pageFlags(m, 0) & PAGE_TYPE_BUDDY).not.toBe(0)
      expect(pageOrder(m, 0)).toBe(10) // __isolate_free_page + __putback_isolated_page merged them
      expect(pageFlags(m, PB) & PAGE_TYPE_BUDDY).toBe(0)
      clean(m)
    })
  }
})

describe('has_unmovable_pages (mm/page_isolation.c)', () => {
  it('judges a compound page by its head: an unmovable compound MAX_ORDER page blocks its second pageblock', () => {
    const m = machine('6.1')
    placeFolio(m, 0, 10, 0, true) // kernel __GFP_COMP allocation, not LRU, not movable
    expect(hasUnmovablePages(m, PB, 2 * PB, MIGRATE_MOVABLE, 0)).toBe(PB)
    expect(hasUnmovablePages(m, 0, PB, MIGRATE_MOVABLE, 0)).toBe(0)
  })

  it('skips the tails of a movable compound page, also when the range starts in a tail', () => {
    const m = machine('6.1')
    placeFolio(m, 0, 10, PG_lru | PG_anon, true)
    expect(hasUnmovablePages(m, PB + 7, 2 * PB, MIGRATE_MOVABLE, 0)).toBe(-1)
    placeFreeRange(m, 2 * MAXO, 2 * MAXO + 5)
    placeFolio(m, 2 * MAXO + 5, 0, 0) // an unmovable order-0 page after free ones is found
    expect(hasUnmovablePages(m, 2 * MAXO, 2 * MAXO + PB, MIGRATE_MOVABLE, 0)).toBe(2 * MAXO + 5)
  })

  it('misses an unmovable non-compound MAX_ORDER allocation from its second pageblock (refcount-0 tails look free)', () => {
    const m = machine('6.1')
    placeFolio(m, 0, 10, 0, false)
    expect(hasUnmovablePages(m, 0, PB, MIGRATE_MOVABLE, 0)).toBe(0)
    expect(hasUnmovablePages(m, PB, 2 * PB, MIGRATE_MOVABLE, 0)).toBe(-1) // seed 003: not detected
  })

  it('reserved pages block even ZONE_MOVABLE; other unmovable pages there do not', () => {
    const m = machine('6.1', true)
    placeFolio(m, 3, 0, 0)
    expect(hasUnmovablePages(m, 0, PB, MIGRATE_MOVABLE, 0)).toBe(-1)
    setPageFlags(m, 9, pageFlags(m, 9) | PG_reserved)
    expect(hasUnmovablePages(m, 0, PB, MIGRATE_MOVABLE, 0)).toBe(9)
  })

  it('a CMA pageblock is movable only for a CMA request', () => {
    const m = machine('6.1')
    setPageblockMigratetype(m, 0, MIGRATE_CMA)
    placeFreeRange(m, 0, PB)
    expect(hasUnmovablePages(m, 0, PB, MIGRATE_CMA, 0)).toBe(-1)
    expect(hasUnmovablePages(m, 0, PB, MIGRATE_MOVABLE, 0)).toBe(0)
  })

  it('order-0 pages: LRU ok, buddies skipped, anything else blocks; MEMORY_OFFLINE tolerates PageOffline', () => {
    const m = machine('6.1')
    placeFreeRange(m, 0, 256)
    for (let p = 256; p < PB; p++) placeFolio(m, p, 0, PG_lru | PG_anon)
    expect(hasUnmovablePages(m, 0, PB, MIGRATE_MOVABLE, 0)).toBe(-1)
    setPageFlags(m, 300, pageFlags(m, 300) & ~PG_lru)
    expect(hasUnmovablePages(m, 0, PB, MIGRATE_MOVABLE, 0)).toBe(300)
    setPageFlags(m, 300, pageFlags(m, 300) | PAGE_TYPE_OFFLINE)
    expect(hasUnmovablePages(m, 0, PB, MIGRATE_MOVABLE, 0)).toBe(300)
    expect(hasUnmovablePages(m, 0, PB, MIGRATE_MOVABLE, MEMORY_OFFLINE)).toBe(-1)
  })
})

describe('start_isolate_page_range / isolate_single_pageblock (5.19+)', () => {
  for (const era of ['6.1', '6.12'] as KernelEra[]) {
    it(`${era}: splits a free MAX_ORDER page across the range start; both halves on their own lists`, () => {
      const m = machine(era)
      placeFreeRange(m, 0, MAXO)
      const ctx = newIsolateCtx(v('migratetype'))
      expect(startIsolatePageRange(m, PB, MAXO, MIGRATE_MOVABLE, true, ctx)).toBe(0)
      expect(pageOrder(m, 0)).toBe(9)
      expect(pageListMt(m, 0)).toBe(MIGRATE_MOVABLE)
      expect(pageOrder(m, PB)).toBe(9)
      expect(pageListMt(m, PB)).toBe(MIGRATE_ISOLATE)
      clean(m)
      undoIsolatePageRange(m, PB, MAXO, MIGRATE_MOVABLE, ctx.v)
      expect(pageOrder(m, 0)).toBe(10) // re-merged by unset_migratetype_isolate
      clean(m)
    })
  }

  it('6.1 with boundarySplit off (pre-v7): the checker names the half-isolated free page', () => {
    const m = machine('6.1')
    placeFreeRange(m, 0, MAXO)
    expect(
      startIsolatePageRange(
        m,
        PB,
        MAXO,
        MIGRATE_MOVABLE,
        true,
        newIsolateCtx(v('migratetype', false)),
      ),
    ).toBe(0)
    const bad = checkInvariants(m)
    expect(bad?.rule).toBe('free-block-spans-isolation')
    expect(bad?.pfn).toBe(0)
    broken(m)
  })

  it('6.12 with boundarySplit off: the free page stays on a non-isolated list inside an isolated block', () => {
    const m = machine('6.12')
    placeFreeRange(m, 0, MAXO)
    expect(
      startIsolatePageRange(
        m,
        PB,
        MAXO,
        MIGRATE_MOVABLE,
        true,
        newIsolateCtx(v('migratetype', false)),
      ),
    ).toBe(0)
    const bad = checkInvariants(m)
    // A half-isolated free block breaks freelist hygiene too; the checker names the specific fault.
    expect(bad?.rule).toBe('free-block-spans-isolation')
    expect(bad?.pfn).toBe(0)
    broken(m)
  })

  it('migrates an in-use LRU compound page straddling the boundary before isolating (6.1)', () => {
    const m = machine('6.1')
    placeFolio(m, 0, 10, PG_lru | PG_anon, true)
    const moved: number[] = []
    const migrate = (s: number, e: number): number => {
      moved.push(s, e)
      folioSetFlags(m, s, PG_lru, false)
      folioPut(m, s) // migrated away: the source is freed
      return 0
    }
    const ctx = newIsolateCtx(v('migratetype'), 0, migrate)
    expect(startIsolatePageRange(m, PB, MAXO, MIGRATE_MOVABLE, true, ctx)).toBe(0)
    expect(moved).toEqual([0, MAXO])
    expect(isPageblockIsolated(m, 0)).toBe(false)
    expect(pageListMt(m, 0)).toBe(MIGRATE_MOVABLE)
    expect(pageListMt(m, PB)).toBe(MIGRATE_ISOLATE)
    clean(m)
  })

  it('fails with -EBUSY on a straddling unmovable compound page and leaves nothing isolated', () => {
    const m = machine('6.1')
    placeFolio(m, 0, 10, 0, true)
    placeFreeRange(m, MAXO, 2 * MAXO)
    const ctx = newIsolateCtx(v('migratetype'))
    expect(startIsolatePageRange(m, PB, 2 * MAXO, MIGRATE_MOVABLE, true, ctx)).toBe(-EBUSY)
    expect(ctx.blockerPfn).toBe(PB)
    for (let pfn = 0; pfn < 2 * MAXO; pfn += PB) expect(isPageblockIsolated(m, pfn)).toBe(false)
    clean(m)
  })

  it('a blocker in the middle undoes the boundary blocks and the blocks before it', () => {
    const m = machine('6.6')
    placeFreeRange(m, 0, 8 * PB)
    const m2 = machine('6.6')
    placeFreeRange(m2, 0, 3 * PB)
    placeFolio(m2, 3 * PB, 0, 0)
    placeFreeRange(m2, 3 * PB + 1, 8 * PB)
    const ctx = newIsolateCtx(v('migratetype'))
    expect(startIsolatePageRange(m2, 0, 8 * PB, MIGRATE_MOVABLE, true, ctx)).toBe(-EBUSY)
    expect(ctx.blockerPfn).toBe(3 * PB)
    expect(m2.zones[0].nrIsolatePageblock).toBe(0)
    clean(m2)
    expect(
      startIsolatePageRange(m, 0, 8 * PB, MIGRATE_MOVABLE, true, newIsolateCtx(v('migratetype'))),
    ).toBe(0)
    expect(m.zones[0].nrIsolatePageblock).toBe(8)
    clean(m)
  })
})

describe('test_pages_isolated (mm/page_isolation.c)', () => {
  it('passes when every page is a free buddy in isolated blocks, fails at the first busy pfn; traces both', () => {
    const m = machine('6.1')
    placeFreeRange(m, 0, 2 * PB)
    const events: TestPagesIsolatedEvent[] = []
    traceSubscribe(m, 'test_pages_isolated', (e) => events.push(e))
    expect(testPagesIsolated(m, 0, 2 * PB, 0)).toBe(-EBUSY) // not isolated yet
    expect(events[0]).toMatchObject({ start_pfn: 0, end_pfn: 2 * PB, fin_pfn: 0, ret: 'fail' })
    const ctx = newIsolateCtx(v('migratetype'))
    startIsolatePageRange(m, 0, 2 * PB, MIGRATE_MOVABLE, true, ctx)
    expect(testPagesIsolated(m, 0, 2 * PB, 0)).toBe(0)
    expect(events[1]).toMatchObject({ fin_pfn: 2 * PB, ret: 'success' })
    undoIsolatePageRange(m, 0, 2 * PB, MIGRATE_MOVABLE, ctx.v)
    const m2 = machine('6.1')
    placeFreeRange(m2, 0, 100)
    placeFolio(m2, 100, 0, PG_lru | PG_anon)
    placeFreeRange(m2, 101, PB)
    startIsolatePageRange(m2, 0, PB, MIGRATE_MOVABLE, true, newIsolateCtx(v('migratetype')))
    const ev2: TestPagesIsolatedEvent[] = []
    traceSubscribe(m2, 'test_pages_isolated', (e) => ev2.push(e))
    expect(testPagesIsolated(m2, 0, PB, 0)).toBe(-EBUSY)
    expect(ev2[0].fin_pfn).toBe(100)
    clean(m2)
  })
})

describe('≤5.18 whole-range isolation (alignment max-order)', () => {
  it('isolates every block of a MAX_ORDER-aligned range and undo restores the caller type', () => {
    const m = machine('6.1')
    setPageblockMigratetype(m, PB, MIGRATE_UNMOVABLE)
    placeFreeRange(m, 0, MAXO)
    const ctx = newIsolateCtx(v('migratetype'))
    expect(startIsolatePageRange(m, 0, MAXO, MIGRATE_MOVABLE, false, ctx)).toBe(0)
    expect(pageListMt(m, 0)).toBe(MIGRATE_ISOLATE)
    undoIsolatePageRange(m, 0, MAXO, MIGRATE_MOVABLE, ctx.v)
    expect(getPfnblockMigratetype(m, PB)).toBe(MIGRATE_MOVABLE)
    clean(m)
  })
})
