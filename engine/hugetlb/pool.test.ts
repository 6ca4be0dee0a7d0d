/**
 * mm/hugetlb.c:set_max_huge_pages through the allocation slow path (6.12): issue 10's third
 * bug. A pool grown after an earlier `compact_memory` (whose scans leave skip bits on every
 * block they found nothing in) must still compact: the first direct compaction meets the
 * scanners and asks for a flush (`compact_blockskip_flush`), the kswapd it woke runs at the
 * allocating task's `cond_resched()` and, going to sleep, clears the skip bits
 * (`kswapd_try_to_sleep` → `reset_isolation_suitable`).
 */
import { describe, expect, it } from 'vitest'
import { compactMemory } from '../compaction/entry'
import { compactionState } from '../compaction/state'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { drainAllPages } from '../mm/pcp'
import { vmEventCount } from '../mm/vmstat'
import {
  VM_COMPACTSTALL,
  VM_COMPACTSUCCESS,
  VM_HTLB_BUDDY_PGALLOC,
  VM_HTLB_BUDDY_PGALLOC_FAIL,
} from '../mm/vmstatItems'
import { anonFolio, reclaimTestMachine, testEnv, unmapAndPut } from '../reclaim/testFixtures'
import { type ReclaimEnv } from '../reclaim/types'
import { createHugetlbPool, HUGETLB_PAGE_ORDER, setMaxHugePages } from './pool'

/** A guest-like node: a 16 MiB DMA zone left free and 240 MiB of DMA32, per-cpu lists on. */
function guestLike(): Machine {
  return reclaimTestMachine('6.12', {
    zones: [
      { type: 'DMA', sizeMiB: 16 },
      { type: 'DMA32', sizeMiB: 240 },
    ],
    pcp: true,
  })
}

/** W1: anon pages until `freeLeft` pages are free, then keep `keep` of every `period`. */
function w1(m: Machine, period: number, keep: number, freeLeft: number): void {
  const free = () => m.zones.reduce((a, z) => a + z.nrFreePages, 0)
  const anon: number[] = []
  while (free() > freeLeft) anon.push(anonFolio(m))
  anon.sort((a, b) => a - b)
  anon.forEach((p, i) => {
    if (i % period >= keep) unmapAndPut(m, p)
  })
  drainAllPages(m, null)
}

/** compact_memory on the idle machine, fill and fragment, then write nr_hugepages. */
function run(extfragThreshold: number, over: Partial<ReclaimEnv> = {}) {
  const m = guestLike()
  const env = testEnv({ compaction: { extfragThreshold }, ...over })
  compactMemory(m, { clock: env.clock, cost: env.cost })
  w1(m, 128, 16, 12000)
  const pool = createHugetlbPool()
  const r = setMaxHugePages(m, env, pool, 128)
  expect(checkInvariants(m)).toBeNull()
  return { m, r, pool }
}

describe('set_max_huge_pages after compact_memory (issue 10, third bug)', () => {
  it('direct compaction compacts again and obtains several times the huge pages', () => {
    const off = run(1000) // extfrag_threshold 1000: compaction_suitable() refuses
    const on = run(500)
    expect(vmEventCount(off.m, VM_COMPACTSTALL)).toBe(0)
    expect(vmEventCount(on.m, VM_COMPACTSUCCESS)).toBeGreaterThan(20)
    expect(on.r.nrHugepages).toBeGreaterThanOrEqual(3 * off.r.nrHugepages)
    // The loop stops at the first failure, which counts one htlb_buddy_alloc_fail.
    expect(on.pool.buddyAllocFail).toBe(1)
    expect(on.pool.buddyAllocSuccess).toBe(on.r.allocated)
    expect(vmEventCount(on.m, VM_HTLB_BUDDY_PGALLOC)).toBe(on.r.allocated)
    expect(vmEventCount(on.m, VM_HTLB_BUDDY_PGALLOC_FAIL)).toBe(1)
  })

  it('without the cond_resched that lets kswapd run, nothing clears the skip bits', () => {
    // The model before the fix: kswapd (woken, given up before any direct compactor asked
    // for a flush) never resets, so the pool gets what the free lists held.
    const stuck = run(500, { onCondResched: () => {} })
    const off = run(1000)
    expect(stuck.r.nrHugepages).toBe(off.r.nrHugepages)
    expect(compactionState(stuck.m).blockskipFlush[1]).toBe(1)
  })

  it('shrinking the pool frees the huge pages to the buddy allocator', () => {
    const { m, pool } = run(1000)
    const before = m.zones.reduce((a, z) => a + z.nrFreePages, 0)
    const n = pool.pages.length
    const r = setMaxHugePages(m, testEnv(), pool, 0)
    expect(r).toEqual({ nrHugepages: 0, allocated: 0, freed: n })
    drainAllPages(m, null)
    const after = m.zones.reduce((a, z) => a + z.nrFreePages, 0)
    expect(after - before).toBe(n << HUGETLB_PAGE_ORDER)
    expect(checkInvariants(m)).toBeNull()
  })

  it('rejects a negative count', () => {
    const m = guestLike()
    expect(() => setMaxHugePages(m, testEnv(), createHugetlbPool(), -1)).toThrow(/nr_hugepages/)
  })
})
