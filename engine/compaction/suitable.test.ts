import { afterEach, describe, expect, test } from 'vitest'
import { initFreeBlock } from '../mm/boot'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { ALLOC_WMARK_LOW } from '../mm/allocFlags'
import { compactionTraceSubscribe } from './state'
import {
  compactionSuitable,
  compactionSuitAllocationOrder,
  zoneFragmentationIndex,
} from './suitable'
import { freeRange, layoutMachine } from './testFixtures'

let m: Machine
afterEach(() => expect(checkInvariants(m)).toBeNull())

/** `n` free order-0 pages, every other pfn from `start` (nothing can merge). */
function scatteredFree(mm: Machine, start: number, n: number): void {
  for (let i = 0; i < n; i++) initFreeBlock(mm, start + 2 * i, 0)
}

function suitableTrace(mm: Machine): string[] {
  const out: string[] = []
  compactionTraceSubscribe(mm, 'mm_compaction_suitable', (e) => out.push(`${e.order}:${e.ret}`))
  return out
}

describe('compaction_suitable (mm/compaction.c) and the fragmentation index (mm/vmstat.c)', () => {
  test('too few free pages for LOW + compact_gap(order): SKIPPED', () => {
    m = layoutMachine()
    const z = m.zones[0]
    expect(z.wmarkLow).toBe(48)
    scatteredFree(m, 0, 1000) // 1000 <= 48 + (2 << 9) = 1072
    const tr = suitableTrace(m)
    expect(compactionSuitable(m, z, 9, 2)).toBe(false)
    expect(tr).toEqual(['9:skipped'])
  })

  test('order ≤ PAGE_ALLOC_COSTLY_ORDER uses MIN + compact_gap and ignores the fragmentation index', () => {
    m = layoutMachine()
    freeRange(m, 0, 2048) // two order-10 blocks: index -1000 anyway
    scatteredFree(m, 4096, 8)
    const tr = suitableTrace(m)
    expect(compactionSuitable(m, m.zones[0], 3, 2)).toBe(true)
    expect(tr).toEqual(['3:continue'])
  })

  test('failure from lack of memory (index ≤ extfrag_threshold): NOT_SUITABLE_ZONE', () => {
    m = layoutMachine()
    const z = m.zones[0]
    for (let i = 0; i < 8; i++) initFreeBlock(m, 1024 * i, 8) // 8 order-8 blocks = 2048 pages
    // 1000 - (1000 + 2048*1000/512) / 8 = 375
    expect(zoneFragmentationIndex(m, z, 9)).toBe(375)
    const tr = suitableTrace(m)
    expect(compactionSuitable(m, z, 9, 2)).toBe(false)
    expect(compactionSuitable(m, z, 9, 2, 374)).toBe(true)
    expect(tr).toEqual(['9:not_suitable_zone', '9:continue'])
  })

  test('failure from fragmentation (index > extfrag_threshold): compaction is suitable', () => {
    m = layoutMachine()
    const z = m.zones[0]
    scatteredFree(m, 0, 2048)
    // 1000 - (1000 + 2048*1000/512) / 2048 = 1000 - 2 = 998
    expect(zoneFragmentationIndex(m, z, 9)).toBe(998)
    expect(compactionSuitable(m, z, 9, 2)).toBe(true)
    expect(compactionSuitable(m, z, 9, 2, 1000)).toBe(false) // threshold 1000: never
  })

  test('compaction_suit_allocation_order: the allocation would already succeed → SUCCESS', () => {
    m = layoutMachine()
    const z = m.zones[0]
    scatteredFree(m, 0, 2048)
    initFreeBlock(m, 8192, 9)
    expect(zoneFragmentationIndex(m, z, 9)).toBe(-1000)
    expect(compactionSuitAllocationOrder(m, z, 9, 2, ALLOC_WMARK_LOW)).toBe('success')
    expect(compactionSuitAllocationOrder(m, z, 10, 2, ALLOC_WMARK_LOW)).toBe('continue')
  })
})
