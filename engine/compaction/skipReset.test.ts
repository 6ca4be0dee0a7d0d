/**
 * mm/compaction.c:__reset_isolation_suitable / __reset_isolation_pfn (6.1 and 6.12): only
 * after a direct compactor asked for a flush, blocks sampled every 8 pages, restart points.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { MIGRATE_MOVABLE } from '../mm/migratetype'
import { getPageblockSkip, setPageblockMigratetype, setPageblockSkip } from '../mm/pageblock'
import { compactZone } from './compactZone'
import { resetIsolationSuitable, resetIsolationSuitableNode } from './skipReset'
import { compactionState } from './state'
import { anonAt, freeRange, layoutMachine, testEnv } from './testFixtures'
import { createCompactControl, defaultCompactionVariants } from './types'

let m: Machine
afterEach(() => expect(checkInvariants(m)).toBeNull())

const PB = 512
/** 32 pageblocks, all skipped; sources and targets placed where the sample will or won't see them. */
function skipped(): void {
  m = layoutMachine()
  for (let b = 0; b < 32; b++) {
    setPageblockMigratetype(m, b * PB, MIGRATE_MOVABLE)
    setPageblockSkip(m, b * PB, true)
  }
  anonAt(m, 2 * PB + 8) // sampled (offset 8): a source
  anonAt(m, 3 * PB + 3) // not sampled (offsets 0, 8, 16, …)
  freeRange(m, 29 * PB + 16, 8) // an order-3 buddy at a sampled offset: a target
}

function skips(): number[] {
  const out: number[] = []
  for (let b = 0; b < 32; b++) if (!getPageblockSkip(m, b * PB)) out.push(b)
  return out
}

describe('__reset_isolation_suitable', () => {
  it('does nothing unless compact_blockskip_flush is set', () => {
    skipped()
    resetIsolationSuitable(m, 0)
    expect(skips()).toEqual([])
  })

  it('clears the bits of blocks whose sample finds an LRU or free page, and sets restart points', () => {
    skipped()
    const s = compactionState(m)
    s.blockskipFlush[0] = 1
    resetIsolationSuitableNode(m, 0)
    expect(s.blockskipFlush[0]).toBe(0)
    // Block 3's LRU page sits between samples; the kernel pages of the rest are neither.
    expect(skips()).toEqual([2, 29])
    expect(s.initMigratePfn[0]).toBe(2 * PB)
    expect(s.cachedMigratePfn[0]).toBe(2 * PB)
    expect(s.cachedMigratePfn[1]).toBe(2 * PB)
    // The free side walks down from zone_end - 1: its restart point is that pfn's block.
    expect(s.initFreePfn[0]).toBe(29 * PB + PB - 1)
    expect(s.cachedFreePfn[0]).toBe(29 * PB + PB - 1)
  })

  it('compact_zone resets when compaction restarts after the deferral ran out (flag set)', () => {
    skipped()
    const s = compactionState(m)
    s.deferShift[0] = 6
    s.considered[0] = 64
    s.orderFailed[0] = 9
    s.blockskipFlush[0] = 1
    // Enough free memory for compaction_suitable (order-2 buddies, nothing of order 9).
    for (let p = 10 * PB; p < 20 * PB; p += 8) freeRange(m, p, 4)
    const cc = createCompactControl(m, 0, 9, 'sync-light', defaultCompactionVariants(m))
    cc.migratetype = MIGRATE_MOVABLE
    cc.allocFlags = 1 // ALLOC_WMARK_LOW
    compactZone(m, testEnv({ extfragThreshold: 0 }), cc)
    expect(s.blockskipFlush[0]).toBe(0)
    expect(getPageblockSkip(m, 3 * PB)).toBe(true)
  })
})
