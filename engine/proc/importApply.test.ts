import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  GFP_HIGHUSER_MOVABLE,
  MIGRATE_MOVABLE,
  PG_anon,
  PG_reserved,
  allocPages,
  checkInvariants,
  drainAllPages,
  folioTestFlag,
  freePages,
  getPfnblockMigratetype,
  zoneInfo,
} from '../mm'
import { formatBuddyinfo } from './buddyinfo'
import { applyImportPlan, importMachine } from './importApply'
import { QEMU_1GIB_X86_64_GEOMETRY, planImport } from './importPlan'
import { formatPagetypeinfo } from './pagetypeinfo'
import { zoneInfoFromProc } from './procZoneInfo'

const SAMPLES = new URL('../../resources/proc-samples/', import.meta.url)
const samplePaths = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((c) => readdirSync(new URL(`${c.name}/`, SAMPLES)).map((s) => `${c.name}/${s}`))
const read = (path: string): string => readFileSync(new URL(path, SAMPLES), 'utf8')
const pair = (path: string): [string, string] => [
  read(`${path}/buddyinfo`),
  read(`${path}/pagetypeinfo`),
]
const print = (m: ReturnType<typeof importMachine>) => {
  const zones = zoneInfo(m)
  return [formatBuddyinfo(zones), formatPagetypeinfo(zones, { pageblockOrder: 9, cma: false })]
}

describe('importing real /proc state into a machine (issue 3 item 8)', () => {
  it.each(samplePaths)('%s: the machine prints the real buddyinfo and pagetypeinfo', (path) => {
    const [buddyinfo, pagetypeinfo] = pair(path)
    for (const kernelEra of ['6.1', '6.12']) {
      const m = importMachine(buddyinfo, pagetypeinfo, {
        geometry: QEMU_1GIB_X86_64_GEOMETRY,
        config: { kernelEra },
      })
      expect(checkInvariants(m)).toBeNull()
      // Byte for byte, '>100000' cells included: the machine's list really holds ≥ 100000.
      expect(print(m)).toEqual([buddyinfo, pagetypeinfo])
      const free = buddyinfo
        .trim()
        .split('\n')
        .map((l) =>
          l
            .trim()
            .split(/ +/)
            .slice(4)
            .reduce((s, n, o) => s + Number(n) * 2 ** o, 0),
        )
      expect(zoneInfo(m).map((z) => z.freePages)).toEqual(free)
    }
  })

  it('reserves x86 pfn 0 and the pfns past the end of DMA32 (the engine zones are pageblock aligned)', () => {
    const m = importMachine(...pair('w1_p8k1/start'), { geometry: QEMU_1GIB_X86_64_GEOMETRY })
    expect(folioTestFlag(m, 0, PG_reserved)).toBe(true)
    expect(folioTestFlag(m, 1, PG_reserved)).toBe(false)
    expect(folioTestFlag(m, 0x3ffe0, PG_reserved)).toBe(true)
    expect(folioTestFlag(m, 0x3ffdf, PG_reserved)).toBe(false)
    const [dma, dma32] = zoneInfo(m)
    expect(dma.managedPages).toBe(4095)
    expect(dma32.managedPages).toBe(0x3ffe0 - 0x1000)
  })

  it('maps the allocated pages of Movable pageblocks as anon, and reserves pages on request', () => {
    const plan = planImport(...pair('w1_p8k1/start'), { geometry: QEMU_1GIB_X86_64_GEOMETRY })
    const usedInMovable = () => {
      let n = 0
      const z = plan.zones[1]
      for (let k = 0; k < z.usedPfn.length; k++) {
        const b = Math.floor((z.usedPfn[k] - z.firstPageblockPfn) / 512)
        if (z.pageblockMigratetype[b] === MIGRATE_MOVABLE) n += z.usedNrPages[k]
      }
      return n
    }
    const countFlag = (m: ReturnType<typeof importMachine>, flag: number) => {
      let n = 0
      for (let pfn = 0x1000; pfn < 0x3ffe0; pfn++) if (folioTestFlag(m, pfn, flag)) n++
      return n
    }
    const m = applyImportPlan(plan)
    expect(countFlag(m, PG_anon)).toBe(usedInMovable())
    expect(usedInMovable()).toBeGreaterThan(8000)
    const m2 = applyImportPlan(plan, { reservedPages: [0, 8000] })
    expect(zoneInfo(m2)[1].managedPages).toBe(0x3ffe0 - 0x1000 - 8000)
    expect(countFlag(m2, PG_reserved)).toBe(8000)
    expect(countFlag(m2, PG_anon)).toBe(usedInMovable() - 8000)
    expect(checkInvariants(m2)).toBeNull()
    expect(print(m2)[0]).toBe(read('w1_p8k1/start/buddyinfo'))
    expect(() => applyImportPlan(plan, { reservedPages: [0, 30000] })).toThrow(
      /fewer than the 30000/,
    )
    const m3 = applyImportPlan(plan, { movableUse: 'kernel' })
    expect(countFlag(m3, PG_anon)).toBe(0)
  })

  it('allocating and freeing it all again restores the real file (buddy merging is canonical)', () => {
    // mm/page_alloc.c: the free pages determine the free blocks once every possible merge is
    // done, so taking pages and giving them back, then draining the per-cpu lists, must print
    // the imported buddyinfo again. Pageblock types need not come back: movable allocations
    // that fall back claim Unmovable and Reclaimable pageblocks (steal_suitable_fallback).
    for (const kernelEra of ['6.1', '6.12']) {
      const [buddyinfo, pagetypeinfo] = pair('w1_p8k1/fragmented')
      const m = importMachine(buddyinfo, pagetypeinfo, {
        geometry: QEMU_1GIB_X86_64_GEOMETRY,
        config: { kernelEra },
      })
      const taken: [number, number][] = []
      for (let i = 0; i < 2000; i++) {
        const order = [0, 0, 0, 1, 3, 9][i % 6]
        const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE, order)
        if (pfn >= 0) taken.push([pfn, order])
      }
      expect(taken.length).toBeGreaterThan(1000)
      expect(print(m)[0]).not.toBe(buddyinfo)
      for (const [pfn, order] of taken) freePages(m, pfn, order)
      drainAllPages(m, null)
      expect(checkInvariants(m)).toBeNull()
      expect(print(m)[0]).toBe(buddyinfo)
      expect(print(m)[1]).not.toBe(pagetypeinfo)
    }
  })

  it('refuses a mixed-lists plan on a freelist-hygiene kernel, and takes it on 6.1', () => {
    const buddy = read('w1_p8k1/start/buddyinfo')
    const pti = read('w1_p8k1/start/pagetypeinfo').replace(
      '19          479            6',
      '25          479            0',
    )
    const plan = planImport(buddy, pti, { mixedLists: true })
    expect(() => applyImportPlan(plan, { config: { kernelEra: '6.12' } })).toThrow(
      /era 6\.12 keeps every free block on its pageblock's list/,
    )
    const m = applyImportPlan(plan, { config: { kernelEra: '6.1' } })
    expect(checkInvariants(m)).toBeNull()
    expect(print(m)).toEqual([buddy, pti])
  })

  it('keeps the layout to the plan', () => {
    const plan = planImport(...pair('w1_p8k1/start'))
    expect(() => applyImportPlan(plan, { config: { memoryMiB: 2048 } })).toThrow(
      /config\.memoryMiB comes from the plan/,
    )
    const m = applyImportPlan(plan)
    expect(getPfnblockMigratetype(m, 0)).toBe(0)
  })

  it('imports a two-node machine, node by node as the kernel prints it', () => {
    // Two nodes of one 128 MiB Normal zone each (64 pageblocks), written by the formatters.
    const zones = [0, 1].map((nid) => {
      const [z] = zoneInfoFromProc([{ nid, zone: 'Normal', nrFree: [] }])
      z.nrFree = [nid + 3, 2, 0, 1, 0, 0, 0, 0, 0, 1, 20 + nid]
      z.nrFreeByType = z.nrFreeByType.map(() => new Array<number>(11).fill(0))
      z.nrFreeByType[MIGRATE_MOVABLE] = [...z.nrFree]
      z.nrPageblocksByType = [10, 54, 0, 0, 0, 0]
      return z
    })
    const buddyinfo = formatBuddyinfo(zones)
    const pagetypeinfo = formatPagetypeinfo(zones, { pageblockOrder: 9 })
    const m = importMachine(buddyinfo, pagetypeinfo)
    expect(m.zones.map((z) => [z.nid, z.name, z.startPfn, z.spannedPages])).toEqual([
      [0, 'Normal', 0, 64 * 512],
      [1, 'Normal', 64 * 512, 64 * 512],
    ])
    expect(checkInvariants(m)).toBeNull()
    const after = zoneInfo(m)
    expect([formatBuddyinfo(after), formatPagetypeinfo(after, { pageblockOrder: 9 })]).toEqual([
      buddyinfo,
      pagetypeinfo,
    ])
  })
})
