import { afterEach, describe, expect, test } from 'vitest'
import { initFreeBlock } from '../mm/boot'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { MIGRATE_CMA, MIGRATE_MOVABLE, MIGRATE_UNMOVABLE } from '../mm/migratetype'
import { setPageblockMigratetype } from '../mm/pageblock'
import {
  __compactFinished,
  compactFinished,
  fragmentationScoreWmark,
  fragmentationScoreZone,
} from './finished'
import { compactionState } from './state'
import { layoutMachine, testEnv } from './testFixtures'
import { type CompactControl, createCompactControl, defaultCompactionVariants } from './types'

let m: Machine
afterEach(() => expect(checkInvariants(m)).toBeNull())

function cc(order: number, migratePfn: number, freePfn: number): CompactControl {
  const c = createCompactControl(m, 0, order, 'sync-light', defaultCompactionVariants(m))
  c.migratePfn = migratePfn
  c.freePfn = freePfn
  c.migratetype = MIGRATE_MOVABLE
  return c
}

describe('__compact_finished (mm/compaction.c)', () => {
  test('scanners met with whole_zone: COMPLETE, cached positions reset', () => {
    m = layoutMachine()
    const s = compactionState(m)
    s.cachedMigratePfn[0] = 4096
    s.cachedFreePfn[0] = 8192
    const c = cc(9, 5000, 4608) // 4608 >> 9 = 9 <= 5000 >> 9 = 9
    c.wholeZone = true
    expect(__compactFinished(m, testEnv(), c)).toBe('complete')
    expect(s.cachedMigratePfn[0]).toBe(0)
    expect(s.cachedFreePfn[0]).toBe(16384 - 512)
    expect(s.blockskipFlush[0]).toBe(0)
  })

  test('scanners met without whole_zone: PARTIAL_SKIPPED; a direct compactor asks for a skip-bit flush', () => {
    m = layoutMachine()
    const c = cc(9, 5120, 5120)
    c.directCompaction = true
    expect(__compactFinished(m, testEnv(), c)).toBe('partial_skipped')
    expect(compactionState(m).blockskipFlush[0]).toBe(1)
  })

  test('order -1 (compact_memory) continues until the scanners meet', () => {
    m = layoutMachine()
    initFreeBlock(m, 8192, 10)
    expect(__compactFinished(m, testEnv(), cc(-1, 512, 8192))).toBe('continue')
  })

  test('mid-pageblock: CONTINUE even when a suitable page exists (finish the block first)', () => {
    m = layoutMachine()
    initFreeBlock(m, 8192, 9)
    expect(__compactFinished(m, testEnv(), cc(9, 513, 10240))).toBe('continue')
    expect(__compactFinished(m, testEnv(), cc(9, 1024, 10240))).toBe('success')
  })

  test('SUCCESS: a free block ≥ cc->order on the request type list', () => {
    m = layoutMachine()
    initFreeBlock(m, 8192, 10)
    expect(__compactFinished(m, testEnv(), cc(9, 512, 10240))).toBe('success')
  })

  test('SUCCESS: a MOVABLE request may use a free CMA block', () => {
    m = layoutMachine()
    setPageblockMigratetype(m, 8192, MIGRATE_CMA)
    initFreeBlock(m, 8192, 9)
    expect(__compactFinished(m, testEnv(), cc(9, 512, 10240))).toBe('success')
    const c = cc(9, 512, 10240)
    c.migratetype = MIGRATE_UNMOVABLE
    expect(__compactFinished(m, testEnv(), c)).toBe('no_suitable_page')
  })

  test('SUCCESS: a block fallback could claim (find_suitable_fallback)', () => {
    m = layoutMachine()
    setPageblockMigratetype(m, 8192, MIGRATE_UNMOVABLE)
    initFreeBlock(m, 8192, 9)
    expect(__compactFinished(m, testEnv(), cc(9, 512, 10240))).toBe('success')
  })

  test('NO_SUITABLE_PAGE becomes CONTINUE in compact_finished; contention turns it into CONTENDED', () => {
    m = layoutMachine()
    initFreeBlock(m, 8192, 8)
    expect(__compactFinished(m, testEnv(), cc(9, 512, 10240))).toBe('no_suitable_page')
    expect(compactFinished(m, testEnv(), cc(9, 512, 10240))).toBe('continue')
    const c = cc(9, 512, 10240)
    c.contended = true
    expect(compactFinished(m, testEnv(), c)).toBe('contended')
  })

  test('proactive: kswapd running → PARTIAL_SKIPPED; score above the low mark → CONTINUE; else SUCCESS', () => {
    m = layoutMachine()
    for (let i = 0; i < 64; i++) initFreeBlock(m, 2 * i, 0)
    const c = cc(-1, 512, 10240)
    c.proactiveCompaction = true
    expect(fragmentationScoreZone(m, m.zones[0])).toBe(100)
    expect(fragmentationScoreWmark(20, true)).toBe(80)
    expect(__compactFinished(m, testEnv({ kswapdIsRunning: () => true }), c)).toBe(
      'partial_skipped',
    )
    expect(__compactFinished(m, testEnv(), c)).toBe('continue')
    initFreeBlock(m, 8192, 10) // 1024 of 1088 free pages now in a huge block: score 5
    expect(fragmentationScoreZone(m, m.zones[0])).toBe(5)
    expect(__compactFinished(m, testEnv(), c)).toBe('success')
  })
})
