/**
 * `adoptImportedCmaArea` (w3Cma.ts): a CMA area registered over pageblocks an import already
 * typed MIGRATE_CMA, with the pages cma_alloc took at boot marked in its bitmap, so that
 * cma_alloc (mm/cma.c:cma_alloc, 6.12: bitmap_find_next_zero_area_off from bit 0) starts after
 * them, as the guest's first allocation did (pfn 0x37e40 = base + 64).
 */
import { describe, expect, it } from 'vitest'
import { cmaAlloc, cmaAreaByName } from '../cma'
import { MIGRATE_API, type ContigEnv } from '../contig'
import { checkInvariants } from '../mm/invariants'
import { MIGRATE_CMA, MIGRATE_MOVABLE } from '../mm/migratetype'
import { createSimClock } from '../migrate/simClock'
import { applyImportPlan, formatBuddyinfo, formatPagetypeinfo, planImport, zoneInfoFromProc } from '../proc'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { adoptImportedCmaArea } from './w3Cma'

/** A 64 MiB Normal zone (32 pageblocks); pageblocks 2–3 are a CMA area with 128 pages in use. */
function importedMachine() {
  const [z] = zoneInfoFromProc([{ nid: 0, zone: 'Normal', nrFree: [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 15] }])
  z.nrFreeByType[MIGRATE_CMA][7] = 1
  z.nrFreeByType[MIGRATE_CMA][8] = 1
  z.nrFreeByType[MIGRATE_CMA][9] = 1
  z.nrFreeByType[MIGRATE_MOVABLE][10] = 15
  z.nrPageblocksByType[MIGRATE_CMA] = 2
  z.nrPageblocksByType[MIGRATE_MOVABLE] = 30
  const plan = planImport(formatBuddyinfo([z]), formatPagetypeinfo([z], { pageblockOrder: 9 }), {
    pinned: [{ migratetype: MIGRATE_CMA, startPfn: 1024, nrPages: 1024 }],
  })
  return applyImportPlan(plan, { config: { kernelEra: '6.12', nrCpus: 1 } })
}

const env = (): ContigEnv => ({
  clock: createSimClock(),
  cost: DEFAULT_COST_MODEL,
  migrate: MIGRATE_API,
})

describe('adoptImportedCmaArea', () => {
  it("keeps the import's pages and counts the area in totalcma_pages and zone->cma_pages", () => {
    const m = importedMachine()
    const free = m.zones[0].nrFreePages
    const area = adoptImportedCmaArea(m, 'reserved', 1024, 1024, 64)
    expect(cmaAreaByName(m, 'reserved')).toBe(area)
    expect(m.zones[0].nrFreePages).toBe(free)
    expect(m.totalcmaPages).toBe(1024)
    expect(m.zones[0].cmaPages).toBe(1024)
    expect(area.nrPagesSucceeded).toBe(64)
    expect(checkInvariants(m)).toBeNull()
  })

  it('cma_alloc starts after the boot allocation and finds no second 512-page run', () => {
    const m = importedMachine()
    const area = adoptImportedCmaArea(m, 'reserved', 1024, 1024, 64)
    const e = env()
    const first = cmaAlloc(m, area, 512, 0, e)
    expect(first.pfn).toBe(1024 + 64)
    // 1024 − 64 − 512 = 448 bits left: no room, -ENOMEM without trying alloc_contig_range.
    const second = cmaAlloc(m, area, 512, 0, e)
    expect(second.pfn).toBe(-1)
    expect(second.attempts).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })

  it('refuses pageblocks the import did not type CMA', () => {
    const m = importedMachine()
    expect(() => adoptImportedCmaArea(m, 'x', 0, 1024, 0)).toThrow(
      /pageblock at pfn 0 is not MIGRATE_CMA/,
    )
  })
})
