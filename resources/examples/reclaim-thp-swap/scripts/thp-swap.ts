/**
 * Seed 002's other half: "swap will split folios in order to swap them". A workload whose
 * anonymous memory is all large folios (2 MiB THPs and 64 KiB mTHPs) grows past RAM on a machine
 * with swap, so reclaim (kswapd and direct reclaim) must swap large folios out. What happens to
 * a large folio then is the design question:
 * - `split`: every large folio is split before swap-out (no THP_SWAP; zswap up to 6.12);
 * - `pmd-only` (≤6.9 with CONFIG_THP_SWAP): a PMD-sized THP swaps whole into a free 2 MiB swap
 *   cluster; an mTHP, or a THP when no cluster is free, is split (`thp_swpout_fallback`);
 * - `any-order` (6.10+, mTHP swap-out): any large folio swaps whole into an aligned run of free
 *   slots in one cluster; split only when none exists.
 * Swap-in is order 0 in every variant (6.1's do_swap_page), so a large folio that went to swap
 * comes back as base pages either way; what differs is the swap-out's cost and how much of
 * the workload's memory is still large folios while it stays resident.
 *
 * Run it:  npx mmwb compare resources/examples/reclaim-thp-swap/scripts/thp-swap.ts
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
  swap: { sizeMiB: 512 },
}

export const variants: Variants = {
  split: {
    description: 'split every large folio before swap-out',
    design: { 'swap.largeFolios': 'split' },
  },
  'pmd-only': {
    description: '≤6.9 THP_SWAP: PMD folios swap whole, mTHPs split',
    design: { 'swap.largeFolios': 'pmd-only' },
  },
  'any-order': {
    description: '6.10+: any large folio swaps whole',
    design: { 'swap.largeFolios': 'any-order' },
  },
}

export const seeds: Seeds = [1, 2, 3]

const MTHP_ORDER = 4
/** Anonymous memory the workload maps: 1.5 times the machine's RAM. */
const TOTAL_MIB = 384
/** The share of the folios it keeps touching (its hot set), most recent first. */
const HOT_SHARE = 0.25

function nrLarge(folios: Folio[]): number {
  let n = 0
  for (const f of folios) if (!f.swapped && f.order > 0) n += f.nrPages
  return n
}

export default async function (k: Kernel) {
  const folios: Folio[] = []
  let pages = 0
  const target = TOTAL_MIB * 256
  // 1. Grow 2 MiB at a time, as one THP or as 32 64-KiB mTHPs (a coin toss each time); the
  //    hot set is the newest quarter, touched after every 2 MiB (PTE accessed bits, which
  //    reclaim's folio_referenced reads).
  for (let step = 0; pages < target; step++) {
    const batch: (Folio | null)[] =
      k.rng.int(2) === 0
        ? [k.allocPages(GFP_TRANSHUGE, HPAGE_PMD_ORDER)]
        : Array.from({ length: 32 }, () => k.allocPages(GFP_HIGHUSER_MOVABLE, MTHP_ORDER))
    for (const f of batch) {
      if (!f) continue
      folios.push(f)
      pages += f.nrPages
    }
    const hot = Math.floor(folios.length * HOT_SHARE)
    for (let i = folios.length - hot; i < folios.length; i++) k.touch(folios[i])
    // Let kswapd run concurrently (a real workload would be doing other work here).
    await k.sleep(200_000)
    k.progress((0.7 * pages) / target)
  }
  const resident = folios.filter((f) => !f.swapped)
  k.record('swapped_out_pct', (100 * (folios.length - resident.length)) / folios.length)
  k.record('large_resident_pct', (100 * nrLarge(folios)) / Math.max(1, pages))
  k.record('pswpout', k.vmstat('pswpout'))
  k.record('thp_swpout', k.vmstat('thp_swpout'))
  k.record('thp_swpout_fallback', k.vmstat('thp_swpout_fallback'))
  k.record('thp_split_page', k.vmstat('thp_split_page'))
  k.record('pgsteal_kswapd', k.vmstat('pgsteal_kswapd'))
  k.record('pgsteal_direct', k.vmstat('pgsteal_direct'))

  // 2. Walk the oldest half again: each swapped piece is a major fault (swap-in, order 0).
  let majorFaults = 0
  const t0 = k.now()
  for (const f of folios.slice(0, folios.length >> 1)) if (k.touch(f)) majorFaults++
  k.record('major_faults', majorFaults)
  k.record('cold_walk_ms', (k.now() - t0) / 1e6)
  k.record('large_after_walk_pct', (100 * nrLarge(folios)) / Math.max(1, pages))
  k.progress(0.95)
  for (const f of folios) k.freePages(f)
}
