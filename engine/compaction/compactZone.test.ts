import { afterEach, describe, expect, test } from 'vitest'
import { type KernelEra } from '../mm/config'
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL, __GFP_COMP } from '../mm/gfp'
import { ALLOC_WMARK_MIN } from '../mm/allocFlags'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { PAGE_ALLOC, PG_anon, PG_head, PG_INFO } from '../mm/memmap'
import { migrateVmEvents } from '../migrate/counters'
import {
  allocPagesDirectCompact,
  compactMemory,
  kcompactdDoWork,
  kcompactdProactiveTick,
  tryToCompactPages,
  wakeupKcompactd,
} from './entry'
import { compactionDeferred } from './deferral'
import { fragmentationScoreNode } from './finished'
import { compactionState, compactionTraceSubscribe, compactionVmstat, COMPACTSTALL } from './state'
import { anonAt, freeRange, layoutMachine, testEnv } from './testFixtures'
import { COMPACT_PRIO_ASYNC, COMPACT_PRIO_SYNC_LIGHT, type CompactionVariants } from './types'

let m: Machine
afterEach(() => expect(checkInvariants(m)).toBeNull())

/**
 * The whole zone fragmented: in every group of 8 pages one anonymous page (the last) is
 * allocated and 7 are free (buddies of order 2, 1, 0); the top block keeps only its last page,
 * so it holds free buddies of orders 8..0. No free block of order ≥ 3 elsewhere.
 */
function fragmented(era: KernelEra, folioAt0 = 0): void {
  m = layoutMachine({ kernelEra: era })
  const top = 16384 - 512
  let p = 0
  if (folioAt0 > 0) {
    anonAt(m, 0, folioAt0)
    p = 1 << folioAt0
  }
  for (; p < top; p += 8) {
    freeRange(m, p, 7)
    anonAt(m, p + 7)
  }
  freeRange(m, top, 511)
  anonAt(m, 16383)
}

function freeBlocksAtLeast(order: number): number {
  let n = 0
  for (let o = order; o <= m.maxOrder; o++) n += m.nrFree[o]
  return n
}

function anonFolios(): { pfn: number; order: number }[] {
  const out: { pfn: number; order: number }[] = []
  for (let p = 0; p < m.endPfn; p++) {
    const f = m.pg[p << 2]
    if ((f & PAGE_ALLOC) !== 0 && (f & PG_head) !== 0 && (f & PG_anon) !== 0)
      out.push({ pfn: p, order: m.pg[(p << 2) + PG_INFO] & 0xff })
  }
  return out
}

describe('compact_zone via compact_memory (mm/compaction.c:compact_node)', () => {
  for (const [era, freepages] of [
    ['6.1', 'order0-split'],
    ['6.12', 'per-order'],
    ['6.12', 'order0-split'],
    ['6.6', 'per-order'],
  ] as const) {
    test(`kernel ${era}, freepages ${freepages}: a fragmented zone yields free order-9 blocks`, () => {
      fragmented(era)
      expect(freeBlocksAtLeast(9)).toBe(0)
      const ends: string[] = []
      compactionTraceSubscribe(m, 'mm_compaction_end', (e) => ends.push(e.status))
      const env = testEnv({ variants: { freepages } })
      const res = compactMemory(m, env)
      expect(res).toEqual(['complete'])
      expect(ends).toEqual(['complete'])
      expect(freeBlocksAtLeast(9)).toBeGreaterThanOrEqual(8)
      const ev = Object.fromEntries(compactionVmstat(m))
      expect(ev.compact_migrate_scanned).toBeGreaterThan(0)
      expect(ev.compact_free_scanned).toBeGreaterThan(0)
      expect(ev.compact_isolated).toBeGreaterThan(migrateVmEvents(m).pgmigrate_success)
      expect(env.clock.nowNs).toBeGreaterThan(0)
    })
  }
})

describe('variant compaction.largeFolios (seeds 000, 002)', () => {
  const cases: [Partial<CompactionVariants>, string][] = [
    [{ largeFolios: 'skip' }, 'stays'],
    [{ largeFolios: 'migrate', freepages: 'per-order' }, 'moves whole'],
    [{ largeFolios: 'split', freepages: 'per-order' }, 'split'],
  ]
  for (const [variants, what] of cases) {
    test(`${variants.largeFolios}: an order-4 anonymous folio ${what}`, () => {
      fragmented('6.12', 4)
      compactMemory(m, testEnv({ variants }))
      const folios = anonFolios()
      if (variants.largeFolios === 'skip') {
        expect(folios).toEqual([{ pfn: 0, order: 4 }])
      } else if (variants.largeFolios === 'migrate') {
        expect(folios.length).toBe(1)
        expect(folios[0].order).toBe(4)
        expect(folios[0].pfn).toBeGreaterThan(8192)
        expect(m.mapcount[folios[0].pfn]).toBe(1)
        expect(migrateVmEvents(m).thp_split_page).toBe(0)
      } else {
        expect(folios).toEqual([])
        expect(m.pg[0] & PAGE_ALLOC).toBe(0) // the old folio's pages were migrated away
      }
    })
  }
})

describe('direct compaction (try_to_compact_pages, __alloc_pages_direct_compact)', () => {
  test('an order-9 request on a fragmented zone: SUCCESS, the page is allocated, compact_stall/success counted', () => {
    fragmented('6.12')
    const tries: string[] = []
    compactionTraceSubscribe(m, 'mm_compaction_try_to_compact_pages', (e) =>
      tries.push(`${e.order} ${e.prio}`),
    )
    const { pfn, result } = allocPagesDirectCompact(
      m,
      testEnv(),
      GFP_HIGHUSER_MOVABLE | __GFP_COMP,
      9,
      ALLOC_WMARK_MIN,
      COMPACT_PRIO_SYNC_LIGHT,
    )
    expect(result).toBe('success')
    expect(pfn).toBeGreaterThanOrEqual(0)
    expect(tries).toEqual(['9 1'])
    const ev = Object.fromEntries(compactionVmstat(m))
    expect([ev.compact_stall, ev.compact_success, ev.compact_fail]).toEqual([1, 1, 0])
    expect(compactionState(m).orderFailed[0]).toBe(10) // compaction_defer_reset(zone, 9, true)
  })

  test('nothing movable to gain: the zone is scanned (COMPLETE), compact_fail counted, the zone deferred', () => {
    m = layoutMachine()
    for (let p = 0; p < 4096; p += 2) freeRange(m, p, 1) // free pages between unmovable kernel pages
    const r = allocPagesDirectCompact(
      m,
      testEnv(),
      GFP_HIGHUSER_MOVABLE,
      9,
      ALLOC_WMARK_MIN,
      COMPACT_PRIO_SYNC_LIGHT,
    )
    expect(r).toEqual({ pfn: -1, result: 'complete' })
    const ev = Object.fromEntries(compactionVmstat(m))
    expect([ev.compact_stall, ev.compact_success, ev.compact_fail]).toEqual([1, 0, 1])
    expect(compactionState(m).deferShift[0]).toBe(1)
    expect(
      tryToCompactPages(
        m,
        testEnv(),
        GFP_HIGHUSER_MOVABLE,
        9,
        ALLOC_WMARK_MIN,
        COMPACT_PRIO_SYNC_LIGHT,
      ),
    ).toBe('deferred')
  })

  test('too little free memory: SKIPPED and no compact_stall; async priority never defers', () => {
    m = layoutMachine()
    freeRange(m, 0, 64)
    const r = allocPagesDirectCompact(
      m,
      testEnv(),
      GFP_HIGHUSER_MOVABLE,
      9,
      ALLOC_WMARK_MIN,
      COMPACT_PRIO_ASYNC,
    )
    expect(r.result).toBe('skipped')
    expect(m.vmEvents[COMPACTSTALL]).toBe(0)
    expect(compactionDeferred(m, 0, 9)).toBe(false)
  })

  test('no __GFP_IO: SKIPPED without looking at the zones', () => {
    fragmented('6.12')
    expect(tryToCompactPages(m, testEnv(), 0, 9, ALLOC_WMARK_MIN, COMPACT_PRIO_SYNC_LIGHT)).toBe(
      'skipped',
    )
  })
})

describe('kcompactd and proactive compaction', () => {
  test('wakeup_kcompactd + kcompactd_do_work compact for the woken order and count compact_daemon_*', () => {
    fragmented('6.12')
    expect(wakeupKcompactd(m, testEnv(), 0, 0, 3)).toBe(false) // order 0 is ignored
    expect(wakeupKcompactd(m, testEnv(), 0, 9, 3)).toBe(true)
    const res = kcompactdDoWork(m, testEnv(), 0)
    expect(res).toEqual(['success'])
    const ev = Object.fromEntries(compactionVmstat(m))
    expect(ev.compact_daemon_wake).toBe(1)
    expect(ev.compact_daemon_migrate_scanned).toBe(ev.compact_migrate_scanned)
    expect(compactionState(m).kcompactdMaxOrder[0]).toBe(0)
  })

  test('proactive: a node score above the high mark (90) runs compaction until the zone is at the low mark (80)', () => {
    fragmented('6.12')
    expect(fragmentationScoreNode(m, 0)).toBe(99)
    const r = kcompactdProactiveTick(m, testEnv(), 0)
    expect(r.ran).toBe(true)
    expect(r.score).toBeLessThanOrEqual(80)
    expect(kcompactdProactiveTick(m, testEnv(), 0).ran).toBe(false)
    expect(kcompactdProactiveTick(m, testEnv({ compactionProactiveness: 0 }), 0).ran).toBe(false)
  })

  test('GFP_KERNEL requests are UNMOVABLE: migratetype drives __compact_finished', () => {
    fragmented('6.12')
    expect(
      tryToCompactPages(m, testEnv(), GFP_KERNEL, 9, ALLOC_WMARK_MIN, COMPACT_PRIO_SYNC_LIGHT),
    ).toBe('success')
  })
})
