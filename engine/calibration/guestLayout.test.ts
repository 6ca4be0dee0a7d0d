import { describe, expect, it } from 'vitest'
import { checkImportPlan, planImport, planZoneInfo, QEMU_1GIB_X86_64_GEOMETRY } from '../proc'
import { fillLeadPages, moveReservedToTop } from './guestLayout'
import { W1_P8K1 } from './w1Kernel'

const plan = () =>
  planImport(W1_P8K1.startBuddyinfo, W1_P8K1.startPagetypeinfo, {
    geometry: QEMU_1GIB_X86_64_GEOMETRY,
  })

/** Pageblock index of the lowest free order-10 block of DMA32. */
function lowestOrder10(p: ReturnType<typeof plan>): number {
  const zp = p.zones[1]
  for (let k = 0; k < zp.freePfn.length; k++) if (zp.freeOrder[k] === 10) return zp.freePfn[k] >> 9
  return -1
}

describe('moveReservedToTop (memblock allocates top-down)', () => {
  it("puts the lowest order-10 block where the guest's fill began, counts unchanged", () => {
    const before = plan()
    // engine/proc's planner: big free blocks at the top, the lowest order-10 block at 60.
    expect(lowestOrder10(before)).toBe(60)
    const after = moveReservedToTop(before, 1, 8)
    // The guest's fill (pageblock_maps.filled) began at pageblock 52.
    expect(lowestOrder10(after)).toBe(52)
    expect(W1_P8K1.pageblockFilled.findIndex((n) => n === 512)).toBe(52)
    expect(checkImportPlan(after)).toEqual([])
    // buddyinfo/pagetypeinfo of the moved plan are the guest's, to the page.
    expect(planZoneInfo(after)).toEqual(planZoneInfo(before))
    // The top 8 pageblocks below the zone's last two (Reclaimable order 9, zone edge) are used.
    const zp = after.zones[1]
    const usedTop = new Set<number>()
    for (let k = 0; k < zp.usedPfn.length; k++)
      if (zp.usedNrPages[k] === 512) usedTop.add(zp.usedPfn[k] >> 9)
    for (let b = 502; b < 510; b++) expect(usedTop.has(b)).toBe(true)
  })

  it('refuses an odd count (order-10 blocks would lose their alignment)', () => {
    expect(() => moveReservedToTop(plan(), 1, 7)).toThrow(/even/)
  })
})

describe('fillLeadPages (where the mapping began, from the guest\'s fill map)', () => {
  it('a partial first pageblock followed by whole ones: the pages below the mapping there', () => {
    // W4's map: nothing below pageblock 49, 176 pages there, 512 from 50 on.
    expect(fillLeadPages([0, 0, 176, 512, 512, 336], 512)).toBe(336)
  })
  it('0 for a fill starting on a pageblock boundary or in scattered small blocks', () => {
    expect(fillLeadPages([0, 512, 512], 512)).toBe(0)
    // W1 6.12's map begins 255, 512, 18, 0, 507: not one run.
    expect(fillLeadPages([255, 512, 18, 0, 507, 512, 512], 512)).toBe(0)
    expect(fillLeadPages([0, 255, 18, 512, 512], 512)).toBe(0)
  })
})
