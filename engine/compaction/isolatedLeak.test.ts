/**
 * Large folios that compaction isolates must come back: migrated, or put back on the LRU with
 * NR_ISOLATED_ANON undone. The case that leaked: 6.9+ compaction (`largeFolios: 'migrate'`,
 * per-order free lists) isolates 64 KiB folios, `compaction_alloc` has no order-4 destination
 * (-ENOMEM), migrate_pages splits them (mm/migrate.c:migrate_pages_batch, try_split_folio) and
 * the order-0 pieces run out of destinations too. Under MIGRATE_SYNC / SYNC_LIGHT the first
 * pass is migrate_pages_sync's async batch, which must count each split large folio as a failure
 * (`nr_failed += astats.nr_split`, a259945efe6a "mm/migrate: correct nr_failed in
 * migrate_pages_sync()"): otherwise migrate_pages returns 0 with pieces left on the list, and
 * compact_zone, which puts back only when err != 0, drops them isolated.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { ALLOC_WMARK_MIN } from '../mm/allocFlags'
import { folioPut } from '../mm/folio'
import { GFP_TRANSHUGE } from '../mm/gfp'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { PAGE_ALLOC, PG_anon, PG_head, PG_INFO, PG_lru } from '../mm/memmap'
import { migrateVmEvents, nrIsolated } from '../migrate/counters'
import { allocPagesDirectCompact, compactMemory } from './entry'
import { anonAt, freeRange, layoutMachine, testEnv } from './testFixtures'
import { COMPACT_PRIO_SYNC_LIGHT } from './types'

let m: Machine
afterEach(() => expect(checkInvariants(m)).toBeNull())

const MTHP_ORDER = 4
const MTHP_AT = [30 * 512, 30 * 512 + 16]
const THP_AT = 29 * 512

/**
 * 64 MiB, one zone of 32 pageblocks. Blocks 0–28: seven free pages in every eight (orders 2, 1,
 * 0; the eighth an unmovable kernel page), so the zone is well above compact_gap(9) but has no
 * free block of order 3 or more. Block 29: a mapped anonymous THP. Block 30: two mapped 64 KiB
 * anonymous folios. Block 31, where the free scanner starts: eight isolated free pages.
 */
function layout(): { freeBefore: number } {
  m = layoutMachine({ sizeMiB: 64, kernelEra: '6.12' })
  for (let p = 0; p < 29 * 512; p += 8) freeRange(m, p, 7)
  anonAt(m, THP_AT, 9)
  for (const pfn of MTHP_AT) anonAt(m, pfn, MTHP_ORDER)
  for (let i = 0; i < 8; i++) freeRange(m, 31 * 512 + 2 * i, 1)
  return { freeBefore: m.zones[0].nrFreePages }
}

const env = () => testEnv({ variants: { freepages: 'per-order', largeFolios: 'migrate' } })

/** Allocated anonymous folio heads (split pieces count as order-0 folios). */
function anonFolios(): number[] {
  const out: number[] = []
  for (let p = 0; p < m.endPfn;) {
    const f = m.pg[p << 2]
    const o = (f & PAGE_ALLOC) !== 0 && (f & PG_head) !== 0 ? m.pg[(p << 2) + PG_INFO] & 0xff : 0
    if ((f & PAGE_ALLOC) !== 0 && (f & PG_anon) !== 0) out.push(p)
    p += 1 << o
  }
  return out
}

function expectNothingIsolated(): void {
  expect(nrIsolated(m, 0)).toEqual({ anon: 0, file: 0 })
  const offLru = anonFolios().filter((p) => (m.pg[p << 2] & PG_lru) === 0)
  expect(offLru).toEqual([])
}

/** Every page is free or in an allocated block: nothing stuck on compaction's private lists. */
function expectPagesAccounted(): void {
  const z = m.zones[0]
  let allocated = 0
  for (let p = z.startPfn; p < z.endPfn;) {
    const f = m.pg[p << 2]
    const o = (f & PAGE_ALLOC) !== 0 && (f & PG_head) !== 0 ? m.pg[(p << 2) + PG_INFO] & 0xff : 0
    if ((f & PAGE_ALLOC) !== 0) allocated += 1 << o
    p += 1 << o
  }
  expect(z.nrFreePages + allocated).toBe(z.managedPages)
}

/** The workload exits: unmap and put every anonymous folio; all of them must be freed. */
function expectWorkloadMemoryReturns(freeBefore: number): void {
  const workloadPages = 512 + 2 * 16
  for (const p of anonFolios()) {
    m.refcount[p] -= m.mapcount[p] - 1
    m.mapcount[p] = 0
    folioPut(m, p)
  }
  expect(m.zones[0].nrFreePages).toBe(freeBefore + workloadPages)
}

describe('compaction with 64 KiB folios and no order-4 destination (6.9+ migrate, per-order)', () => {
  test('compact_memory (MIGRATE_SYNC): split pieces without destinations go back to the LRU', () => {
    const { freeBefore } = layout()
    expect(compactMemory(m, env())).toEqual(['complete'])
    // Eight pieces found order-0 destinations; the other 24 were put back, split (the mTHPs
    // are lost: migrate_pages' last resort). The THP was never a source (pageblock order).
    expect(m.pg[MTHP_AT[0] << 2] & PG_head).toBe(0)
    expect(m.pg[MTHP_AT[1] << 2] & PG_head).toBe(0)
    expect(migrateVmEvents(m).pgmigrate_success).toBe(8)
    expect(m.pg[THP_AT << 2] & PG_head).not.toBe(0)
    expect(m.pg[THP_AT << 2] & PG_lru).not.toBe(0)
    expectNothingIsolated()
    expectPagesAccounted()
    expectWorkloadMemoryReturns(freeBefore)
  })

  test('direct compaction at SYNC_LIGHT for a THP: the same, and the allocation fails', () => {
    const { freeBefore } = layout()
    const r = allocPagesDirectCompact(
      m,
      env(),
      GFP_TRANSHUGE,
      9,
      ALLOC_WMARK_MIN,
      COMPACT_PRIO_SYNC_LIGHT,
    )
    expect(r.pfn).toBe(-1)
    expect(m.pg[MTHP_AT[1] << 2] & PG_head).toBe(0)
    expectNothingIsolated()
    expectPagesAccounted()
    expectWorkloadMemoryReturns(freeBefore)
  })
})
