/**
 * Seed 000: compaction and large folios (Zi Yan, "enable large folio support in compaction",
 * 2024). Up to 6.8 the free scanner's pages are split to order 0 (`split_map_pages`) and
 * compaction skips every compound page as a migration source, so memory full of mTHPs cannot
 * be compacted. 6.9 keeps free pages per order (`cc->freepages[order]`, split on demand in
 * `compaction_alloc`) and migrates large folios whole. The review of v3 caught a race:
 * `compaction_free` did `folio_set_count(dst, 0)` on a destination it got back, but a
 * speculative `get_page_unless_zero` (a PFN walker on another CPU) may hold a reference on it;
 * the merged version uses `folio_put_testzero` and loses the page instead.
 *
 * The workload fills a 256 MiB machine with anonymous order-0 and order-2 folios plus a few
 * page-cache folios that a reader holds (migration of those fails with -EAGAIN after the
 * destination was allocated, so they are what `compaction_free` gets back), frees a random
 * 3/4 of the memory, then asks for THPs through the allocation slow path (direct compaction),
 * runs `vm.compact_memory`, and asks again. A PFN walker takes a reference on every
 * destination compaction hands out and drops them at the end.
 *
 * Run it:  npx mmwb compare resources/examples/seed-000-compaction-folios/scripts/compaction-folios.ts
 */
import {
  GFP_HIGHUSER_MOVABLE,
  GFP_TRANSHUGE,
  HPAGE_PMD_ORDER,
  type Folio,
  type Kernel,
  type MachineSpec,
  type Seeds,
  type Variants,
} from 'mmwb'

export const machine: MachineSpec = {
  memoryMiB: 256,
  nrCpus: 2,
  kernelEra: '6.12',
  pcp: false,
  debugVm: true,
}

export const variants: Variants = {
  'v6.8': {
    description: '≤6.8: free pages split to order 0, compound pages skipped',
    design: { 'compaction.freepages': 'order0-split', 'compaction.largeFolios': 'skip' },
  },
  'v6.9': {
    description: '6.9+: per-order free lists, large folios migrated whole, folio_put_testzero',
    design: {
      'compaction.freepages': 'per-order',
      'compaction.largeFolios': 'migrate',
      'compaction.freeRefcount': 'put-testzero',
    },
  },
  'v3-2of3-nosplit': {
    description:
      'Zi Yan v3 2/3: per-order free lists without splitting; with no order-0 page isolated, compaction_alloc returns NULL and compaction ends with -ENOMEM',
    design: {
      'compaction.freepages': 'per-order-nosplit',
      'compaction.largeFolios': 'migrate',
      // The merged refcount rule, so that the -ENOMEM hazard shows on its own.
      'compaction.freeRefcount': 'put-testzero',
    },
  },
  'v3-set-count-zero': {
    description: 'Zi Yan v3: compaction_free does folio_set_count(dst, 0)',
    design: {
      'compaction.freepages': 'per-order',
      'compaction.largeFolios': 'migrate',
      'compaction.freeRefcount': 'set-count-zero',
    },
    // The race corrupts a page's reference count: the checker must fire, naming it.
    expect: { invariantViolation: true },
  },
}

export const seeds: Seeds = [1, 2, 3]

/** THP allocations attempted in each phase. */
const THP_ATTEMPTS = 16

function tryThps(k: Kernel, series: string): Folio[] {
  const got: Folio[] = []
  for (let i = 0; i < THP_ATTEMPTS; i++) {
    const thp = k.allocPages(GFP_TRANSHUGE, HPAGE_PMD_ORDER)
    if (thp) got.push(thp)
  }
  k.record(series, got.length)
  return got
}

export default async function (k: Kernel) {
  // 1. Page-cache folios a reader holds, spread through memory: compaction isolates them
  //    (they have a mapping), migration then refuses them with -EAGAIN.
  const cache: Folio[] = []
  const folios: Folio[] = []
  for (let i = 0; i < 256; i++) {
    const f = k.filemapAddFolio(0)
    if (!f) break
    k.folioGet(f)
    cache.push(f)
    for (let j = 0; j < 63; j++) {
      const a = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
      if (a) folios.push(a)
    }
  }
  // 2. Fill the rest: 3 in 4 allocations order-0, 1 in 4 order-2 (an mTHP), all anonymous.
  for (let i = 0; ; i++) {
    const f = k.allocPages(GFP_HIGHUSER_MOVABLE, i % 4 === 3 ? 2 : 0)
    if (!f) break
    folios.push(f)
  }
  k.progress(0.2)

  // 3. Free a random 3/4 of the anonymous folios (seeded Fisher-Yates): free memory is everywhere, in small pieces.
  for (let i = folios.length - 1; i > 0; i--) {
    const j = k.rng.int(i + 1)
    ;[folios[i], folios[j]] = [folios[j], folios[i]]
  }
  const keep = folios.length >> 2
  for (const f of folios.splice(keep)) k.folioPut(f)
  k.record('free_mib', k.vmstat('nr_free_pages') / 256)
  await k.sleep(1_000_000)

  // 4. The speculative walker meets every destination compaction hands out from now on.
  k.pfnWalker.armCompactionTargets(1 << 30)

  // 5. THPs through the slow path: direct compaction (async, then sync-light).
  const direct = tryThps(k, 'thp_direct')
  k.progress(0.5)

  // 6. vm.compact_memory, then THPs again from the free lists.
  k.sysctl.set('vm.compact_memory', 1)
  const after = tryThps(k, 'thp_after_compact_memory')
  k.record('mapcount_kept_ok', folios.every((f) => k.folioMapcount(f) === 1) ? 1 : 0)
  k.progress(0.8)

  // 7. Later, the walker drops its references (the race's second half).
  await k.sleep(1_000_000)
  k.record('walker_refs', k.pfnWalker.release())
  for (const f of [...direct, ...after, ...folios]) k.folioPut(f)
  for (const f of cache) {
    k.folioPut(f)
    k.filemapRemoveFolio(f)
  }
}
