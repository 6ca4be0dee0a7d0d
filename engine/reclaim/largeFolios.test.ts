// Calibration case w4_612_m64_p128k16's mechanism, scaled down to a 64 MiB machine: memory
// filled with 64 KiB anonymous folios (hugepages-64kB/enabled=always, defrag=never), one folio
// in eight kept, `compact_memory`, then a reclaim pass. On 6.12.117 compaction moves the folios
// whole (6.9+ `compaction.largeFolios: 'migrate'`), migration leaves every moved folio queued as
// partially mapped (try_to_migrate's PTE-by-PTE unmap + the 6.12.y destination requeue), and the
// deferred split shrinker that the reclaim pass runs splits them; the folios compaction did not
// move stay whole. On 6.1 compaction skips compound pages and nothing is queued or split.
import { describe, expect, it } from 'vitest'
import { compactMemory } from '../compaction/entry'
import { testEnv as compactTestEnv } from '../compaction/testFixtures'
import {
  checkInvariants,
  deferredSplitCount,
  folioTestPartiallyMapped,
  mthpStat,
  NO_PAGE,
  type Machine,
} from '../mm'
import { allocPages } from '../mm/alloc'
import { folioOrder } from '../mm/folio'
import { __GFP_COMP, GFP_KERNEL } from '../mm/gfp'
import { onFolioMoved } from '../migrate/counters'
import { migratePages } from '../migrate/migratePages'
import { type DeferredSplitRequeue } from '../migrate/types'
import { doAnonymousPage, mapNewAnonFolio, vmaThpGfpMask } from './anonFault'
import { tryToFreePages } from './directReclaim'
import { reclaimTestMachine, testEnv, unmapAndPut } from './testFixtures'

interface W4Result {
  kept: number
  wholeAfterFragment: number
  moved: number
  wholeAfterCompact: number
  queuedPartial: number
  /** hugepages-64kB/stats after compact_memory. */
  nrAnonPartiallyMapped: number
  splitDeferred: number
  wholeAfterReclaim: number
  wholeUnmovedAfterReclaim: number
  /** Folios compaction tried but failed to move: unmapped PTE by PTE, so queued all the same. */
  unmovedQueued: number
  /** Folios compaction did not move and left whole and unqueued (a failed large-folio migration
   * may split its source instead: migrate_pages_batch's -ENOMEM split). */
  unmovedWholeAfterCompact: number
  m: Machine
}

/** One 64 KiB anon fault: 6.12's mTHP path; on 6.1 (no anon mTHP) the same folio made by hand. */
function fault64k(m: Machine, era: '6.1' | '6.12'): number {
  const alloc = (gfp: number, order: number): number => allocPages(m, gfp, order)
  if (era === '6.12') return doAnonymousPage(m, alloc, { orders: [4], defrag: 'never' })
  const pfn = alloc(vmaThpGfpMask('never') | __GFP_COMP, 4)
  if (pfn !== NO_PAGE) mapNewAnonFolio(m, pfn, 4)
  return pfn
}

/** Fill with 64 KiB folios until one falls back, keep one in eight, compact, reclaim. */
function w4(era: '6.1' | '6.12', requeue?: DeferredSplitRequeue): W4Result {
  const m = reclaimTestMachine(era)
  const folios: number[] = []
  for (;;) {
    const pfn = fault64k(m, era)
    if (pfn === NO_PAGE) break
    if (folioOrder(m, pfn) !== 4) {
      unmapAndPut(m, pfn)
      break
    }
    folios.push(pfn)
  }
  // P=128 K=16: the first folio of every eight stays; the others are zapped and freed.
  const kept = folios.filter((_, i) => i % 8 === 0)
  for (const [i, f] of folios.entries()) if (i % 8 !== 0) unmapAndPut(m, f)
  // Follow the kept folios as compaction moves them (engine/api's handles do the same).
  const where = new Map(kept.map((h) => [h, h]))
  const byPfn = new Map(kept.map((h) => [h, h]))
  const moved = new Set<number>()
  onFolioMoved(m, (src, dst) => {
    const k = byPfn.get(src)
    if (k === undefined) return
    byPfn.delete(src)
    byPfn.set(dst, k)
    where.set(k, dst)
    moved.add(k)
  })
  const whole = (): number => [...where.values()].filter((p) => folioOrder(m, p) === 4).length
  const wholeAfterFragment = whole()
  const env = compactTestEnv()
  compactMemory(m, {
    ...env,
    migratePages: (mm, from, getNew, putNew, opts) =>
      migratePages(mm, from, getNew, putNew, { ...opts, deferredSplitRequeue: requeue }),
  })
  const wholeAfterCompact = whole()
  const queuedPartial = [...where.values()].filter(
    (p) => folioOrder(m, p) === 4 && folioTestPartiallyMapped(m, p),
  ).length
  const unmovedQueued = [...where.entries()].filter(
    ([k, p]) => !moved.has(k) && folioOrder(m, p) === 4 && folioTestPartiallyMapped(m, p),
  ).length
  const unmovedWholeAfterCompact = [...where.entries()].filter(
    ([k, p]) => !moved.has(k) && folioOrder(m, p) === 4 && !folioTestPartiallyMapped(m, p),
  ).length
  const nrAnonPartiallyMapped = mthpStat(m, 4, 'nr_anon_partially_mapped')
  const splitDeferred = mthpStat(m, 4, 'split_deferred')
  // A reclaim pass that finds nothing to reclaim (anon only, no swap): priority 12 → 0.
  tryToFreePages(m, GFP_KERNEL, 0, testEnv())
  const wholeUnmovedAfterReclaim = [...where.entries()].filter(
    ([k, p]) => !moved.has(k) && folioOrder(m, p) === 4,
  ).length
  return {
    kept: kept.length,
    wholeAfterFragment,
    moved: moved.size,
    wholeAfterCompact,
    queuedPartial,
    nrAnonPartiallyMapped,
    splitDeferred,
    wholeAfterReclaim: whole(),
    wholeUnmovedAfterReclaim,
    unmovedQueued,
    unmovedWholeAfterCompact,
    m,
  }
}

describe('w4_612_m64_p128k16, scaled down (64 MiB)', () => {
  it('6.12: compaction moves 64 KiB folios whole, leaves them queued as partially mapped, and reclaim splits them', () => {
    const r = w4('6.12')
    expect(r.wholeAfterFragment).toBe(r.kept)
    expect(r.kept).toBeGreaterThan(100)
    // Most kept folios sat in pageblocks compaction empties, and moved whole.
    expect(r.moved).toBeGreaterThan(r.kept / 2)
    expect(r.wholeAfterCompact).toBeGreaterThan(0.9 * r.kept)
    // Every folio moved whole is queued as partially mapped, none of the others is.
    expect(r.queuedPartial).toBeGreaterThan(0.9 * r.moved)
    // A folio whose migration failed after try_to_migrate's PTE-by-PTE unmap stays queued too
    // (remove_migration_ptes maps it back but leaves the partially-mapped flag).
    expect(r.queuedPartial).toBeLessThanOrEqual(r.moved + r.unmovedQueued)
    expect(r.nrAnonPartiallyMapped).toBe(r.queuedPartial)
    // Twice per folio moved whole: the source in try_to_migrate, the destination's requeue.
    expect(r.splitDeferred).toBeGreaterThanOrEqual(2 * r.queuedPartial)
    // The reclaim pass runs the shrinker: the moved folios are split, the others stay whole.
    expect(r.wholeAfterReclaim).toBe(r.wholeUnmovedAfterReclaim)
    expect(r.wholeUnmovedAfterReclaim).toBe(r.unmovedWholeAfterCompact)
    expect(r.unmovedWholeAfterCompact).toBeGreaterThan(0.9 * (r.kept - r.moved))
    expect(deferredSplitCount(r.m, 0)).toBe(0)
    expect(mthpStat(r.m, 4, 'nr_anon_partially_mapped')).toBe(0)
    expect(checkInvariants(r.m)).toBeNull()
  })

  it("6.12 without the destination requeue ('none'): the moved folios escape the shrinker", () => {
    const r = w4('6.12', 'none')
    expect(r.moved).toBeGreaterThan(r.kept / 2)
    expect(r.queuedPartial).toBe(0)
    expect(r.wholeAfterReclaim).toBe(r.wholeAfterCompact)
    expect(checkInvariants(r.m)).toBeNull()
  })

  it('6.1: compaction skips compound pages; nothing is queued, every folio stays whole', () => {
    const r = w4('6.1')
    expect(r.moved).toBe(0)
    expect(r.queuedPartial).toBe(0)
    expect(r.wholeAfterReclaim).toBe(r.kept)
    expect(deferredSplitCount(r.m, 0)).toBe(0)
    expect(checkInvariants(r.m)).toBeNull()
  })
})
