import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MIGRATE_CMA, MIGRATE_MOVABLE, MIGRATE_UNMOVABLE } from '../mm/migratetype'
import { formatBuddyinfo } from './buddyinfo'
import { checkImportPlan, planZoneInfo } from './importCheck'
import { buddyPfn, pageblocksNeeded, packSmallBlocks, RegionPool } from './importPack'
import { QEMU_1GIB_X86_64_GEOMETRY, defaultImportGeometry, planImport } from './importPlan'
import { formatPagetypeinfo, parsePagetypeinfo } from './pagetypeinfo'
import { zoneInfoFromProc } from './procZoneInfo'

const SAMPLES = new URL('../../resources/proc-samples/', import.meta.url)
const samplePaths = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((c) => readdirSync(new URL(`${c.name}/`, SAMPLES)).map((s) => `${c.name}/${s}`))
const read = (path: string): string => readFileSync(new URL(path, SAMPLES), 'utf8')

describe('import packing (no merges: mm/page_alloc.c:__free_one_page)', () => {
  it('fits 256 order-0 blocks in a pageblock, the most that cannot merge, and not 257', () => {
    expect(pageblocksNeeded([256], 9)).toBe(1)
    expect(pageblocksNeeded([257], 9)).toBe(2)
  })

  it('fits one block of every order 0..8 in one pageblock (511 free pages)', () => {
    expect(pageblocksNeeded([1, 1, 1, 1, 1, 1, 1, 1, 1], 9)).toBe(1)
  })

  it('needs two pageblocks for two order-8 blocks: in one they would be buddies', () => {
    expect(pageblocksNeeded([0, 0, 0, 0, 0, 0, 0, 0, 2], 9)).toBe(2)
  })

  it('places aligned, disjoint blocks whose buddies are not free blocks of their order', () => {
    const pool = new RegionPool(9)
    pool.addRange(1, 512) // a pageblock whose pfn 0 is outside the zone
    pool.addRange(512, 1024)
    const res = packSmallBlocks(pool, [100, 30, 20, 5, 3, 2, 1, 1, 1], 9)
    expect(res.overflow.every((n) => n === 0)).toBe(true)
    const at = new Set(res.placed.map(([p, o]) => `${p}:${o}`))
    const pages = new Uint8Array(1024)
    for (const [pfn, order] of res.placed) {
      expect(pfn % 2 ** order).toBe(0)
      expect(pfn).toBeGreaterThanOrEqual(1)
      expect(at.has(`${buddyPfn(pfn, order)}:${order}`)).toBe(false)
      for (let p = pfn; p < pfn + 2 ** order; p++) pages[p]++
    }
    expect(Math.max(...pages)).toBe(1)
  })
})

describe('planImport on the real samples (issue 3 item 8)', () => {
  it.each(samplePaths)('%s: consistent with every count, byte-exact buddyinfo', (path) => {
    const buddyinfo = read(`${path}/buddyinfo`)
    const pagetypeinfo = read(`${path}/pagetypeinfo`)
    const plan = planImport(buddyinfo, pagetypeinfo, { geometry: QEMU_1GIB_X86_64_GEOMETRY })
    expect(checkImportPlan(plan)).toEqual([])
    const zones = planZoneInfo(plan)
    expect(formatBuddyinfo(zones)).toBe(buddyinfo)
    // Free counts and block counts as the file prints them, '>100000' cells included.
    expect(formatPagetypeinfo(zones, { pageblockOrder: 9, cma: false })).toBe(pagetypeinfo)
  })

  it.each(samplePaths)('%s: also with the default geometry', (path) => {
    const plan = planImport(read(`${path}/buddyinfo`), read(`${path}/pagetypeinfo`))
    expect(checkImportPlan(plan)).toEqual([])
    expect(formatBuddyinfo(planZoneInfo(plan))).toBe(read(`${path}/buddyinfo`))
  })

  it('derives the default geometry: DMA from pfn 1 on x86, zones back to back', () => {
    const pti = parsePagetypeinfo(read('w1_p8k1/start/pagetypeinfo'))
    expect(defaultImportGeometry(pti.zones, 9)).toEqual([
      { nid: 0, name: 'DMA', startPfn: 1, spannedPages: 4095 },
      { nid: 0, name: 'DMA32', startPfn: 4096, spannedPages: 504 * 512 },
    ])
  })

  it('places the DMA zone the only way the real one can be', () => {
    // DMA pfn 1..4095: three order-10 blocks fill pfn 1024..4095, so the Movable order-9 block
    // is pfn 512 and the Unmovable orders 5, 6, 7 sit in pageblock 0 next to reserved pfn 0.
    const plan = planImport(read('w1_p8k1/start/buddyinfo'), read('w1_p8k1/start/pagetypeinfo'), {
      geometry: QEMU_1GIB_X86_64_GEOMETRY,
    })
    const dma = plan.zones[0]
    expect([...dma.pageblockMigratetype]).toEqual([0, 1, 1, 1, 1, 1, 1, 1])
    const blocks = [...dma.freePfn].map((pfn, i) => [pfn, dma.freeOrder[i], dma.freeMigratetype[i]])
    expect(blocks.filter(([, o]) => o >= 9)).toEqual([
      [512, 9, MIGRATE_MOVABLE],
      [1024, 10, MIGRATE_MOVABLE],
      [2048, 10, MIGRATE_MOVABLE],
      [3072, 10, MIGRATE_MOVABLE],
    ])
    expect(
      blocks.filter(([, o]) => o < 9).every(([pfn, , mt]) => pfn < 512 && mt === MIGRATE_UNMOVABLE),
    ).toBe(true)
    expect(dma.usedPfn[0]).toBe(1)
  })

  it('derives the exact order-0 count behind ">100000" from buddyinfo', () => {
    const plan = planImport(
      read('w1_p2k1/fragmented/buddyinfo'),
      read('w1_p2k1/fragmented/pagetypeinfo'),
      {
        geometry: QEMU_1GIB_X86_64_GEOMETRY,
      },
    )
    const dma32 = plan.zones[1]
    expect(dma32.capped[MIGRATE_MOVABLE][0]).toBe(true)
    expect(dma32.nrFreeByType[MIGRATE_MOVABLE][0]).toBe(110590)
    expect(dma32.freeOrder.filter((o) => o === 0).length).toBe(110590)
  })

  it('detects merges, misplaced lists and wrong counts', () => {
    const plan = planImport(read('w1_p8k1/start/buddyinfo'), read('w1_p8k1/start/pagetypeinfo'), {
      geometry: QEMU_1GIB_X86_64_GEOMETRY,
    })
    const dma = plan.zones[0]
    const i = dma.freeOrder.indexOf(9)
    dma.freePfn[i] = 0 // the order-9 block moved to pageblock 0: Unmovable, and pfn 0 is outside
    const errors = checkImportPlan(plan).join('\n')
    expect(errors).toMatch(/free block pfn 0 order 9 leaves the zone/)
    expect(errors).toMatch(/free block pfn 0 order 9 is on list 1 in a pageblock of type 0/)
    expect(errors).toMatch(/overlaps/)
    const plan2 = planImport(read('w1_p8k1/start/buddyinfo'), read('w1_p8k1/start/pagetypeinfo'), {
      geometry: QEMU_1GIB_X86_64_GEOMETRY,
    })
    // Move an order-0 block next to another order-0 block's... buddy position: they would merge.
    const dma32 = plan2.zones[1]
    const a = dma32.freeOrder.indexOf(0)
    const b = dma32.freeOrder.indexOf(0, a + 1)
    dma32.freePfn[b] = buddyPfn(dma32.freePfn[a], 0)
    const merged = checkImportPlan(plan2).join('\n')
    expect(merged).toMatch(
      new RegExp(`free blocks at pfn ${dma32.freePfn[a]} and its buddy \\(order 0\\) would merge`),
    )
    expect(merged).toMatch(/both free and allocated|neither free nor allocated/)
    dma32.freePfn[b] = buddyPfn(dma32.freePfn[b], 0)
    plan2.zones[1].nrFreeByType[MIGRATE_MOVABLE][10] = 224
    expect(checkImportPlan(plan2).join('\n')).toMatch(
      /DMA32: 225 free blocks of type 1 order 10, file says 224/,
    )
  })

  it('refuses files that contradict each other or the geometry, saying why', () => {
    const buddy = read('w1_p8k1/start/buddyinfo')
    const pti = read('w1_p8k1/start/pagetypeinfo')
    expect(() => planImport(buddy.replace('225', '224'), pti)).toThrow(/disagree at order 10/)
    expect(() => planImport(read('w1_p8k1/boot/buddyinfo').split('\n')[0] + '\n', pti)).toThrow(
      /zones .* differ/,
    )
    expect(() =>
      planImport(buddy, pti, {
        geometry: [
          QEMU_1GIB_X86_64_GEOMETRY[0],
          { ...QEMU_1GIB_X86_64_GEOMETRY[1], spannedPages: 1000 },
        ],
      }),
    ).toThrow(/DMA32: pfn 4096\.\.5096 holds 2 pageblocks but the file counts 504/)
    // DMA's 7 Movable pageblocks all go to its free order-9 and order-10 blocks: 5 more free
    // Movable order-8 blocks have nowhere to go.
    const tight = pti.replace(/(DMA, type {6}Movable(?: +\d+){8}) +0/, '$1      5')
    const tightBuddy = buddy.replace(/^(Node 0, zone {6}DMA(?: +\d+){8}) +0/, '$1      5')
    expect(() => planImport(tightBuddy, tight)).toThrow(/Movable pageblocks cannot hold/)
  })

  it('mixedLists: free blocks beyond their own pageblocks, as kernels before 6.10 leave them', () => {
    const buddy = read('w1_p8k1/start/buddyinfo')
    // DMA32 without Reclaimable pageblocks, though its Reclaimable free lists are not empty.
    const pti = read('w1_p8k1/start/pagetypeinfo').replace(
      '19          479            6',
      '25          479            0',
    )
    expect(parsePagetypeinfo(pti).zones[1].nrPageblocksByType).toEqual([25, 479, 0, 0, 0, 0])
    expect(() => planImport(buddy, pti)).toThrow(/Reclaimable .* may need mixedLists/)
    const plan = planImport(buddy, pti, { mixedLists: true })
    expect(checkImportPlan(plan)).toEqual([])
    expect(formatBuddyinfo(planZoneInfo(plan))).toBe(buddy)
    expect(formatPagetypeinfo(planZoneInfo(plan), { pageblockOrder: 9, cma: false })).toBe(pti)
    // The checker only accepts the misplaced blocks because the plan says mixedLists.
    expect(checkImportPlan({ ...plan, mixedLists: false }).join('\n')).toMatch(
      /is on list 2 in a pageblock of type [01]/,
    )
  })

  it('mixedLists never puts other blocks in CMA pageblocks, nor CMA blocks elsewhere', () => {
    const [z] = zoneInfoFromProc([
      { nid: 0, zone: 'Normal', nrFree: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0] },
    ])
    z.nrFreeByType[MIGRATE_CMA][3] = 1
    z.nrPageblocksByType[MIGRATE_MOVABLE] = 4
    const pti = formatPagetypeinfo([z], { pageblockOrder: 9 })
    const buddy = formatBuddyinfo([z])
    expect(() => planImport(buddy, pti, { mixedLists: true })).toThrow(
      /Normal: the 0 CMA pageblocks cannot hold its free blocks/,
    )
    z.nrPageblocksByType[MIGRATE_CMA] = 1
    z.nrPageblocksByType[MIGRATE_MOVABLE] = 3
    const plan = planImport(buddy, formatPagetypeinfo([z], { pageblockOrder: 9 }))
    expect(checkImportPlan(plan)).toEqual([])
    const cmaPb = plan.zones[0].pageblockMigratetype.indexOf(MIGRATE_CMA)
    expect(Math.floor(plan.zones[0].freePfn[0] / 512)).toBe(cmaPb)
  })

  it('pinned: a CMA area gets exactly its pageblocks, its big free blocks aligned inside it', () => {
    // cma_activate_area types exactly the area's pageblocks MIGRATE_CMA (mm/cma.c, 6.12); an
    // area at an odd pageblock holds order-10 blocks only from its first even pageblock on.
    const [z] = zoneInfoFromProc([
      { nid: 0, zone: 'Normal', nrFree: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2] },
    ])
    z.nrFreeByType[MIGRATE_CMA][3] = 1
    z.nrFreeByType[MIGRATE_CMA][10] = 1
    z.nrFreeByType[MIGRATE_MOVABLE][10] = 1
    z.nrPageblocksByType[MIGRATE_CMA] = 3
    z.nrPageblocksByType[MIGRATE_MOVABLE] = 5
    const pti = formatPagetypeinfo([z], { pageblockOrder: 9 })
    const buddy = formatBuddyinfo([z])
    const plan = planImport(buddy, pti, {
      pinned: [{ migratetype: MIGRATE_CMA, startPfn: 512, nrPages: 1536 }],
    })
    expect(checkImportPlan(plan)).toEqual([])
    const zp = plan.zones[0]
    expect(Array.from(zp.pageblockMigratetype)).toEqual([1, 4, 4, 4, 1, 1, 1, 1])
    const cma = [...zp.freePfn.keys()].filter((k) => zp.freeMigratetype[k] === MIGRATE_CMA)
    expect(cma.map((k) => [zp.freePfn[k], zp.freeOrder[k]])).toEqual([
      [512, 3],
      [1024, 10],
    ])
    expect(formatBuddyinfo(planZoneInfo(plan))).toBe(buddy)
    // The file's CMA pageblocks must all lie in the pinned ranges.
    expect(() =>
      planImport(buddy, pti, { pinned: [{ migratetype: MIGRATE_CMA, startPfn: 1024, nrPages: 1024 }] }),
    ).toThrow(/1 CMA pageblocks of the file lie outside the pinned ranges/)
  })
})
