/**
 * Two machines in one process must not share allocator state. The kernel keeps
 * `rmqueue_bulk`'s `rmqueue_mode`, `find_suitable_fallback`'s `*can_steal` and
 * `move_freepages_block`'s counts in locals of the running CPU; the model keeps them on the
 * Machine. Machine A runs a seeded workload alone, then again while machine B allocates and frees
 * between A's operations and inside A's tracepoint callbacks (in the middle of A's
 * `rmqueue_bulk` and `__rmqueue_fallback`): A must hand out exactly the same pages, and both
 * machines must pass the invariant checker throughout.
 */
import { describe, expect, it } from 'vitest'
import { allocPages, allocPagesFlags } from './alloc'
import { ALLOC_NO_WATERMARKS } from './allocFlags'
import { createMachine } from './boot'
import { type KernelEra, parseMachineConfig } from './config'
import { folioSetFlags } from './folio'
import { freePages } from './free'
import { GFP_ATOMIC, GFP_HIGHUSER_MOVABLE, GFP_KERNEL, __GFP_COMP, __GFP_RECLAIMABLE } from './gfp'
import { checkInvariants } from './invariants'
import { type Machine, setCurrentCpu } from './machine'
import { NO_PAGE, PG_lru } from './memmap'
import { MIGRATE_MOVABLE } from './migratetype'
import { getPfnblockMigratetype } from './pageblock'
import { drainAllPages } from './pcp'
import { traceSubscribe } from './trace'

const GFPS = [
  GFP_KERNEL,
  GFP_KERNEL | __GFP_RECLAIMABLE,
  GFP_HIGHUSER_MOVABLE | __GFP_COMP,
  GFP_ATOMIC,
]

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function machine(era: KernelEra): Machine {
  return createMachine(
    parseMachineConfig({
      zones: [{ type: 'Normal', sizeMiB: 64 }],
      nrCpus: 2,
      pcp: true,
      debugVm: true,
      kernelEra: era,
    }),
  )
}

/** A seeded mix of allocations (mostly unmovable/reclaimable, to force fallbacks) and frees. */
class Workload {
  private readonly rand: () => number
  private readonly held: [pfn: number, order: number][] = []
  constructor(
    private readonly m: Machine,
    seed: number,
  ) {
    this.rand = rng(seed)
  }

  /** One operation; returns the allocated pfn, NO_PAGE, or -2 for a free. */
  step(): number {
    const { m, rand, held } = this
    setCurrentCpu(m, rand() < 0.5 ? 0 : 1)
    if (held.length > 0 && rand() < 0.4) {
      const i = Math.floor(rand() * held.length)
      const [pfn, order] = held[i]
      held[i] = held[held.length - 1]
      held.pop()
      freePages(m, pfn, order)
      return -2
    }
    const gfp = GFPS[Math.floor(rand() * GFPS.length)]
    const order = rand() < 0.7 ? 0 : Math.floor(rand() * 4)
    const pfn = allocPages(m, gfp, order)
    if (pfn !== NO_PAGE) held.push([pfn, order])
    return pfn
  }
}

function expectClean(m: Machine, who: string): void {
  const v = checkInvariants(m)
  expect(v, `${who}: ${v?.rule} ${v?.message}`).toBeNull()
}

function runA(era: KernelEra, interleave: boolean): number[] {
  const a = machine(era)
  const wa = new Workload(a, 42)
  const b = interleave ? machine(era) : undefined
  const wb = b ? new Workload(b, 7) : undefined
  if (wb) {
    // B runs inside A's rmqueue_bulk/__rmqueue_smallest and inside A's fallback paths.
    traceSubscribe(a, 'mm_page_alloc_zone_locked', () => wb.step())
    traceSubscribe(a, 'mm_page_alloc_extfrag', () => {
      wb.step()
      wb.step()
    })
  }
  const out: number[] = []
  for (let i = 0; i < 1500; i++) {
    out.push(wa.step())
    if (wb) wb.step()
    if (i % 100 === 99) {
      expectClean(a, 'A')
      if (b) expectClean(b, 'B')
    }
  }
  expectClean(a, 'A')
  if (b) expectClean(b, 'B')
  return out
}

describe('two machines in one process keep separate allocator state', () => {
  it.each<KernelEra>(['6.1', '6.10', '6.15'])(
    '%s: interleaving machine B changes nothing on machine A',
    (era) => {
      const alone = runA(era, false)
      expect(alone.filter((p) => p >= 0).length).toBeGreaterThan(500)
      expect(runA(era, true)).toEqual(alone)
    },
  )
})

describe("rmqueue_bulk's rmqueue_mode is the refilling CPU's own (mm/page_alloc.c:__rmqueue, 6.15)", () => {
  /**
   * Every page is an LRU page except scattered order-0 holes: pageblocks 0-15 have one free
   * page in eight (not claimable: movable pages fill more than half the block), pageblock 20
   * has every other page free (claimable: free pages make half the block). The head of the
   * order-0 MOVABLE list is a hole in pageblock 0, then the holes of pageblock 20.
   */
  function fragmented(): Machine {
    const m = machine('6.15')
    m.pcpEnabled = false
    const pb = m.pageblockNrPages
    for (;;) {
      const pfn = allocPagesFlags(m, GFP_HIGHUSER_MOVABLE, 0, ALLOC_NO_WATERMARKS)
      if (pfn === NO_PAGE) break
    }
    const hole = (p: number) =>
      (p < 16 * pb && p % 8 === 0) || (p >= 20 * pb && p < 21 * pb && p % 2 === 0)
    for (let p = 0; p < m.endPfn; p++) if (!hole(p)) folioSetFlags(m, p, PG_lru, true)
    for (let p = 16 * pb - 8; p > 0; p -= 8) freePages(m, p, 0)
    for (let p = 20 * pb; p < 21 * pb; p += 2) freePages(m, p, 0)
    freePages(m, 0, 0)
    drainAllPages(m, m.zones[0])
    m.pcpEnabled = true
    expectClean(m, 'setup')
    return m
  }

  it('after a steal, the rest of the batch steals and does not claim, even if another machine allocates in between', () => {
    const refill = (withOther: boolean): Machine => {
      const a = fragmented()
      if (withOther) {
        const b = machine('6.15')
        traceSubscribe(a, 'mm_page_alloc_extfrag', () => {
          allocPages(b, GFP_KERNEL, 0)
        })
      }
      // An unmovable order-0 request refills the per-cpu list with a batch of __rmqueue calls.
      expect(allocPages(a, GFP_KERNEL, 0)).toBe(0)
      expectClean(a, 'A')
      return a
    }
    const pb20 = 20 * 512
    expect(getPfnblockMigratetype(refill(false), pb20)).toBe(MIGRATE_MOVABLE)
    expect(getPfnblockMigratetype(refill(true), pb20)).toBe(MIGRATE_MOVABLE)
  })
})
