/**
 * Workload helpers for compaction experiments, tests and the compact-16g benchmark: fill a
 * machine with order-0 anonymous LRU folios (as page faults would) and unmap a pfn pattern of
 * them, leaving the free memory fragmented into isolated pages.
 */
import { allocPages } from '../mm/alloc'
import { GFP_HIGHUSER_MOVABLE } from '../mm/gfp'
import { type Machine } from '../mm/machine'
import { NO_PAGE } from '../mm/memmap'
import { drainAllPages } from '../mm/pcp'
import { makeAnonLruFolio } from '../migrate/anonFolio'
import { folioPutLru } from '../migrate/isolate'

/**
 * Allocate GFP_HIGHUSER_MOVABLE order-0 folios, each mapped once, until the machine's free
 * pages fall to `Σ high watermark + marginPages` (or allocation fails). Returns a per-pfn map
 * (1 = a folio of ours) and the count.
 */
export function fillWithAnonFolios(
  m: Machine,
  marginPages: number,
): { mine: Uint8Array; nrFolios: number } {
  const mine = new Uint8Array(m.endPfn)
  let target = marginPages
  for (const z of m.zones) target += z.wmarkHigh
  let free = 0
  for (const z of m.zones) free += z.nrFreePages
  let nrFolios = 0
  // Per-cpu pages are not counted free; draining at the end keeps the count honest.
  while (free > target) {
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    if (pfn === NO_PAGE) break
    makeAnonLruFolio(m, pfn, 1)
    mine[pfn] = 1
    nrFolios++
    if ((nrFolios & 1023) === 0) {
      free = 0
      for (const z of m.zones) free += z.nrFreePages
    }
  }
  drainAllPages(m, null)
  return { mine, nrFolios }
}

/**
 * Unmap and free our folios except one in every `keepEvery` in pfn order (7 of 8 freed for
 * `keepEvery = 8`): the one at position `keepIndex` of each group (default the last). Then
 * drain the per-cpu lists. Returns the number still allocated.
 *
 * Which one is kept matters to the free scanner: with the first of each 8 kept (pfns ≡ 0 mod 8),
 * every pfn the scanner visits at its widest stride (32, from a block start) is a kept page, so
 * once the stride has grown on five empty blocks in one isolate_freepages call it never meets a
 * free page again. The kernel does the same (freeScannerStride.test.ts); any other phase, like
 * the calibration guest's pfns ≡ 5 mod 8 (docs/calibration.md), puts free buddies there.
 */
export function freeAllButEveryNth(
  m: Machine,
  mine: Uint8Array,
  keepEvery: number,
  keepIndex = keepEvery - 1,
): number {
  let i = 0
  let kept = 0
  for (let pfn = 0; pfn < m.endPfn; pfn++) {
    if (mine[pfn] === 0) continue
    if (i++ % keepEvery === keepIndex) {
      kept++
      continue
    }
    mine[pfn] = 0
    m.mapcount[pfn] = 0
    folioPutLru(m, pfn)
  }
  drainAllPages(m, null)
  return kept
}
