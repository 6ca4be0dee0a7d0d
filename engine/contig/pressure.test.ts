/**
 * alloc_contig_range under memory pressure, as current kernels run it: the migration targets
 * come from mm/migrate.c:alloc_migration_target, i.e. `__alloc_pages` with the whole slow path
 * (mm/page_alloc.c:__alloc_contig_migrate_range, `mtc.gfp_mask = GFP_USER | __GFP_MOVABLE |
 * __GFP_RETRY_MAYFAIL` in 6.1; the same mask from `__alloc_contig_verify_gfp_mask(GFP_KERNEL)` in
 * the 6.12 tree). Below the watermarks a target allocation enters direct reclaim
 * (`__alloc_pages_direct_reclaim` → try_to_free_pages) and succeeds once reclaim freed page
 * cache; with nothing reclaimable it gives up after `should_reclaim_retry`'s 16 loops without
 * progress, never OOM-kills (`__GFP_RETRY_MAYFAIL`), migrate_pages returns -ENOMEM, and
 * alloc_contig_range and cma_alloc (mm/cma.c: stop on anything but -EBUSY) return it.
 * Zone: 64 MiB, MIN 800 / LOW 1000 pages; range [2048, 3072) with anon pages to migrate.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  __GFP_COMP,
  __GFP_DIRECT_RECLAIM,
  __GFP_HIGHMEM,
  __GFP_KSWAPD_RECLAIM,
  __GFP_MOVABLE,
  __GFP_RETRY_MAYFAIL,
  allocPages,
  checkInvariants,
  createMachine,
  GFP_HIGHUSER_MOVABLE,
  GFP_USER,
  getPfnblockMigratetype,
  MIGRATE_MOVABLE,
  NO_PAGE,
  type Machine,
} from '../mm'
import { VM_ALLOCSTALL, VM_PGSTEAL_DIRECT } from '../mm/vmstatItems'
import { ZONE_MOVABLE, ZONE_NORMAL } from '../mm/zoneType'
import { createSimClock, makeAnonLruFolio, makeFileLruFolio } from '../migrate'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { cmaAlloc, cmaReserve } from '../cma'
import { allocContigRange } from './allocContigRange'
import { CONTIG_MIGRATE_GFP, migrationTargetGfp } from './migrateRange'
import { MIGRATE_API } from './migrateApi'
import { placeFolio, placeFreeRange } from './placement'
import { ENOMEM, type ContigEnv } from './types'

const live = new Set<Machine>()
afterEach(() => {
  const ms = [...live]
  live.clear()
  for (const m of ms) expect(checkInvariants(m)).toBeNull()
})

const R0 = 2048
const R1 = 3072

/** `freeElsewhere` free pages at 8192, `anonInRange` anon LRU pages at R0, `cache` clean page-cache pages at 10240. */
function machine(freeElsewhere: number, anonInRange: number, cache: number): Machine {
  const m = createMachine({
    zones: [{ type: 'Normal', sizeMiB: 64 }],
    nrCpus: 2,
    kernelEra: '6.12',
    boot: 'allocated',
    debugVm: true,
  } as never)
  live.add(m)
  for (let p = R0; p < R0 + anonInRange; p++) {
    placeFolio(m, p, 0, 0)
    makeAnonLruFolio(m, p, 1)
  }
  placeFreeRange(m, R0 + anonInRange, R1)
  placeFreeRange(m, 8192, 8192 + freeElsewhere)
  for (let p = 10240; p < 10240 + cache; p++) {
    placeFolio(m, p, 0, 0)
    makeFileLruFolio(m, p, 0)
  }
  expect([m.zones[0].wmarkMin, m.zones[0].wmarkLow]).toEqual([800, 1000])
  return m
}

/** kswapd is woken but runs as its own thread later (`kswapdMode: 'wake-only'`); OOM kills are counted. */
function env(oomCalls: { n: number }): ContigEnv {
  return {
    clock: createSimClock(),
    cost: DEFAULT_COST_MODEL,
    migrate: MIGRATE_API,
    reclaim: {
      kswapdMode: 'wake-only',
      oomKill: () => {
        oomCalls.n++
        return null
      },
    },
  }
}

describe('alloc_migration_target gfp (mm/migrate.c, 6.1 and 6.12)', () => {
  it('base pages: GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL, __GFP_HIGHMEM for a ZONE_MOVABLE source', () => {
    expect(CONTIG_MIGRATE_GFP).toBe(GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL)
    expect(migrationTargetGfp(CONTIG_MIGRATE_GFP, 0, ZONE_NORMAL)).toBe(CONTIG_MIGRATE_GFP)
    expect(migrationTargetGfp(CONTIG_MIGRATE_GFP, 0, ZONE_MOVABLE)).toBe(
      CONTIG_MIGRATE_GFP | __GFP_HIGHMEM,
    )
  })

  it('large folios: __GFP_RECLAIM cleared, GFP_TRANSHUGE added (direct reclaim, no kswapd, compound)', () => {
    const g = migrationTargetGfp(CONTIG_MIGRATE_GFP, 9, ZONE_NORMAL)
    expect(g & __GFP_DIRECT_RECLAIM).not.toBe(0)
    expect(g & __GFP_KSWAPD_RECLAIM).toBe(0)
    expect(g & __GFP_COMP).not.toBe(0)
    expect(g & __GFP_RETRY_MAYFAIL).not.toBe(0)
  })
})

describe('alloc_contig_range under memory pressure (mm/page_alloc.c:__alloc_contig_migrate_range)', () => {
  it('free memory below MIN, clean page cache elsewhere: the targets reclaim directly and the range is allocated', () => {
    const m = machine(300, 512, 6000)
    const oom = { n: 0 }
    const rec = allocContigRange(m, R0, R1, MIGRATE_MOVABLE, env(oom))
    expect(rec.ret).toBe(0)
    expect(rec.nrMigrated).toBe(512)
    // 512 targets taken from a zone at 300 free pages, each allocation needing the MIN
    // watermark met: reclaim has to bring in at least 512 + (800 - 300) pages.
    expect(rec.nrReclaimed).toBeGreaterThanOrEqual(512 + 800 - 300 - 1)
    expect(rec.nrTargetAllocStalls).toBeGreaterThan(0)
    expect(m.vmEvents[VM_ALLOCSTALL + ZONE_NORMAL]).toBe(rec.nrTargetAllocStalls)
    expect(m.vmEvents[VM_PGSTEAL_DIRECT]).toBe(rec.nrReclaimed)
    expect(oom.n).toBe(0)
    for (let pb = R0 >> 9; pb < R1 >> 9; pb++)
      expect(getPfnblockMigratetype(m, pb << 9)).toBe(MIGRATE_MOVABLE)
  })

  it('nothing reclaimable (anonymous memory, no swap): -ENOMEM from migrate_pages, no OOM kill, range undone', () => {
    const m = machine(300, 512, 0)
    const oom = { n: 0 }
    const rec = allocContigRange(m, R0, R1, MIGRATE_MOVABLE, env(oom))
    expect(rec.ret).toBe(-ENOMEM)
    expect(rec.failedAt).toBe('migrate')
    expect(rec.nrReclaimed).toBe(0)
    // One direct reclaim without progress; should_reclaim_retry then finds that free plus
    // reclaimable pages cannot meet MIN in any zone and gives up; no compaction retry without
    // progress; __alloc_pages_may_oom does not kill for __GFP_RETRY_MAYFAIL.
    expect(rec.nrTargetAllocStalls).toBe(1)
    expect(rec.nrMigrated).toBe(0)
    expect(oom.n).toBe(0)
    for (let pb = R0 >> 9; pb < R1 >> 9; pb++)
      expect(getPfnblockMigratetype(m, pb << 9)).toBe(MIGRATE_MOVABLE)
  })

  it('cma_alloc: succeeds after reclaim under pressure; with nothing reclaimable stops at the first -ENOMEM', () => {
    for (const cache of [6000, 0]) {
      const m = machine(300, 0, cache)
      const [area] = cmaReserve(m, [{ name: 'cam', basePfn: 4096, nrPages: 2048 }])
      // Anonymous pages, mostly placed in the CMA area by __rmqueue's CMA balancing; the
      // whole area is then asked for, so they must be migrated out.
      for (let i = 0; i < 1200; i++) {
        const p = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
        expect(p).not.toBe(NO_PAGE)
        makeAnonLruFolio(m, p, 1)
      }
      const oom = { n: 0 }
      const r = cmaAlloc(m, area, 2048, 9, env(oom))
      expect(oom.n).toBe(0)
      expect(r.nrMigrated + r.nrReclaimed).toBeGreaterThan(0)
      if (cache > 0) {
        expect(r.outcome).toBe('success')
        expect(r.nrReclaimed).toBeGreaterThan(0)
      } else {
        expect(r.ret).toBe(-ENOMEM)
        expect(r.attempts).toBe(1)
        expect(r.busyRetries).toBe(0)
      }
    }
  })
})
