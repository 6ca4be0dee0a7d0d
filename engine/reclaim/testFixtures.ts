/**
 * Deterministic scenarios for reclaim tests: engine/mm's 64 MiB test machine, user folios made
 * the way the fault path makes them and put on our LRU lists, and an environment with a fresh
 * clock.
 */
import { allocPagesFlags } from '../mm/alloc'
import { ALLOC_NO_WATERMARKS } from '../mm/allocFlags'
import { folioPut, folioSetFlags } from '../mm/folio'
import { __GFP_COMP, GFP_HIGHUSER_MOVABLE } from '../mm/gfp'
import { type Machine } from '../mm/machine'
import { NO_PAGE, PG_dirty, PG_lru, pageFlags, setPageFlags } from '../mm/memmap'
import { testMachine } from '../mm/testing'
import { makeAnonLruFolio, makeFileLruFolio } from '../migrate/anonFolio'
import { createSimClock } from '../migrate/simClock'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { lruAdd, lruOf, unlinkFolio } from './lru'
import { type ReclaimEnv } from './types'

export function reclaimTestMachine(
  kernelEra = '6.12',
  over: Record<string, unknown> = {},
): Machine {
  return testMachine({ kernelEra, ...over })
}

export function testEnv(extra: Partial<ReclaimEnv> = {}): ReclaimEnv {
  return {
    clock: createSimClock(),
    cost: { ...DEFAULT_COST_MODEL },
    kswapdMode: 'wake-only',
    ...extra,
  }
}

function allocUser(m: Machine, order: number): number {
  const pfn = allocPagesFlags(
    m,
    GFP_HIGHUSER_MOVABLE | (order > 0 ? __GFP_COMP : 0),
    order,
    ALLOC_NO_WATERMARKS,
  )
  if (pfn === NO_PAGE) throw new Error('fixture allocation failed')
  return pfn
}

/** A page-cache folio on the LRU, mapped `mappings` times, optionally dirty. */
export function fileFolio(
  m: Machine,
  order = 0,
  opts: { dirty?: boolean; mappings?: number } = {},
): number {
  const pfn = allocUser(m, order)
  makeFileLruFolio(m, pfn, opts.mappings ?? 0)
  lruAdd(m, pfn)
  if (opts.dirty === true) folioSetFlags(m, pfn, PG_dirty, true)
  return pfn
}

/** An anon folio on the LRU, mapped `mappings` times. */
export function anonFolio(m: Machine, order = 0, mappings = 1): number {
  const pfn = allocUser(m, order)
  makeAnonLruFolio(m, pfn, mappings)
  lruAdd(m, pfn)
  return pfn
}

/** Allocate folios with `make` until the zone's free pages drop to `freePages`. */
export function fillUntilFree(m: Machine, freePages: number, make: () => number): number[] {
  const out: number[] = []
  while (m.zones[0].nrFreePages > freePages) out.push(make())
  return out
}

/** `folio_isolate_lru` as reclaim does it, for driving shrinkFolioList directly. */
export function isolateForReclaim(m: Machine, head: number): void {
  unlinkFolio(m, lruOf(m), head)
  setPageFlags(m, head, pageFlags(m, head) & ~PG_lru)
  m.refcount[head]++
}

/** A process unmapping and freeing its anon folio (zap_pte_range + folio_put). */
export function unmapAndPut(m: Machine, head: number): void {
  m.mapcount[head] = 0
  folioPut(m, head)
}
