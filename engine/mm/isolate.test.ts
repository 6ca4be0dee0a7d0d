import { describe, expect, it } from 'vitest'
import { checkInvariants } from './invariants'
import { moveFreepagesBlockIsolate } from './isolate'
import { MIGRATE_ISOLATE, MIGRATE_MOVABLE, MIGRATE_UNMOVABLE } from './migratetype'
import {
  getPageblockStoredMigratetype,
  getPfnblockMigratetype,
  setPageblockIsolate,
  setPageblockMigratetype,
} from './pageblock'
import { freeList, testMachine } from './testing'

describe('mm/page_isolation.c: free pages of set/unset_migratetype_isolate', () => {
  for (const era of ['6.12', '2025']) {
    it(`[${era}] splits a covering order-10 buddy, isolates one pageblock, and merges back on undo`, () => {
      const m = testMachine({ kernelEra: era })
      const z = m.zones[0]
      expect(moveFreepagesBlockIsolate(m, z, 512, true, MIGRATE_MOVABLE)).toBe(512)
      expect(getPfnblockMigratetype(m, 512)).toBe(MIGRATE_ISOLATE)
      expect(getPageblockStoredMigratetype(m, 512)).toBe(
        era === '2025' ? MIGRATE_MOVABLE : MIGRATE_ISOLATE,
      )
      expect(freeList(m, 0, 9, MIGRATE_ISOLATE)).toEqual([512])
      expect(freeList(m, 0, 9, MIGRATE_MOVABLE)).toEqual([0])
      expect(z.nrFreePages).toBe(16384 - 512)
      expect(z.nrIsolatePageblock).toBe(1)
      expect(checkInvariants(m)).toBeNull()
      moveFreepagesBlockIsolate(m, z, 512, false, MIGRATE_MOVABLE)
      expect(m.nrFree[10]).toBe(16)
      expect(z.nrFreePages).toBe(16384)
      expect(z.nrIsolatePageblock).toBe(0)
      expect(checkInvariants(m)).toBeNull()
    })
  }
  it('[6.6] leaves a covering order-10 buddy alone: a free block spans isolated and normal pageblocks', () => {
    const m = testMachine({ kernelEra: '6.6' })
    const z = m.zones[0]
    expect(moveFreepagesBlockIsolate(m, z, 512, true, MIGRATE_MOVABLE)).toBe(0)
    expect(checkInvariants(m)).toMatchObject({ rule: 'free-block-spans-isolation', pfn: 0 })
  })

  it('[2025] set_pageblock_migratetype(MIGRATE_ISOLATE) is refused; the isolate bit keeps the stored type', () => {
    const m = testMachine({ kernelEra: '2025' })
    expect(() => setPageblockMigratetype(m, 0, MIGRATE_ISOLATE)).toThrow(/rejected/)
    setPageblockIsolate(m, 0, true, MIGRATE_MOVABLE)
    setPageblockMigratetype(m, 0, MIGRATE_UNMOVABLE)
    expect(getPfnblockMigratetype(m, 0)).toBe(MIGRATE_ISOLATE)
    setPageblockIsolate(m, 0, false, MIGRATE_MOVABLE)
    expect(getPfnblockMigratetype(m, 0)).toBe(MIGRATE_UNMOVABLE)
  })
})
