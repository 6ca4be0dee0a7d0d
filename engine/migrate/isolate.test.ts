// Isolation and putback (mm/vmscan.c:folio_isolate_lru, mm/migrate.c:isolate_movable_page,
// putback_movable_pages), non-LRU movable migration (move_to_new_folio → movable_ops),
// mm/migrate.c:alloc_migration_target, and the LockTimeline the scheduler consults.
import { afterEach, describe, expect, it } from 'vitest'
import {
  __GFP_COMP,
  __GFP_RETRY_MAYFAIL,
  allocPages,
  checkInvariants,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  PG_head,
  PG_isolated,
  PG_lru,
  PG_movable_ops,
  type Machine,
} from '../mm'
import { pageFlags, pageOrder, setPageFlags } from '../mm/memmap'
import { makeAnonLruFolio } from './anonFolio'
import { nrIsolated } from './counters'
import { isolateLruFolio, isolateMovablePage, putbackMovablePages } from './isolate'
import { LockTimeline } from './lockTimeline'
import { migratePages } from './migratePages'
import { allocMigrationTarget } from './target'
import { countingTargets, migrateTestMachine, testClock, testCost } from './testFixtures'

let m: Machine | undefined

afterEach(() => {
  if (m) expect(checkInvariants(m)).toBeNull()
  m = undefined
})

describe('isolation and putback', () => {
  it('folio_isolate_lru takes the folio off the LRU with a reference; putback undoes it', () => {
    m = migrateTestMachine()
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 2)
    makeAnonLruFolio(m, pfn, 1)
    expect(isolateLruFolio(m, pfn)).toBe(true)
    expect(isolateLruFolio(m, pfn)).toBe(false)
    expect(m.refcount[pfn]).toBe(2)
    expect(nrIsolated(m, 0)).toEqual({ anon: 4, file: 0 })
    const list = [pfn]
    putbackMovablePages(m, list)
    expect(list).toEqual([])
    expect(m.refcount[pfn]).toBe(1)
    expect(pageFlags(m, pfn) & PG_lru).toBe(PG_lru)
    expect(nrIsolated(m, 0)).toEqual({ anon: 0, file: 0 })
  })

  it('non-LRU movable pages migrate through movable_operations and keep their owner reference', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const pfn = allocPages(m, GFP_KERNEL, 0)
    setPageFlags(m, pfn, pageFlags(m, pfn) | PG_movable_ops)
    expect(isolateMovablePage(m, pfn)).toBe(true)
    expect(pageFlags(m, pfn) & PG_isolated).toBe(PG_isolated)
    const t = countingTargets(m, clock, testCost)
    const st = migratePages(m, [pfn], t.getNew, null, {
      mode: 'async',
      reason: 'compaction',
      clock,
      cost: testCost,
    })
    expect(st.nrSucceeded).toBe(1)
    const dst = t.given[0]
    expect(m.refcount[dst]).toBe(1)
    expect(pageFlags(m, dst) & (PG_movable_ops | PG_isolated)).toBe(PG_movable_ops)
    // Not accounted in NR_ISOLATED, so nothing to undo there.
    expect(nrIsolated(m, 0)).toEqual({ anon: 0, file: 0 })
  })
})

describe('alloc_migration_target', () => {
  it('allocates the source order as a compound folio and charges the allocation', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const src = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 9)
    const get = allocMigrationTarget(m, { clock, cost: testCost })
    const dst = get(src, 9)
    expect(pageOrder(m, dst)).toBe(9)
    expect(pageFlags(m, dst) & PG_head).toBe(PG_head)
    expect(m.refcount[dst]).toBe(1)
    expect(clock.nowNs).toBe(testCost.allocNs)
  })

  it('passes the gfp mask, order and node to a caller-supplied allocator (which charges its own time)', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const src = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    const calls: [number, number, number][] = []
    const get = allocMigrationTarget(m, {
      clock,
      cost: testCost,
      allocate: (gfp, order, nid) => {
        calls.push([gfp, order, nid])
        clock.nowNs += 5_000_000
        return -1
      },
    })
    expect(get(src, 0)).toBe(-1)
    expect(calls).toEqual([[GFP_HIGHUSER_MOVABLE | __GFP_RETRY_MAYFAIL, 0, 0]])
    expect(clock.nowNs).toBe(5_000_000)
  })
})

describe('LockTimeline', () => {
  it('a waiter queues behind overlapping holds and gets the lock at the end of the chain', () => {
    const t = new LockTimeline()
    t.hold(7, 100, 200, 'migration')
    t.hold(7, 150, 400, 'workload')
    t.hold(7, 500, 600, 'migration')
    expect(t.freeAtNs(7, 120)).toBe(400)
    expect(t.waitNs(7, 450)).toBe(0)
    expect(t.freeAtNs(7, 120, 'migration')).toBe(120)
    expect(t.freeAtNs(7, 160, 'migration')).toBe(400)
    expect(t.freeAtNs(7, 110, 'workload')).toBe(200)
    expect(t.durationsNs()).toEqual([100, 100])
    expect(() => t.hold(7, 10, 5, 'x')).toThrow(RangeError)
  })
})
