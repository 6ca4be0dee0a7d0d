import { describe, expect, it } from 'vitest'
import {
  __GFP_COMP,
  allocPages,
  folioPin,
  folioSetFlags,
  freePages,
  getPfnblockMigratetype,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  MIGRATE_MOVABLE,
  MIGRATE_UNMOVABLE,
  PG_anon,
  PG_lru,
  setPageblockIsolate,
  setPageblockSkip,
  type Machine,
} from '../mm'
import { testMachine } from '../mm/testing'
import { MF_ISOLATE, MF_MT_MASK, MF_SKIP, pageblockFrame, usedPages, type MapFrame } from './frame'

function expectPagesAddUp(m: Machine, f: MapFrame): void {
  for (let pb = 0; pb < f.nrPageblocks; pb++) {
    const sum = f.freePages[pb] + f.pcpPages[pb] + usedPages(f, pb)
    expect(sum, `pageblock ${pb}`).toBe(m.pageblockNrPages)
  }
  const free = f.freePages.reduce((a, b) => a + b, 0)
  expect(free).toBe(m.zones.reduce((a, z) => a + z.nrFreePages, 0))
}

describe('pageblockFrame', () => {
  it('a freshly booted machine: every pageblock MOVABLE (memmap_init) and wholly free in order-10 blocks', () => {
    const m = testMachine()
    const f = pageblockFrame(m)
    expect(f.nrPageblocks).toBe(32)
    expect(f.zones).toEqual([{ name: 'Normal', nid: 0, startPfn: 0, endPfn: 16384 }])
    for (let pb = 0; pb < 32; pb++) {
      expect(f.pbFlags[pb] & MF_MT_MASK).toBe(MIGRATE_MOVABLE)
      expect(f.freePages[pb]).toBe(512)
      expect(f.maxFreeOrder[pb]).toBe(10)
      expect(usedPages(f, pb)).toBe(0)
    }
    expectPagesAddUp(m, f)
  })

  it('an unmovable allocation claims a pageblock by fallback; the frame mirrors its type and use', () => {
    const m = testMachine()
    const pfn = allocPages(m, GFP_KERNEL, 0)
    const pb = pfn >> m.pageblockOrder
    const f = pageblockFrame(m)
    expect(f.pbFlags[pb] & MF_MT_MASK).toBe(getPfnblockMigratetype(m, pfn))
    expect(getPfnblockMigratetype(m, pfn)).toBe(MIGRATE_UNMOVABLE)
    expect(f.unmovablePages[pb]).toBe(1)
    expect(f.movablePages[pb]).toBe(0)
    expect(f.freePages[pb]).toBe(511)
    // the order-0 split leaves buddies of orders 0..8 inside the block
    expect(f.maxFreeOrder[pb]).toBe(8)
    expectPagesAddUp(m, f)
  })

  it('LRU anon folios count as movable, pinned ones (FOLL_LONGTERM) as unmovable', () => {
    const m = testMachine()
    const a = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 2)
    folioSetFlags(m, a, PG_lru | PG_anon, true)
    const b = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    folioSetFlags(m, b, PG_lru | PG_anon, true)
    folioPin(m, b)
    const f = pageblockFrame(m)
    expect(f.movablePages[a >> 9]).toBe(4)
    expect(f.unmovablePages[b >> 9]).toBe(1)
    expectPagesAddUp(m, f)
  })

  it('pages on per-cpu lists are counted apart from buddy free pages', () => {
    const m = testMachine({ pcp: true })
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    freePages(m, pfn, 0)
    const f = pageblockFrame(m)
    const pcp = f.pcpPages.reduce((a, b) => a + b, 0)
    expect(pcp).toBeGreaterThan(0)
    expectPagesAddUp(m, f)
  })

  it.each(['6.12', '2025'] as const)(
    'isolated and skip-flagged pageblocks are marked (%s era representation)',
    (era) => {
      const m = testMachine({ kernelEra: era })
      setPageblockIsolate(m, 3 * 512, true, MIGRATE_MOVABLE)
      setPageblockSkip(m, 5 * 512, true)
      const f = pageblockFrame(m)
      expect(f.pbFlags[3] & MF_ISOLATE).toBe(MF_ISOLATE)
      expect(f.pbFlags[4] & MF_ISOLATE).toBe(0)
      expect(f.pbFlags[5] & MF_SKIP).toBe(MF_SKIP)
      expect(f.pbFlags[5] & MF_ISOLATE).toBe(0)
    },
  )
})
