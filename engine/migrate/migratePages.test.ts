// Outcomes of mm/migrate.c:migrate_pages per mode and era.
import { afterEach, describe, expect, it } from 'vitest'
import {
  checkInvariants,
  folioPin,
  folioSetFlags,
  folioUnpin,
  getPageUnlessZero,
  folioPut,
  PAGE_TYPE_BUDDY,
  PAGE_PCP,
  PG_locked,
  PG_lru,
  PG_uptodate,
  PG_writeback,
  traceSubscribe,
  vmstat,
  type Machine,
  type TraceEvent,
} from '../mm'
import { pageFlags, setPageFlags } from '../mm/memmap'
import { VM_NR_DIRTY, VM_NR_WRITEBACK } from '../mm/vmstatItems'
import { migrateVmEvents, nrIsolated, onFolioMoved } from './counters'
import { putbackMovablePages } from './isolate'
import { LockTimeline } from './lockTimeline'
import { migratePages } from './migratePages'
import {
  countingTargets,
  isolatedAnonFolios,
  isolatedFileFolio,
  migrateTestMachine,
  testClock,
  testCost,
} from './testFixtures'
import { type MigrateMode } from './types'

let m: Machine | undefined

afterEach(() => {
  if (m) expect(checkInvariants(m)).toBeNull()
  m = undefined
})

function isFree(mach: Machine, pfn: number): boolean {
  // A freed order-0 page is a buddy head, inside a merged buddy, or on a per-cpu list.
  return (pageFlags(mach, pfn) & (PAGE_TYPE_BUDDY | PAGE_PCP)) !== 0 || mach.refcount[pfn] === 0
}

describe('migrate_pages: successful migration (migrate_folio_unmap + migrate_folio_move)', () => {
  for (const era of ['6.1', '6.12']) {
    it(`moves mapped anon folios and frees the sources (era ${era})`, () => {
      m = migrateTestMachine(era)
      const clock = testClock()
      const from = isolatedAnonFolios(m, 4)
      const srcs = from.slice()
      const freeBefore = m.zones[0].nrFreePages
      const t = countingTargets(m, clock, testCost)
      const moved: [number, number][] = []
      onFolioMoved(m, (s, d) => moved.push([s, d]))
      const events: TraceEvent[] = []
      traceSubscribe(m, 'mm_migrate_pages_start', (e) => events.push(e))
      traceSubscribe(m, 'mm_migrate_pages', (e) => events.push(e))
      const st = migratePages(m, from, t.getNew, t.putNew, {
        mode: 'async',
        reason: 'compaction',
        clock,
        cost: testCost,
      })
      expect(st.retval).toBe(0)
      expect(from).toEqual([])
      expect(st.nrSucceeded).toBe(4)
      expect(st.nrFailedPages).toBe(0)
      expect(moved.map((x) => x[0])).toEqual(srcs)
      expect(moved.map((x) => x[1])).toEqual(t.given)
      // Sources are freed; in the per-folio era a freed source can be the next destination.
      for (const s of srcs) if (!t.given.includes(s)) expect(isFree(m, s)).toBe(true)
      expect(m.zones[0].nrFreePages).toBe(freeBefore)
      for (const d of t.given) {
        // remove_migration_ptes: the mapping (and its reference) now points at dst; folio_add_lru.
        expect(m.mapcount[d]).toBe(1)
        expect(m.refcount[d]).toBe(1)
        expect(pageFlags(m, d) & PG_lru).toBe(PG_lru)
        expect(pageFlags(m, d) & PG_locked).toBe(0)
      }
      expect(nrIsolated(m, 0)).toEqual({ anon: 0, file: 0 })
      expect(migrateVmEvents(m).pgmigrate_success).toBe(4)
      // The same counters in /proc/vmstat, through engine/mm's registry.
      const vs = new Map(vmstat(m))
      expect(vs.get('pgmigrate_success')).toBe(4)
      expect(vs.get('pgmigrate_fail')).toBe(0)
      expect(vs.get('nr_isolated_anon')).toBe(0)
      expect(st.latencyNs).toHaveLength(4)
      expect(st.lockHoldNs).toHaveLength(4)
      expect(st.wastedTargets).toBe(0)
      expect(events).toEqual([
        { name: 'mm_migrate_pages_start', mode: 'MIGRATE_ASYNC', reason: 'compaction' },
        {
          name: 'mm_migrate_pages',
          nr_succeeded: 4,
          nr_failed: 0,
          nr_thp_succeeded: 0,
          nr_thp_failed: 0,
          nr_thp_split: 0,
          mode: 'MIGRATE_ASYNC',
          reason: 'compaction',
        },
      ])
    })
  }

  it('batched async migration flushes the TLB once per batch; per-folio once per folio (try_to_unmap_flush)', () => {
    const flushCost = (era: string, n: number): number => {
      const run = (tlbFlushNs: number): number => {
        const mach = migrateTestMachine(era)
        const clock = testClock()
        const cost = { ...testCost, tlbFlushNs }
        const t = countingTargets(mach, clock, cost)
        const st = migratePages(mach, isolatedAnonFolios(mach, n), t.getNew, null, {
          mode: 'async',
          reason: 'compaction',
          clock,
          cost,
        })
        expect(st.nrSucceeded).toBe(n)
        expect(checkInvariants(mach)).toBeNull()
        return st.callNs
      }
      return (run(1_000_000) - run(0)) / 1_000_000
    }
    expect(flushCost('6.12', 8)).toBe(1)
    expect(flushCost('6.1', 8)).toBe(8)
    // NR_MAX_BATCHED_MIGRATION: 600 base pages make two batches (512 + 88), two flushes.
    expect(flushCost('6.12', 600)).toBe(2)
  })

  it('counts a folio whose last other reference went away as migrated, without a destination', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const [pfn] = isolatedAnonFolios(m, 1)
    // The process unmapped it meanwhile: only the isolation reference is left (refcount 1).
    m.mapcount[pfn] = 0
    m.refcount[pfn] = 1
    const t = countingTargets(m, clock, testCost)
    const st = migratePages(m, [pfn], t.getNew, null, {
      mode: 'async',
      reason: 'compaction',
      clock,
      cost: testCost,
    })
    expect(st.nrSucceeded).toBe(1)
    expect(t.given).toEqual([])
    expect(isFree(m, pfn)).toBe(true)
  })

  it('moves page cache folios with their cache references and dirty accounting (folio_migrate_mapping)', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const pfn = isolatedFileFolio(m, 0, 1)
    folioSetFlags(m, pfn, 0x8 /* PG_dirty */, true)
    const dirtyBefore = m.vmEvents[VM_NR_DIRTY]
    const t = countingTargets(m, clock, testCost)
    const st = migratePages(m, [pfn], t.getNew, null, {
      mode: 'sync',
      reason: 'syscall_or_cpuset',
      clock,
      cost: testCost,
    })
    expect(st.nrSucceeded).toBe(1)
    const dst = t.given[0]
    // One page cache reference plus one mapping.
    expect(m.refcount[dst]).toBe(2)
    expect(pageFlags(m, dst) & 0x8).toBe(0x8)
    expect(m.vmEvents[VM_NR_DIRTY]).toBe(dirtyBefore)
  })
})

describe('migrate_folio_unmap: folio lock (folio_trylock / folio_lock)', () => {
  it('async: a locked folio fails trylock with -EAGAIN on each of the 10 passes, then counts as failed', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const [pfn] = isolatedAnonFolios(m, 1)
    setPageFlags(m, pfn, pageFlags(m, pfn) | PG_locked)
    const t = countingTargets(m, clock, testCost)
    const st = migratePages(m, [pfn], t.getNew, null, {
      mode: 'async',
      reason: 'compaction',
      clock,
      cost: testCost,
    })
    expect(st.retval).toBe(1)
    expect(st.nrFailedPages).toBe(1)
    expect(st.nrSucceeded).toBe(0)
    // Mainline allocates before the trylock: one wasted destination per pass.
    expect(t.given).toHaveLength(10)
    expect(st.wastedTargets).toBe(10)
    expect(st.wastedByCause.lock).toBe(10)
    expect(migrateVmEvents(m).pgmigrate_fail).toBe(1)
    setPageFlags(m, pfn, pageFlags(m, pfn) & ~PG_locked)
    putbackMovablePages(m, [pfn])
    expect(nrIsolated(m, 0).anon).toBe(0)
  })

  for (const era of ['6.1', '6.12']) {
    it(`sync: waits for a holder with a known release, then migrates (era ${era})`, () => {
      m = migrateTestMachine(era)
      const clock = testClock()
      const locks = new LockTimeline()
      const [pfn] = isolatedAnonFolios(m, 1)
      setPageFlags(m, pfn, pageFlags(m, pfn) | PG_locked)
      locks.hold(pfn, 0, 50_000, 'workload')
      const t = countingTargets(m, clock, testCost)
      const st = migratePages(m, [pfn], t.getNew, null, {
        mode: 'sync',
        reason: 'compaction',
        clock,
        cost: testCost,
        locks,
      })
      expect(st.nrSucceeded).toBe(1)
      const ours = locks.holdsOf(pfn).filter((h) => h.reason === 'migration')
      expect(ours).toHaveLength(1)
      // Handed over at the holder's unlock plus the wake-up.
      expect(ours[0].startNs).toBe(50_000 + testCost.wakeupNs)
      // 6.12: three async passes (migrate_pages_sync) then the blocking pass; 6.1: force from pass 3.
      expect(st.wastedByCause.lock).toBe(3)
    })
  }

  it('direct compaction (PF_MEMALLOC) never sleeps on the lock, even in sync-light', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const locks = new LockTimeline()
    const [pfn] = isolatedAnonFolios(m, 1)
    setPageFlags(m, pfn, pageFlags(m, pfn) | PG_locked)
    locks.hold(pfn, 0, 50_000, 'workload')
    const t = countingTargets(m, clock, testCost)
    const st = migratePages(m, [pfn], t.getNew, null, {
      mode: 'sync-light',
      reason: 'compaction',
      clock,
      cost: testCost,
      locks,
      pfMemalloc: true,
    })
    expect(st.retval).toBe(1)
    expect(clock.nowNs).toBeLessThan(50_000)
    setPageFlags(m, pfn, pageFlags(m, pfn) & ~PG_locked)
    putbackMovablePages(m, [pfn])
  })

  for (const [era, waits] of [
    ['6.12', false],
    ['6.1', true],
  ] as const) {
    it(`sync-light on a !uptodate locked folio: ${waits ? 'waits (≤6.2)' : 'does not wait for I/O (6.3+)'} (era ${era})`, () => {
      m = migrateTestMachine(era)
      const clock = testClock()
      const locks = new LockTimeline()
      const [pfn] = isolatedAnonFolios(m, 1)
      setPageFlags(m, pfn, (pageFlags(m, pfn) | PG_locked) & ~PG_uptodate)
      locks.hold(pfn, 0, 50_000, 'readahead')
      const t = countingTargets(m, clock, testCost)
      const st = migratePages(m, [pfn], t.getNew, null, {
        mode: 'sync-light',
        reason: 'compaction',
        clock,
        cost: testCost,
        locks,
      })
      expect(st.nrSucceeded).toBe(waits ? 1 : 0)
      if (!waits) {
        setPageFlags(m, pfn, pageFlags(m, pfn) & ~PG_locked)
        putbackMovablePages(m, [pfn])
      }
    })
  }

  it('a lock whose release is unknown cannot be waited for synchronously: -EAGAIN', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const [pfn] = isolatedAnonFolios(m, 1)
    setPageFlags(m, pfn, pageFlags(m, pfn) | PG_locked)
    const t = countingTargets(m, clock, testCost)
    const st = migratePages(m, [pfn], t.getNew, null, {
      mode: 'sync',
      reason: 'compaction',
      clock,
      cost: testCost,
      locks: new LockTimeline(),
    })
    expect(st.retval).toBe(1)
    setPageFlags(m, pfn, pageFlags(m, pfn) & ~PG_locked)
    putbackMovablePages(m, [pfn])
  })
})

describe('migrate_folio_unmap: writeback (folio_test_writeback / folio_wait_writeback)', () => {
  for (const [mode, attempts] of [
    ['async', 1],
    ['sync-light', 2],
  ] as [MigrateMode, number][]) {
    it(`${mode}: a folio under writeback fails permanently with -EBUSY (${attempts} attempt(s))`, () => {
      m = migrateTestMachine()
      const clock = testClock()
      const [pfn] = isolatedAnonFolios(m, 1)
      folioSetFlags(m, pfn, PG_writeback, true)
      const t = countingTargets(m, clock, testCost)
      const st = migratePages(m, [pfn], t.getNew, null, {
        mode,
        reason: 'compaction',
        clock,
        cost: testCost,
      })
      expect(st.retval).toBe(1)
      expect(st.nrFailedPages).toBe(1)
      // sync-light: migrate_pages_sync's async pre-pass fails it, then the sync-light retry does.
      expect(t.given).toHaveLength(attempts)
      expect(st.wastedByCause.writeback).toBe(attempts)
      folioSetFlags(m, pfn, PG_writeback, false)
      putbackMovablePages(m, [pfn])
    })
  }

  for (const [era, wasted] of [
    ['6.12', 1],
    ['6.1', 3],
  ] as const) {
    it(`sync waits for the write-out and migrates (era ${era})`, () => {
      m = migrateTestMachine(era)
      const clock = testClock()
      const [pfn] = isolatedAnonFolios(m, 1)
      folioSetFlags(m, pfn, PG_writeback, true)
      const t = countingTargets(m, clock, testCost)
      const cost = { ...testCost, writebackWaitNs: 250_000 }
      const st = migratePages(m, [pfn], t.getNew, null, {
        mode: 'sync',
        reason: 'compaction',
        clock,
        cost,
      })
      expect(st.nrSucceeded).toBe(1)
      expect(st.callNs).toBeGreaterThanOrEqual(250_000)
      // 6.12: the async pre-pass of migrate_pages_sync gets -EBUSY once; 6.1: passes 0-2 are not forced.
      expect(st.wastedByCause.writeback).toBe(wasted)
      expect(m.vmEvents[VM_NR_WRITEBACK]).toBe(0)
    })
  }
})

describe('folio_migrate_mapping: references that refuse to move', () => {
  for (const era of ['6.1', '6.12']) {
    it(`a FOLL_LONGTERM-pinned folio fails after all passes and is restored (era ${era})`, () => {
      m = migrateTestMachine(era)
      const clock = testClock()
      const [pfn] = isolatedAnonFolios(m, 1)
      folioPin(m, pfn)
      const before = m.refcount[pfn]
      const t = countingTargets(m, clock, testCost)
      const from = [pfn]
      const st = migratePages(m, from, t.getNew, null, {
        mode: 'async',
        reason: 'compaction',
        clock,
        cost: testCost,
      })
      expect(st.retval).toBe(1)
      expect(from).toEqual([pfn])
      expect(st.nrFailedPages).toBe(1)
      expect(m.refcount[pfn]).toBe(before)
      expect(m.mapcount[pfn]).toBe(1)
      expect(pageFlags(m, pfn) & PG_locked).toBe(0)
      // 6.12 retries the move in place with one destination and one long hold; 6.1 undoes each pass.
      expect(t.given).toHaveLength(era === '6.1' ? 10 : 1)
      expect(st.lockHoldNs).toHaveLength(era === '6.1' ? 10 : 1)
      putbackMovablePages(m, from)
      folioUnpin(m, pfn)
    })
  }

  it('a speculative get_page_unless_zero reference makes the move fail with -EAGAIN; without it the folio moves', () => {
    m = migrateTestMachine()
    const clock = testClock()
    const [pfn] = isolatedAnonFolios(m, 1)
    expect(getPageUnlessZero(m, pfn)).toBe(true)
    const t = countingTargets(m, clock, testCost)
    const from = [pfn]
    let st = migratePages(m, from, t.getNew, null, {
      mode: 'async',
      reason: 'compaction',
      clock,
      cost: testCost,
    })
    expect(st.retval).toBe(1)
    expect(st.wastedByCause.move).toBe(1)
    folioPut(m, pfn)
    st = migratePages(m, from, t.getNew, null, {
      mode: 'async',
      reason: 'compaction',
      clock,
      cost: testCost,
    })
    expect(st.retval).toBe(0)
    expect(st.nrSucceeded).toBe(1)
  })
})
