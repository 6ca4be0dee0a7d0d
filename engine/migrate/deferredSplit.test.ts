// Migration and the deferred split queue (mm/migrate.c:migrate_pages_batch, migrate_folio_move,
// __folio_migrate_mapping; mm/rmap.c:__folio_remove_rmap; mm/huge_memory.c:deferred_split_folio,
// split_huge_page_to_list_to_order), 6.12.117 against 6.1 and the eras between.
import { afterEach, describe, expect, it } from 'vitest'
import {
  checkInvariants,
  deferredSplitCount,
  folioOnDeferredList,
  folioTestPartiallyMapped,
  mthpStat,
  vmEventCount,
  VM_THP_DEFERRED_SPLIT_PAGE,
  type Machine,
} from '../mm'
import { folioOrder } from '../mm/folio'
import { isolateLruFolio, putbackMovablePages } from './isolate'
import { migratePages } from './migratePages'
import {
  countingTargets,
  isolatedAnonFolios,
  migrateTestMachine,
  testClock,
  testCost,
} from './testFixtures'
import { type DeferredSplitRequeue } from './types'

let m: Machine | undefined

afterEach(() => {
  if (m) expect(checkInvariants(m)).toBeNull()
  m = undefined
})

/** Migrate one isolated folio to an allocated destination; returns the destination's head. */
function migrateOne(mm: Machine, src: number, requeue?: DeferredSplitRequeue): number {
  const clock = testClock()
  const t = countingTargets(mm, clock, testCost)
  const from = [src]
  const st = migratePages(mm, from, t.getNew, t.putNew, {
    mode: 'sync',
    reason: 'syscall_or_cpuset',
    clock,
    cost: testCost,
    deferredSplitRequeue: requeue,
  })
  putbackMovablePages(mm, from)
  expect(st.retval).toBe(0)
  return t.given[t.given.length - 1]
}

const stat = (mm: Machine, item: Parameters<typeof mthpStat>[2]): number => mthpStat(mm, 4, item)

describe('a PTE-mapped 64 KiB folio migrated whole (6.12.117)', () => {
  it('try_to_migrate leaves the source partially mapped: queued, then the destination is requeued partially mapped', () => {
    m = migrateTestMachine('6.12')
    const [src] = isolatedAnonFolios(m, 1, 4)
    expect(stat(m, 'nr_anon')).toBe(1)
    const dst = migrateOne(m, src)
    expect(folioOrder(m, dst)).toBe(4)
    // The source: flagged by __folio_remove_rmap during try_to_migrate (split_deferred 1),
    // unqueued in __folio_migrate_mapping, freed. The destination: deferred_split_folio(dst, true)
    // in migrate_folio_move (split_deferred 2).
    expect(folioOnDeferredList(m, dst)).toBe(true)
    expect(folioTestPartiallyMapped(m, dst)).toBe(true)
    expect(deferredSplitCount(m, 0)).toBe(1)
    expect(stat(m, 'split_deferred')).toBe(2)
    expect(stat(m, 'nr_anon_partially_mapped')).toBe(1)
    expect(stat(m, 'nr_anon')).toBe(1)
    expect(stat(m, 'split')).toBe(0)
    // Not PMD-mappable: no thp_deferred_split_page.
    expect(vmEventCount(m, VM_THP_DEFERRED_SPLIT_PAGE)).toBe(0)
  })

  it("without the requeue fix ('none': 6.12.0 … 7.0 mainline) the destination leaves the queue", () => {
    m = migrateTestMachine('6.12')
    const [src] = isolatedAnonFolios(m, 1, 4)
    const dst = migrateOne(m, src, 'none')
    expect(folioOnDeferredList(m, dst)).toBe(false)
    expect(folioTestPartiallyMapped(m, dst)).toBe(false)
    expect(deferredSplitCount(m, 0)).toBe(0)
    expect(stat(m, 'split_deferred')).toBe(1)
    expect(stat(m, 'nr_anon_partially_mapped')).toBe(0)
  })

  it('the era default: 6.12 requeues, 6.15 and 2025 (upstream before the fix) do not', () => {
    for (const [era, queued] of [
      ['6.12', true],
      ['6.15', false],
      ['2025', false],
    ] as const) {
      const mm = migrateTestMachine(era)
      const [src] = isolatedAnonFolios(mm, 1, 4)
      const dst = migrateOne(mm, src)
      expect(folioOnDeferredList(mm, dst), era).toBe(queued)
      expect(checkInvariants(mm)).toBeNull()
    }
  })

  it('migrate_pages_batch splits a queued partially mapped folio first, then migrates its pieces', () => {
    m = migrateTestMachine('6.12')
    const [src] = isolatedAnonFolios(m, 1, 4)
    const dst = migrateOne(m, src)
    expect(folioTestPartiallyMapped(m, dst)).toBe(true)
    // Migrate the (requeued, flagged) destination again.
    const clock = testClock()
    const t = countingTargets(m, clock, testCost)
    const from = [dst]
    expect(isolateLruFolio(m, dst)).toBe(true)
    const st = migratePages(m, from, t.getNew, t.putNew, {
      mode: 'sync',
      reason: 'compaction',
      clock,
      cost: testCost,
    })
    putbackMovablePages(m, from)
    expect(st.nrSplit).toBe(1)
    expect(st.nrSucceeded).toBe(16)
    // Every destination was order 0: the folio was not migrated whole.
    expect(t.given.every((p) => folioOrder(m as Machine, p) === 0)).toBe(true)
    expect(stat(m, 'split')).toBe(1)
    expect(stat(m, 'nr_anon')).toBe(0)
    expect(stat(m, 'nr_anon_partially_mapped')).toBe(0)
    expect(deferredSplitCount(m, 0)).toBe(0)
    // Already flagged: the split's own unmap does not count split_deferred again.
    expect(stat(m, 'split_deferred')).toBe(2)
  })
})

describe('eras without the 6.12 mechanism', () => {
  it('6.1: nothing is queued (no PTE-mapped anon mTHP in that kernel)', () => {
    m = migrateTestMachine('6.1')
    const [src] = isolatedAnonFolios(m, 1, 4)
    const dst = migrateOne(m, src)
    expect(folioOrder(m, dst)).toBe(4)
    expect(folioOnDeferredList(m, dst)).toBe(false)
    expect(deferredSplitCount(m, 0)).toBe(0)
    expect(stat(m, 'split_deferred')).toBe(0)
  })

  it('6.9/6.10: the source is queued during its unmap (no PG_partially_mapped), the destination is not', () => {
    for (const era of ['6.9', '6.10'] as const) {
      const mm = migrateTestMachine(era)
      const [src] = isolatedAnonFolios(mm, 1, 4)
      const dst = migrateOne(mm, src)
      expect(folioOnDeferredList(mm, dst), era).toBe(false)
      expect(folioTestPartiallyMapped(mm, dst), era).toBe(false)
      expect(mthpStat(mm, 4, 'split_deferred'), era).toBe(1)
      expect(deferredSplitCount(mm, 0), era).toBe(0)
      expect(checkInvariants(mm)).toBeNull()
    }
  })

  it('a PMD-mapped THP migrates by its PMD and is never found partially mapped', () => {
    m = migrateTestMachine('6.12')
    const [src] = isolatedAnonFolios(m, 1, 9)
    const dst = migrateOne(m, src)
    expect(folioOrder(m, dst)).toBe(9)
    expect(folioOnDeferredList(m, dst)).toBe(false)
    expect(vmEventCount(m, VM_THP_DEFERRED_SPLIT_PAGE)).toBe(0)
    expect(mthpStat(m, 9, 'nr_anon')).toBe(1)
  })
})
