import { describe, expect, it } from 'vitest'
import { allocPages } from './alloc'
import {
  ALLOC_CMA,
  ALLOC_HIGHATOMIC,
  ALLOC_MIN_RESERVE,
  ALLOC_NON_BLOCK,
  ALLOC_OOM,
  ALLOC_WMARK_MIN,
} from './allocFlags'
import { createMachine, initFreeBlock } from './boot'
import { parseMachineConfig } from './config'
import { GFP_ATOMIC, GFP_HIGHUSER_MOVABLE, GFP_KERNEL } from './gfp'
import { NO_PAGE } from './memmap'
import { MIGRATE_CMA, MIGRATE_HIGHATOMIC } from './migratetype'
import { setPageblockMigratetype } from './pageblock'
import { testMachine } from './testing'
import { zoneWatermarkOk } from './watermark'
import { ZONE_MOVABLE, ZONE_NORMAL } from './zoneType'

describe('mm/page_alloc.c:__setup_per_zone_wmarks and setup_per_zone_lowmem_reserve', () => {
  it('splits min_free_kbytes over lowmem zones by managed pages; gaps are max(MIN/4, 0.1% of the zone)', () => {
    const m = createMachine(parseMachineConfig({ memoryMiB: 4096 }))
    const [dma, dma32] = m.zones
    // Managed, not spanned: DMA loses the first MiB, DMA32 the kernel image and the memmap.
    expect(dma.managedPages).toBe(4096 - 256)
    expect(dma32.managedPages).toBe(1044480 - 9602 - 16384)
    const lowmem = dma.managedPages + dma32.managedPages
    const pagesMin = 45056 / 4
    expect(dma.wmarkMin).toBe(Math.floor((pagesMin * dma.managedPages) / lowmem))
    expect(dma32.wmarkMin).toBe(Math.floor((pagesMin * dma32.managedPages) / lowmem))
    const d = Math.max(dma32.wmarkMin >> 2, Math.floor((dma32.managedPages * 10) / 10000))
    expect(dma32.wmarkLow).toBe(dma32.wmarkMin + d)
    expect(dma32.wmarkHigh).toBe(dma32.wmarkMin + 2 * d)
    expect(dma32.wmarkPromo).toBe(dma32.wmarkMin + 3 * d)
    // lowmem_reserve[j] of DMA = managed pages of the zones above it up to j, / 256.
    const r = Math.floor(dma32.managedPages / 256)
    expect(dma.lowmemReserve).toEqual([0, r, r, r])
    expect(dma32.lowmemReserve).toEqual([0, 0, 0, 0])
  })

  it('gives ZONE_MOVABLE a MIN of clamp(managed/1024, 32, 128) outside the lowmem split', () => {
    const m = createMachine(parseMachineConfig({ memoryMiB: 8192, movableMiB: 1024 }))
    const movable = m.zones.find((z) => z.type === ZONE_MOVABLE)
    expect(movable?.wmarkMin).toBe(128)
    // The node's memmap (64 sections x 2 MiB) is memblock's top-down allocation: in Movable.
    expect(movable?.managedPages).toBe(262144 - 32768)
    const normal = m.zones.find((z) => z.type === ZONE_NORMAL)
    expect(normal?.lowmemReserve[ZONE_MOVABLE]).toBe(Math.floor((262144 - 32768) / 32))
  })
})

describe('mm/page_alloc.c:__zone_watermark_ok', () => {
  it('refuses when free pages do not exceed the mark plus lowmem_reserve; __GFP_HIGH and atomic callers dig deeper', () => {
    const m = testMachine()
    const z = m.zones[0]
    const mark = 1000
    expect(zoneWatermarkOk(m, z, 0, mark, ZONE_NORMAL, ALLOC_WMARK_MIN, 1001)).toBe(true)
    expect(zoneWatermarkOk(m, z, 0, mark, ZONE_NORMAL, ALLOC_WMARK_MIN, 1000)).toBe(false)
    // ALLOC_MIN_RESERVE: min - min/2 = 500; with ALLOC_NON_BLOCK: 500 - 125 = 375.
    expect(zoneWatermarkOk(m, z, 0, mark, ZONE_NORMAL, ALLOC_MIN_RESERVE, 501)).toBe(true)
    expect(zoneWatermarkOk(m, z, 0, mark, ZONE_NORMAL, ALLOC_MIN_RESERVE, 500)).toBe(false)
    expect(
      zoneWatermarkOk(m, z, 0, mark, ZONE_NORMAL, ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK, 376),
    ).toBe(true)
    expect(
      zoneWatermarkOk(m, z, 0, mark, ZONE_NORMAL, ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK, 375),
    ).toBe(false)
    // ALLOC_OOM: half again.
    expect(zoneWatermarkOk(m, z, 0, mark, ZONE_NORMAL, ALLOC_OOM, 501)).toBe(true)
    // An order-n request first discounts the 2^n - 1 pages it cannot use.
    expect(zoneWatermarkOk(m, z, 3, mark, ZONE_NORMAL, ALLOC_WMARK_MIN, 1008)).toBe(true)
    expect(zoneWatermarkOk(m, z, 3, mark, ZONE_NORMAL, ALLOC_WMARK_MIN, 1007)).toBe(false)
  })

  it('high-order check: passes only if some order >= n has a block on a list the caller may use', () => {
    const m = testMachine({ boot: 'allocated' })
    const z = m.zones[0]
    for (let p = 0; p < 2048; p += 2) initFreeBlock(m, p, 0) // 1024 free pages, all order 0
    expect(zoneWatermarkOk(m, z, 0, 10, ZONE_NORMAL, ALLOC_WMARK_MIN, z.nrFreePages)).toBe(true)
    expect(zoneWatermarkOk(m, z, 3, 10, ZONE_NORMAL, ALLOC_WMARK_MIN, z.nrFreePages)).toBe(false)
    // A HIGHATOMIC order-3 block counts only for ALLOC_HIGHATOMIC / ALLOC_OOM.
    setPageblockMigratetype(m, 4096, MIGRATE_HIGHATOMIC)
    initFreeBlock(m, 4096, 3)
    z.nrReservedHighatomic = 512
    expect(
      zoneWatermarkOk(m, z, 3, 10, ZONE_NORMAL, ALLOC_WMARK_MIN | ALLOC_HIGHATOMIC, z.nrFreePages),
    ).toBe(true)
    expect(zoneWatermarkOk(m, z, 3, 10, ZONE_NORMAL, ALLOC_WMARK_MIN, z.nrFreePages)).toBe(false)
    // A CMA order-3 block counts only for ALLOC_CMA (and its pages only then count as free).
    setPageblockMigratetype(m, 8192, MIGRATE_CMA)
    initFreeBlock(m, 8192, 3)
    expect(
      zoneWatermarkOk(m, z, 3, 10, ZONE_NORMAL, ALLOC_WMARK_MIN | ALLOC_CMA, z.nrFreePages),
    ).toBe(true)
    expect(zoneWatermarkOk(m, z, 3, 10, ZONE_NORMAL, ALLOC_WMARK_MIN, z.nrFreePages)).toBe(false)
    // Any of the three mergeable types passes.
    initFreeBlock(m, 2048, 3)
    expect(zoneWatermarkOk(m, z, 3, 10, ZONE_NORMAL, ALLOC_WMARK_MIN, z.nrFreePages)).toBe(true)
  })

  it('[6.12] subtracts nr_free_highatomic, [≤6.11] nr_reserved_highatomic, from callers without reserves', () => {
    for (const [era, expectOk] of [
      ['6.10', false],
      ['6.12', true],
    ] as const) {
      const m = testMachine({ boot: 'allocated', kernelEra: era })
      const z = m.zones[0]
      for (let p = 0; p < 2048; p += 2) initFreeBlock(m, p, 0)
      setPageblockMigratetype(m, 4096, MIGRATE_HIGHATOMIC)
      initFreeBlock(m, 4096, 0) // one free highatomic page in a 512-page reserve
      z.nrReservedHighatomic = 512
      // free = 1025; 6.10: 1025 - 512 = 513; 6.12: 1025 - 1 = 1024.
      expect(zoneWatermarkOk(m, z, 0, 600, ZONE_NORMAL, ALLOC_WMARK_MIN, z.nrFreePages)).toBe(
        expectOk,
      )
    }
  })
})

describe('mm/page_alloc.c:get_page_from_freelist watermark refusal', () => {
  it('stops GFP_KERNEL at the MIN watermark; GFP_ATOMIC may go below it', () => {
    const m = testMachine()
    const z = m.zones[0]
    let n = 0
    while (allocPages(m, GFP_HIGHUSER_MOVABLE, 0) !== NO_PAGE) n++
    // The last success left free == MIN + 1 - 1: order-0 passes while free > MIN.
    expect(z.nrFreePages).toBe(z.wmarkMin + z.watermarkBoost)
    expect(allocPages(m, GFP_KERNEL, 0)).toBe(NO_PAGE)
    expect(allocPages(m, GFP_ATOMIC, 0)).not.toBe(NO_PAGE)
    while (allocPages(m, GFP_ATOMIC, 0) !== NO_PAGE) n++
    const min = z.wmarkMin + z.watermarkBoost
    const atomicMin = min - Math.floor(min / 2) - Math.floor((min - Math.floor(min / 2)) / 4)
    expect(z.nrFreePages).toBe(atomicMin)
    expect(n).toBeGreaterThan(16000)
  })
})
