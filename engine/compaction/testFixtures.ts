/**
 * Exact machine layouts for compaction's unit tests: one ZONE_NORMAL of `sizeMiB` booted
 * 'allocated' (every page an unmovable kernel page), on which a test places free blocks,
 * anonymous LRU folios and page flags pfn by pfn.
 */
import { createMachine, initFreeBlock } from '../mm/boot'
import { type KernelEra, parseMachineConfig } from '../mm/config'
import { type Machine } from '../mm/machine'
import { PAGE_ALLOC, PG_head, PG_INFO } from '../mm/memmap'
import { makeAnonLruFolio, makeFileLruFolio } from '../migrate/anonFolio'
import { createSimClock } from '../migrate/simClock'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { type CompactEnv } from './types'

export function layoutMachine(
  opts: { sizeMiB?: number; kernelEra?: KernelEra; pcp?: boolean } = {},
): Machine {
  return createMachine(
    parseMachineConfig({
      zones: [{ nid: 0, type: 'Normal', sizeMiB: opts.sizeMiB ?? 64 }],
      boot: 'allocated',
      minFreeKbytes: 128,
      thpRecommendedMinFree: false,
      pcp: opts.pcp ?? false,
      debugVm: true,
      kernelEra: opts.kernelEra ?? '6.12',
    }),
  )
}

/** Free `[pfn, pfn + nrPages)` as the largest aligned buddies (no merging with neighbours). */
export function freeRange(m: Machine, pfn: number, nrPages: number): void {
  const end = pfn + nrPages
  while (pfn < end) {
    let o = m.maxOrder
    while (o > 0 && ((pfn & ((1 << o) - 1)) !== 0 || pfn + (1 << o) > end)) o--
    initFreeBlock(m, pfn, o)
    pfn += 1 << o
  }
}

/** Turn the kernel placeholders `[pfn, pfn + 2^order)` into a fresh folio (refcount 1). */
function freshFolio(m: Machine, pfn: number, order: number): void {
  m.pg[pfn << 2] = order > 0 ? PAGE_ALLOC | PG_head : PAGE_ALLOC
  m.pg[(pfn << 2) + PG_INFO] = order
  m.refcount[pfn] = 1
  for (let p = pfn + 1; p < pfn + (1 << order); p++) {
    m.pg[p << 2] = 0
    m.pg[(p << 2) + PG_INFO] = 0
    m.refcount[p] = 0
  }
}

/** An anonymous LRU folio of `order` at `pfn`, mapped once. */
export function anonAt(m: Machine, pfn: number, order = 0): void {
  freshFolio(m, pfn, order)
  makeAnonLruFolio(m, pfn, 1)
}

/** A page-cache LRU folio of `order` at `pfn`, unmapped. */
export function fileAt(m: Machine, pfn: number, order = 0): void {
  freshFolio(m, pfn, order)
  makeFileLruFolio(m, pfn, 0)
}

export function testEnv(extra: Partial<CompactEnv> = {}): CompactEnv {
  return { clock: createSimClock(), cost: DEFAULT_COST_MODEL, ...extra }
}
