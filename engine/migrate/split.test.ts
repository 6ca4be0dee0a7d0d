// -ENOMEM handling in mm/migrate.c:migrate_pages_batch and try_split_folio /
// mm/huge_memory.c:split_huge_page_to_list, and the THP counters of migrate_pages.
import { afterEach, describe, expect, it } from 'vitest'
import {
  checkInvariants,
  folioPin,
  folioUnpin,
  NO_PAGE,
  PG_head,
  vmstat,
  type Machine,
} from '../mm'
import { pageFlags, pageOrder } from '../mm/memmap'
import { migrateVmEvents, nrIsolated, onFolioSplit } from './counters'
import { putbackMovablePages } from './isolate'
import { migratePages } from './migratePages'
import { trySplitFolio } from './split'
import {
  countingTargets,
  isolatedAnonFolios,
  migrateTestMachine,
  testClock,
  testCost,
} from './testFixtures'
import { ENOMEM } from './types'

let m: Machine | undefined

afterEach(() => {
  if (m) expect(checkInvariants(m)).toBeNull()
  m = undefined
})

describe('migrate_pages: no destination (-ENOMEM)', () => {
  for (const era of ['6.1', '6.12']) {
    it(`an order-0 folio without a destination ends the call with -ENOMEM (era ${era})`, () => {
      m = migrateTestMachine(era)
      const clock = testClock()
      const from = isolatedAnonFolios(m, 3)
      const srcs = from.slice()
      const st = migratePages(m, from, () => NO_PAGE, null, {
        mode: 'async',
        reason: 'compaction',
        clock,
        cost: testCost,
      })
      expect(st.retval).toBe(-ENOMEM)
      // The others are not tried: all three stay with the caller.
      expect(from.slice().sort((a, b) => a - b)).toEqual(srcs.slice().sort((a, b) => a - b))
      expect(st.nrFailedPages).toBe(1)
      expect(migrateVmEvents(m).pgmigrate_fail).toBe(1)
      putbackMovablePages(m, from)
    })

    it(`a THP without a destination is split and its pieces migrate (era ${era})`, () => {
      m = migrateTestMachine(era)
      const clock = testClock()
      const [thp] = isolatedAnonFolios(m, 1, 9)
      const splits: number[][] = []
      onFolioSplit(m, (_h, pieces) => splits.push(pieces.slice()))
      const t = countingTargets(m, clock, testCost, { refuseOrders: (o) => o > 0 })
      const from = [thp]
      const st = migratePages(m, from, t.getNew, t.putNew, {
        mode: 'async',
        reason: 'compaction',
        clock,
        cost: testCost,
      })
      expect(st.nrThpSplit).toBe(1)
      expect(st.nrSplit).toBe(1)
      expect(st.nrThpFailed).toBe(1)
      expect(st.nrSucceeded).toBe(512)
      expect(st.nrThpSucceeded).toBe(0)
      // All pieces migrated: "Return 0 in case all split folios … are migrated successfully".
      expect(st.retval).toBe(0)
      expect(from).toEqual([])
      expect(splits).toHaveLength(1)
      expect(splits[0]).toHaveLength(512)
      const ev = migrateVmEvents(m)
      expect(ev.thp_migration_split).toBe(1)
      expect(ev.thp_migration_fail).toBe(1)
      expect(ev.thp_split_page).toBe(1)
      expect(ev.pgmigrate_success).toBe(512)
      for (const d of t.given) expect(m.mapcount[d]).toBe(1)
    })
  }

  it('an mTHP (order 2) split counts in nr_split but not in the thp_migration_* events', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const [f] = isolatedAnonFolios(m, 1, 2)
    const t = countingTargets(m, clock, testCost, { refuseOrders: (o) => o > 0 })
    const st = migratePages(m, [f], t.getNew, null, {
      mode: 'async',
      reason: 'compaction',
      clock,
      cost: testCost,
    })
    expect(st.nrSplit).toBe(1)
    expect(st.nrThpSplit).toBe(0)
    expect(st.nrSucceeded).toBe(4)
    expect(migrateVmEvents(m).thp_migration_split).toBe(0)
  })

  for (const mode of ['sync-light', 'sync'] as const) {
    it(`${mode}: an mTHP split for want of a destination whose pieces fail is a failure, not 0`, () => {
      // migrate_pages_sync counts every large folio its async pass split (nr_split, a259945efe6a
      // "mm/migrate: correct nr_failed in migrate_pages_sync()"): with nr_thp_split alone an
      // order-4 split left its failed pieces on `from` while migrate_pages returned 0, and
      // compact_zone never put them back.
      m = migrateTestMachine()
      const clock = testClock()
      const [f] = isolatedAnonFolios(m, 1, 4)
      let budget = 4
      const t = countingTargets(m, clock, testCost, {
        refuseOrders: (o) => o > 0 || budget-- <= 0,
      })
      const from = [f]
      const st = migratePages(m, from, t.getNew, null, {
        mode,
        reason: 'compaction',
        clock,
        cost: testCost,
      })
      expect(st.nrSplit).toBe(1)
      expect(st.nrThpSplit).toBe(0)
      expect(st.nrSucceeded).toBe(4)
      expect(st.retval).toBe(1)
      expect(from).toHaveLength(12)
      expect(nrIsolated(m, 0).anon).toBe(12)
      putbackMovablePages(m, from)
      expect(nrIsolated(m, 0).anon).toBe(0)
    })
  }

  it('NUMA-misplaced large folios are not split (nosplit): -ENOMEM', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const [f] = isolatedAnonFolios(m, 1, 9)
    const t = countingTargets(m, clock, testCost, { refuseOrders: (o) => o > 0 })
    const from = [f]
    const st = migratePages(m, from, t.getNew, null, {
      mode: 'async',
      reason: 'numa_misplaced',
      clock,
      cost: testCost,
    })
    expect(st.retval).toBe(-ENOMEM)
    expect(st.nrSplit).toBe(0)
    expect(pageFlags(m, f) & PG_head).toBe(PG_head)
    putbackMovablePages(m, from)
  })

  it('a pinned THP cannot be split (can_split_folio): -ENOMEM, folio left whole', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const [f] = isolatedAnonFolios(m, 1, 9)
    folioPin(m, f)
    const t = countingTargets(m, clock, testCost, { refuseOrders: (o) => o > 0 })
    const from = [f]
    const st = migratePages(m, from, t.getNew, null, {
      mode: 'async',
      reason: 'compaction',
      clock,
      cost: testCost,
    })
    expect(st.retval).toBe(-ENOMEM)
    expect(st.nrThpFailed).toBe(1)
    expect(st.nrThpSplit).toBe(0)
    expect(st.nrFailedPages).toBe(512)
    expect(pageOrder(m, f)).toBe(9)
    putbackMovablePages(m, from)
    folioUnpin(m, f)
  })

  it('a THP with a destination migrates whole (thp_migration_success)', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const [f] = isolatedAnonFolios(m, 1, 9)
    const t = countingTargets(m, clock, testCost)
    const st = migratePages(m, [f], t.getNew, null, {
      mode: 'sync',
      reason: 'compaction',
      clock,
      cost: testCost,
    })
    expect(st.nrThpSucceeded).toBe(1)
    expect(st.nrSucceeded).toBe(512)
    expect(pageOrder(m, t.given[0])).toBe(9)
    expect(pageFlags(m, t.given[0]) & PG_head).toBe(PG_head)
    expect(vmstat(m)).toContainEqual(['thp_migration_success', 1])
    // Copy cost is per base page: at least 512 copies.
    expect(st.latencyNs[0]).toBeGreaterThanOrEqual(512 * testCost.pageCopyNs)
  })
})

describe('try_split_folio', () => {
  it('gives each piece its isolation reference and its mappings, tails first then the head', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const [f] = isolatedAnonFolios(m, 1, 2, 2)
    const list: number[] = []
    expect(trySplitFolio(m, f, list, clock, testCost)).toBe(0)
    expect(list).toEqual([f + 3, f + 2, f + 1, f])
    for (const p of list) {
      expect(m.refcount[p]).toBe(3)
      expect(m.mapcount[p]).toBe(2)
      expect(pageOrder(m, p)).toBe(0)
    }
    putbackMovablePages(m, list)
  })

  it('refuses an extra reference with -EAGAIN', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const [f] = isolatedAnonFolios(m, 1, 2)
    m.refcount[f]++
    const list: number[] = []
    expect(trySplitFolio(m, f, list, clock, testCost)).toBe(-11)
    expect(list).toEqual([])
    m.refcount[f]--
    putbackMovablePages(m, [f])
  })
})
