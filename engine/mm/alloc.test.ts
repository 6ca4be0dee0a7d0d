import { describe, expect, it } from 'vitest'
import { allocFlagsNofragment, allocPages } from './alloc'
import { ALLOC_NOFRAGMENT } from './allocFlags'
import { createMachine, initFreeBlock } from './boot'
import { parseMachineConfig } from './config'
import { GFP_DMA32, GFP_HIGHUSER_MOVABLE, GFP_KERNEL } from './gfp'
import { checkInvariants } from './invariants'
import { MIGRATE_UNMOVABLE } from './migratetype'
import { getPfnblockMigratetype, setPageblockMigratetype } from './pageblock'
import { pfnZone } from './machine'
import { ZONE_DMA32, ZONE_NORMAL } from './zoneType'

const twoZones = {
  zones: [
    { type: 'DMA32', sizeMiB: 64 },
    { type: 'Normal', sizeMiB: 64 },
  ],
  nrCpus: 1,
  pcp: false,
  debugVm: true,
}

describe('mm/page_alloc.c:get_page_from_freelist', () => {
  it('walks the zonelist from the highest allowed zone down', () => {
    const m = createMachine(parseMachineConfig(twoZones))
    expect(pfnZone(m, allocPages(m, GFP_HIGHUSER_MOVABLE, 0))?.type).toBe(ZONE_NORMAL)
    expect(pfnZone(m, allocPages(m, GFP_KERNEL | GFP_DMA32, 0))?.type).toBe(ZONE_DMA32)
  })

  it('alloc_flags_nofragment: ALLOC_NOFRAGMENT when the preferred zone is NORMAL and DMA32 is populated', () => {
    const m = createMachine(parseMachineConfig(twoZones))
    expect(allocFlagsNofragment(m, m.zones[1], GFP_KERNEL) & ALLOC_NOFRAGMENT).not.toBe(0)
    expect(allocFlagsNofragment(m, m.zones[0], GFP_KERNEL) & ALLOC_NOFRAGMENT).toBe(0)
    const single = createMachine(parseMachineConfig({ zones: [{ type: 'Normal', sizeMiB: 64 }] }))
    expect(allocFlagsNofragment(single, single.zones[0], GFP_KERNEL) & ALLOC_NOFRAGMENT).toBe(0)
  })

  it('ALLOC_NOFRAGMENT: rather than fragment a NORMAL pageblock, take DMA32; fragment only when all zones fail', () => {
    const m = createMachine(parseMachineConfig({ ...twoZones, boot: 'allocated' }))
    const normal = m.zones[1]
    const dma32 = m.zones[0]
    // NORMAL: only small MOVABLE free blocks in a MOVABLE pageblock; DMA32: a free UNMOVABLE pageblock.
    for (let p = normal.startPfn; p < normal.startPfn + 512; p += 8) initFreeBlock(m, p, 2)
    setPageblockMigratetype(m, dma32.startPfn, MIGRATE_UNMOVABLE)
    initFreeBlock(m, dma32.startPfn, 9)
    // Watermarks and lowmem reserves (computed for the allocated boot state) out of the way.
    for (const z of m.zones) {
      z.wmarkMin = z.wmarkLow = z.wmarkHigh = 0
      z.lowmemReserve = [0, 0, 0, 0]
    }
    const pfn = allocPages(m, GFP_KERNEL, 0)
    expect(pfnZone(m, pfn)).toBe(dma32)
    expect(getPfnblockMigratetype(m, normal.startPfn)).not.toBe(MIGRATE_UNMOVABLE)
    // Exhaust DMA32's UNMOVABLE block: then the second pass (no NOFRAGMENT) steals in NORMAL.
    for (let i = 1; i < 512; i++) expect(pfnZone(m, allocPages(m, GFP_KERNEL, 0))).toBe(dma32)
    expect(pfnZone(m, allocPages(m, GFP_KERNEL, 0))).toBe(normal)
    expect(checkInvariants(m)).toBeNull()
  })

  it('lowmem_reserve: a NORMAL-capable request leaves DMA32 its reserve; a DMA32 request may use it', () => {
    const m = createMachine(parseMachineConfig(twoZones))
    const [dma32, normal] = m.zones
    expect(dma32.lowmemReserve[ZONE_NORMAL]).toBe(Math.floor(16384 / 256))
    // Fill NORMAL, then DMA32 from GFP_KERNEL until it refuses.
    while (allocPages(m, GFP_KERNEL, 0) >= 0) {
      /* fill */
    }
    expect(normal.nrFreePages).toBeLessThanOrEqual(normal.wmarkMin + normal.watermarkBoost)
    expect(dma32.nrFreePages).toBe(
      dma32.wmarkMin + dma32.watermarkBoost + dma32.lowmemReserve[ZONE_NORMAL],
    )
    expect(pfnZone(m, allocPages(m, GFP_KERNEL | GFP_DMA32, 0))).toBe(dma32)
  })
})
