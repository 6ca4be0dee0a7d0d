/**
 * mm/page_alloc.c:__alloc_pages_slowpath: the order of its steps and where each kind of request
 * gives up.
 */
import { describe, expect, it } from 'vitest'
import { deferCompaction } from '../compaction/deferral'
import { freePages } from '../mm/free'
import {
  __GFP_NOFAIL,
  __GFP_NORETRY,
  GFP_KERNEL,
  GFP_TRANSHUGE,
  GFP_TRANSHUGE_LIGHT,
} from '../mm/gfp'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { NO_PAGE } from '../mm/memmap'
import { traceSubscribe } from '../mm/trace'
import { reclaimEventCount, reclaimTraceSubscribe } from './counters'
import { allocPagesReclaim } from './slowpath'
import {
  anonFolio,
  fileFolio,
  fillUntilFree,
  reclaimTestMachine,
  testEnv,
  unmapAndPut,
} from './testFixtures'

/** Memory full of order-0 anon folios (no swap: unreclaimable), then every other one of the
 * last `nrHoles * 2` freed: `nrHoles` free pages, none of them mergeable. */
function fragmented(m: Machine, nrHoles: number): number[] {
  const anon = fillUntilFree(m, 0, () => anonFolio(m))
  const sorted = [...anon].sort((a, b) => a - b)
  const holes = sorted.slice(sorted.length - 2 * nrHoles).filter((p) => p % 2 === 0)
  for (const p of holes) unmapAndPut(m, p)
  return anon
}

describe('__alloc_pages_slowpath', () => {
  it('THP (GFP_TRANSHUGE | __GFP_NORETRY) gives up when async compaction is SKIPPED, without reclaim', () => {
    const m = reclaimTestMachine()
    fragmented(m, 400)
    const env = testEnv()
    const r = allocPagesReclaim(m, GFP_TRANSHUGE | __GFP_NORETRY, 9, env)
    expect(r).toMatchObject({
      pfn: NO_PAGE,
      path: 'fail',
      lastCompactResult: 'skipped',
      compactStalls: 0,
    })
    expect(r.directReclaimStalls).toBe(0)
    expect(reclaimEventCount(m, 'allocstall_normal')).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })

  it('… and when compaction for the order is DEFERRED', () => {
    const m = reclaimTestMachine()
    fragmented(m, 2000)
    deferCompaction(m, 0, 9)
    const r = allocPagesReclaim(m, GFP_TRANSHUGE | __GFP_NORETRY, 9, testEnv())
    expect(r).toMatchObject({ pfn: NO_PAGE, path: 'fail', lastCompactResult: 'deferred' })
    expect(r.directReclaimStalls).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })

  it('GFP_TRANSHUGE_LIGHT (no direct reclaim) fails after the free lists alone', () => {
    const m = reclaimTestMachine()
    fragmented(m, 2000)
    const r = allocPagesReclaim(m, GFP_TRANSHUGE_LIGHT, 9, testEnv())
    expect(r).toMatchObject({
      path: 'fail',
      compactStalls: 0,
      directReclaimStalls: 0,
      lastCompactResult: null,
    })
  })

  it('order 0 below MIN: direct reclaim (kswapd left to the scheduler) or kswapd inline', () => {
    const m = reclaimTestMachine()
    // Just below MIN: one SWAP_CLUSTER_MAX round of reclaim is enough.
    fillUntilFree(m, m.zones[0].wmarkMin - 5, () => fileFolio(m))
    const env = testEnv()
    const r = allocPagesReclaim(m, GFP_KERNEL, 0, env)
    expect(r.path).toBe('direct-reclaim')
    expect(r.directReclaimStalls).toBe(1)
    expect(r.latencyNs).toBe(env.clock.nowNs)
    expect(reclaimEventCount(m, 'allocstall_normal')).toBe(1)
    freePages(m, r.pfn, 0)

    const m2 = reclaimTestMachine()
    fillUntilFree(m2, 10, () => fileFolio(m2))
    const r2 = allocPagesReclaim(m2, GFP_KERNEL, 0, testEnv({ kswapdMode: 'inline' }))
    expect(r2).toMatchObject({ path: 'kswapd', kswapdWakes: 1, directReclaimStalls: 0 })
    expect(m2.zones[0].nrFreePages).toBeGreaterThan(m2.zones[0].wmarkHigh)
    expect(checkInvariants(m)).toBeNull()
    expect(checkInvariants(m2)).toBeNull()
  })

  it('unmovable order 3: early async compaction, then direct reclaim, then compaction', () => {
    const m = reclaimTestMachine()
    // Interleaved anon (unreclaimable without swap) and clean page cache: reclaim frees only
    // isolated pages, compaction has to make the order-3 block.
    let i = 0
    const all = fillUntilFree(m, 0, () => (i++ % 2 === 0 ? anonFolio(m) : fileFolio(m)))
    for (let k = 0; k < 5; k++) unmapAndPut(m, all[1000 * k])
    const steps: string[] = []
    traceSubscribe(m, 'mm_compaction_try_to_compact_pages', (e) =>
      steps.push(`compact:${(e as unknown as { prio: number }).prio}`),
    )
    reclaimTraceSubscribe(m, 'mm_vmscan_direct_reclaim_begin', () => steps.push('reclaim'))
    const r = allocPagesReclaim(m, GFP_KERNEL, 3, testEnv())
    expect(r.pfn).not.toBe(NO_PAGE)
    expect(steps.slice(0, 2)).toEqual(['compact:2', 'reclaim'])
    expect(steps.length).toBeGreaterThanOrEqual(3)
    expect(r.path).toBe('direct-compaction')
    expect(checkInvariants(m)).toBeNull()
  })

  it('costly GFP_KERNEL without __GFP_RETRY_MAYFAIL gives up after one reclaim + compaction round', () => {
    const m = reclaimTestMachine()
    fragmented(m, 30)
    const r = allocPagesReclaim(m, GFP_KERNEL, 4, testEnv())
    expect(r).toMatchObject({
      path: 'fail',
      directReclaimStalls: 1,
      reclaimRetries: 0,
      oomKills: [],
    })
  })

  it('order 0 with nothing reclaimable: OOM kill when a victim exists, else failure', () => {
    const m = reclaimTestMachine()
    const anon = fillUntilFree(m, 10, () => anonFolio(m))
    const r = allocPagesReclaim(m, GFP_KERNEL, 0, testEnv())
    expect(r.path).toBe('fail')
    expect(reclaimEventCount(m, 'oom_kill')).toBe(0)
    const victim = anon.splice(0, 1000)
    const r2 = allocPagesReclaim(
      m,
      GFP_KERNEL,
      0,
      testEnv({
        oomKill: () => {
          for (const p of victim) unmapAndPut(m, p)
          return { pid: 42, comm: 'hog', freedPages: victim.length }
        },
      }),
    )
    expect(r2.path).toBe('oom')
    expect(r2.oomKills).toEqual([{ pid: 42, comm: 'hog', freedPages: 1000 }])
    expect(reclaimEventCount(m, 'oom_kill')).toBe(1)
    expect(checkInvariants(m)).toBeNull()
  })

  it('__GFP_NORETRY order 0 stops after one direct reclaim, without OOM', () => {
    const m = reclaimTestMachine()
    fillUntilFree(m, 10, () => anonFolio(m))
    let called = false
    const r = allocPagesReclaim(
      m,
      GFP_KERNEL | __GFP_NORETRY,
      0,
      testEnv({ oomKill: () => ((called = true), null) }),
    )
    expect(r).toMatchObject({ path: 'fail', directReclaimStalls: 1 })
    expect(called).toBe(false)
  })

  it('__GFP_NOFAIL with nothing to kill gets the reserves from the OOM path', () => {
    const m = reclaimTestMachine()
    fillUntilFree(m, 10, () => anonFolio(m))
    const r = allocPagesReclaim(m, GFP_KERNEL | __GFP_NOFAIL, 0, testEnv())
    expect(r.pfn).not.toBe(NO_PAGE)
    expect(r.path).toBe('oom')
    expect(reclaimEventCount(m, 'oom_kill')).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })
})
