/**
 * Deterministic scenarios for migration tests and examples: a small machine (engine/mm's
 * testMachine: 64 MiB ZONE_NORMAL, one CPU, debugVm on), user folios made movable the way the
 * fault path makes them, isolated as compaction would isolate them, and counting wrappers
 * around the destination callbacks.
 */
import { allocPages } from '../mm/alloc'
import { __GFP_COMP, GFP_HIGHUSER_MOVABLE } from '../mm/gfp'
import { type Machine } from '../mm/machine'
import { NO_PAGE } from '../mm/memmap'
import { testMachine } from '../mm/testing'
import { DEFAULT_COST_MODEL, type CostModel } from '../sched/costModel'
import { makeAnonLruFolio, makeFileLruFolio } from './anonFolio'
import { isolateLruFolio } from './isolate'
import { createSimClock, type SimClock } from './simClock'
import { allocMigrationTarget } from './target'
import { type NewFolioFn, type PutFolioFn } from './types'

export function migrateTestMachine(
  kernelEra: string = '6.12',
  over: Record<string, unknown> = {},
): Machine {
  return testMachine({ kernelEra, ...over })
}

/** Allocate, map (anon, `mappings` times) and isolate `n` folios of `order`; returns their head pfns. */
export function isolatedAnonFolios(m: Machine, n: number, order = 0, mappings = 1): number[] {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE | (order > 0 ? __GFP_COMP : 0), order)
    if (pfn === NO_PAGE) throw new Error('fixture allocation failed')
    makeAnonLruFolio(m, pfn, mappings)
    if (!isolateLruFolio(m, pfn)) throw new Error('fixture isolation failed')
    out.push(pfn)
  }
  return out
}

/** Allocate, add to the page cache (mapped `mappings` times) and isolate one file folio. */
export function isolatedFileFolio(m: Machine, order = 0, mappings = 1): number {
  const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE | (order > 0 ? __GFP_COMP : 0), order)
  if (pfn === NO_PAGE) throw new Error('fixture allocation failed')
  makeFileLruFolio(m, pfn, mappings)
  if (!isolateLruFolio(m, pfn)) throw new Error('fixture isolation failed')
  return pfn
}

export interface Targets {
  getNew: NewFolioFn
  putNew: PutFolioFn | null
  /** Every destination handed out, in order. */
  given: number[]
  /** Calls that returned NO_PAGE. */
  refused: number
}

/**
 * `alloc_migration_target` wrapped to count calls, optionally slowed by `extraNs` per call (an
 * allocation that enters reclaim or compaction) and refusing orders in `refuseOrders`.
 */
export function countingTargets(
  m: Machine,
  clock: SimClock,
  cost: CostModel,
  opt: { extraNs?: number; refuseOrders?: (order: number) => boolean } = {},
): Targets {
  const base = allocMigrationTarget(m, { clock, cost })
  const t: Targets = {
    given: [],
    refused: 0,
    putNew: null,
    getNew: (src, order) => {
      clock.nowNs += opt.extraNs ?? 0
      if (opt.refuseOrders?.(order)) {
        t.refused++
        return NO_PAGE
      }
      const dst = base(src, order)
      if (dst === NO_PAGE) t.refused++
      else t.given.push(dst)
      return dst
    },
  }
  return t
}

export function testClock(): SimClock {
  return createSimClock(0)
}

export const testCost: CostModel = { ...DEFAULT_COST_MODEL }
