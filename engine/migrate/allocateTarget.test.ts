// Variant migration.allocateTarget (seed 001): mm/migrate.c:migrate_folio_unmap allocates the
// destination before folio_trylock(src) (mainline) or after the lock and writeback checks
// (Keith Busch, "mm/migrate: Defer allocating new page until needed").
import { afterEach, describe, expect, it } from 'vitest'
import { checkInvariants, type Machine } from '../mm'
import { pageFlags, setPageFlags } from '../mm/memmap'
import { PG_locked } from '../mm'
import { putbackMovablePages } from './isolate'
import { LockTimeline } from './lockTimeline'
import { migratePages } from './migratePages'
import {
  countingTargets,
  isolatedAnonFolios,
  migrateTestMachine,
  testClock,
  testCost,
} from './testFixtures'
import { type AllocateTarget, type MigrateMode } from './types'

let m: Machine | undefined

afterEach(() => {
  if (m) expect(checkInvariants(m)).toBeNull()
  m = undefined
})

const SLOW_ALLOC_NS = 1_000_000

function run(variant: AllocateTarget, era: string, mode: MigrateMode, lockedEvery = 0) {
  const mach = migrateTestMachine(era)
  m = mach
  const clock = testClock()
  const locks = new LockTimeline()
  const from = isolatedAnonFolios(mach, 8)
  const locked = lockedEvery > 0 ? from.filter((_, i) => i % lockedEvery === 0) : []
  for (const p of locked) setPageFlags(mach, p, pageFlags(mach, p) | PG_locked)
  // Each allocation enters reclaim/compaction for 1 ms of simulated time.
  const t = countingTargets(mach, clock, testCost, { extraNs: SLOW_ALLOC_NS })
  const st = migratePages(mach, from, t.getNew, null, {
    mode,
    reason: 'compaction',
    clock,
    cost: testCost,
    locks,
    allocateTarget: variant,
  })
  for (const p of locked) setPageFlags(mach, p, pageFlags(mach, p) & ~PG_locked)
  putbackMovablePages(mach, from)
  return { st, t, locks }
}

describe('migration.allocateTarget', () => {
  it('per-folio era: after-lock holds the source lock across its slow allocation; before-lock does not', () => {
    const before = run('before-lock', '6.1', 'async')
    const after = run('after-lock', '6.1', 'async')
    expect(before.st.nrSucceeded).toBe(8)
    expect(after.st.nrSucceeded).toBe(8)
    for (const h of before.st.lockHoldNs) expect(h).toBeLessThan(SLOW_ALLOC_NS)
    for (const h of after.st.lockHoldNs) expect(h).toBeGreaterThanOrEqual(SLOW_ALLOC_NS)
    // A task asking for a source's lock while its destination is being allocated waits for
    // the allocation under after-lock (the LockTimeline is what the scheduler consults).
    const hold = after.locks.holds[0]
    expect(after.locks.waitNs(hold.pfn, hold.startNs + 1)).toBeGreaterThanOrEqual(SLOW_ALLOC_NS - 1)
    const bhold = before.locks.holds[0]
    expect(before.locks.waitNs(bhold.pfn, bhold.startNs + 1)).toBeLessThan(SLOW_ALLOC_NS)
  })

  it("batched era: sources stay locked across the later folios' allocations in both variants; after-lock adds its own", () => {
    const before = run('before-lock', '6.12', 'async')
    const after = run('after-lock', '6.12', 'async')
    const n = before.st.lockHoldNs.length
    expect(n).toBe(8)
    for (let i = 0; i < n; i++) {
      // Folio i is locked in the unmap phase while folios i+1..7 get their destinations.
      expect(before.st.lockHoldNs[i]).toBeGreaterThanOrEqual((n - 1 - i) * SLOW_ALLOC_NS)
      expect(before.st.lockHoldNs[i]).toBeLessThan((n - i) * SLOW_ALLOC_NS)
      expect(after.st.lockHoldNs[i] - before.st.lockHoldNs[i]).toBeGreaterThanOrEqual(SLOW_ALLOC_NS)
    }
  })

  for (const era of ['6.1', '6.12']) {
    it(`before-lock wastes a destination per failed lock check; after-lock none (era ${era})`, () => {
      const before = run('before-lock', era, 'async', 2)
      const after = run('after-lock', era, 'async', 2)
      // 4 of 8 folios locked, 10 passes each.
      expect(before.st.wastedByCause.lock).toBe(40)
      expect(before.st.wastedTargets).toBe(40)
      expect(after.st.wastedTargets).toBe(0)
      expect(before.t.given).toHaveLength(44)
      expect(after.t.given).toHaveLength(4)
      expect(before.st.nrSucceeded).toBe(4)
      expect(after.st.nrSucceeded).toBe(4)
      // The wasted allocations cost time: 40 more slow allocations.
      expect(before.st.callNs - after.st.callNs).toBeGreaterThanOrEqual(40 * SLOW_ALLOC_NS)
    })
  }
})

describe('determinism', () => {
  it('the same scenario gives the same results, destinations and memory map', () => {
    const a = run('after-lock', '6.12', 'sync', 3)
    const pgA = Int32Array.from((m as Machine).pg)
    const b = run('after-lock', '6.12', 'sync', 3)
    const pgB = Int32Array.from((m as Machine).pg)
    expect(b.st).toEqual(a.st)
    expect(b.t.given).toEqual(a.t.given)
    expect(b.locks.holds).toEqual(a.locks.holds)
    expect(pgB).toEqual(pgA)
  })
})
