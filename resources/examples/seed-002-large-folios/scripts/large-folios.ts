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
 * the large-folio policy differs.
 *
 * Run it:  npx mmwb compare resources/examples/seed-002-large-folios/scripts/large-folios.ts
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
    description: '6.9+: migrate large folios whole',
    design: { 'compaction.largeFolios': 'migrate' },
  },
}

export const seeds: Seeds = [1, 2, 3]

const MTHP_ORDER = 4
const THP_ATTEMPTS = 24

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
  const after = tryThps(k, 'thp_after_compact_memory')
  k.progress(0.9)

  // 4. What happened to the workload's own mTHPs: still 64 KiB folios, or split?
  const mthpsAfter = folios.filter((f) => f.order === MTHP_ORDER).length
  k.record('mthp_kept_pct', (100 * mthpsAfter) / Math.max(1, mthpsBefore))
  for (const f of [...direct, ...after, ...folios]) k.folioPut(f)
}
