/**
 * Seed 002: what compaction should do with a large folio it meets as a migration source.
 * Up to 6.8 it skips every compound page (`PageCompound` → skip the folio's pages), so memory
 * full of mTHPs (64 KiB anonymous folios here) cannot be defragmented at all. Zi Yan's first
 * version split such folios and migrated the order-0 pieces ("split->migrate always works"),
 * at the price of losing the large folio (the process loses its mTHP mapping, and
 * thp_split_page counts it). The merged 6.9 version migrates folios below the requested order
 * whole, with destinations of the same order from the per-order free lists.
 *
 * The workload fills a 256 MiB machine with 64 KiB folios (order 4) and some base pages,
 * frees a random half, then asks for THPs through direct compaction, runs
 * `vm.compact_memory`, and asks again. All variants use 6.9's per-order free lists, so only
 * the large-folio policy differs, and, for folios migrated whole, what 6.12's deferred split
 * does with them: migration unmaps a PTE-mapped mTHP one PTE at a time, so it is found
 * partially mapped and queued; 6.12.y requeues the destination as partially mapped
 * (`migrate`), mainline before the 2026 fix does not (`migrate-norequeue`); the deferred split
 * shrinker that reclaim runs splits what is queued.
 *
 * Run it:  npx mmwb compare resources/examples/seed-002-large-folios/scripts/large-folios.ts
 */
import {
  __GFP_COMP,
  __GFP_NOWARN,
  __GFP_RETRY_MAYFAIL,
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
  design: { 'compaction.freepages': 'per-order' },
}

export const variants: Variants = {
  skip: {
    description: '≤6.8: compound pages are never migration sources',
    design: { 'compaction.largeFolios': 'skip' },
  },
  split: {
    description: 'Zi Yan v1: split the large folio, migrate its pieces',
    design: { 'compaction.largeFolios': 'split' },
  },
  migrate: {
    description:
      '6.9+: migrate large folios whole (6.12.y: destinations requeued for deferred split)',
    design: { 'compaction.largeFolios': 'migrate' },
  },
  'migrate-norequeue': {
    description: 'migrate whole; destinations not requeued (mainline 6.10 to 7.0)',
    design: {
      'compaction.largeFolios': 'migrate',
      'migration.deferredSplitRequeue': 'none',
    },
  },
}

export const seeds: Seeds = [1, 2, 3]

const MTHP_ORDER = 4
const THP_ATTEMPTS = 24
/** hugetlb's `htlb_alloc_mask` plus `__GFP_COMP | __GFP_RETRY_MAYFAIL | __GFP_NOWARN`. */
const GFP_HUGETLB = GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_RETRY_MAYFAIL | __GFP_NOWARN

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
  // 1. Fill: nine in ten allocations are 64 KiB mTHPs, the rest base pages.
  const folios: Folio[] = []
  for (let i = 0; ; i++) {
    const f = k.allocPages(GFP_HIGHUSER_MOVABLE, i % 10 === 9 ? 0 : MTHP_ORDER)
    if (!f) {
      const g = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
      if (!g) break
      folios.push(g)
      continue
    }
    folios.push(f)
  }
  // 2. Free a random half.
  for (let i = folios.length - 1; i > 0; i--) {
    const j = k.rng.int(i + 1)
    ;[folios[i], folios[j]] = [folios[j], folios[i]]
  }
  for (const f of folios.splice(folios.length >> 1)) k.folioPut(f)
  const mthpsBefore = folios.filter((f) => f.order === MTHP_ORDER).length
  k.progress(0.3)
  await k.sleep(1_000_000)

  // 3. THPs through direct compaction, then after a full compaction.
  const direct = tryThps(k, 'thp_direct')
  k.sysctl.set('vm.compact_memory', 1)
  const kept = (): number =>
    (100 * folios.filter((f) => f.order === MTHP_ORDER).length) / Math.max(1, mthpsBefore)
  k.record('mthp_kept_pct_after_compact_memory', kept())
  const stat = (name: 'split' | 'split_deferred' | 'nr_anon_partially_mapped'): number =>
    k.transparentHugepage.stat('64kB', name)
  k.record('mthp64k_partially_mapped_after_compact_memory', stat('nr_anon_partially_mapped'))
  const after = tryThps(k, 'thp_after_compact_memory')
  k.progress(0.8)

  // 4. A hugetlb pool request, as `echo N > /proc/sys/vm/nr_hugepages` makes it
  //    (alloc_buddy_huge_page: GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_RETRY_MAYFAIL |
  //    __GFP_NOWARN, until the first failure). Unlike THP faults it wakes kswapd and may enter
  //    direct reclaim; reclaim runs the deferred split shrinker (shrink_node → shrink_slab), which
  //    splits what migration left queued as partially mapped.
  const pool: Folio[] = []
  for (let i = 0; i < THP_ATTEMPTS; i++) {
    const hp = k.allocPages(GFP_HUGETLB, HPAGE_PMD_ORDER)
    if (!hp) break
    pool.push(hp)
  }
  k.record('hugepages_obtained', pool.length)
  await k.sleep(10_000_000) // kswapd runs meanwhile
  k.progress(0.9)

  // 5. What happened to the workload's own mTHPs: still 64 KiB folios, or split?
  k.record('mthp_kept_pct', kept())
  k.record('mthp64k_split', stat('split'))
  k.record('mthp64k_split_deferred', stat('split_deferred'))
  for (const f of [...direct, ...after, ...pool, ...folios]) k.folioPut(f)
}
