/**
 * Seed 004: where CMA's reclaim belongs (Marek Szyprowski's CMA v18, patch 07, 2011, and Mel
 * Gorman's review). Under memory pressure a contiguous allocation needs room for the pages it
 * migrates out. Current kernels (the baseline) get it the way any allocation does: the
 * migration targets come from alloc_migration_target, i.e. the page allocator's slow path,
 * which wakes kswapd and reclaims directly; isolated pageblocks are exempt from the watermark
 * check when the range's free pages are taken (3.8). In 2011 `split_free_page` refused a free
 * block unless the zone kept LOW + 2^order free pages, so under pressure alloc_contig_range
 * migrated the whole range and then failed at the last step. Patch 07 forced reclaim inside the
 * free-page split, with the zone lock held; Mel asked for it to move to the caller: v19–v24
 * (mainline 3.5–3.7) reclaim the range's size with raised watermarks before isolating.
 *
 * The workload fills a 256 MiB machine with clean page cache (what reclaim can drop) and
 * some anonymous memory, so the zone sits near its watermarks, and a camera driver asks its
 * 64 MiB CMA area for 4 MiB buffers, keeping a few and releasing the others. The historical
 * variants use the 2011 watermark rule (`contig.splitWatermark: 'low-2011'`) and differ in
 * where reclaim runs. Charts: cma_alloc outcomes over time, cma_alloc_latency_ns, pages
 * migrated per request, pages reclaimed, and the time spent below the MIN watermark.
 *
 * Run it:  npx mmwb compare resources/examples/seed-004-cma-reclaim/scripts/cma-reclaim.ts
 */
import {
  __GFP_DIRECT_RECLAIM,
  __GFP_KSWAPD_RECLAIM,
  GFP_HIGHUSER_MOVABLE,
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
  cma: [{ name: 'camera', sizeMiB: 64 }],
}

export const variants: Variants = {
  'current-kernel': {
    description:
      'current kernels (3.8+): reclaim through alloc_migration_target only; isolated blocks exempt from the watermark',
    design: { 'contig.reclaim': 'migration-target', 'contig.splitWatermark': 'isolated-exempt' },
  },
  'in-split-free-page': {
    description: 'CMA v18 patch 07: forced reclaim inside split_free_page (zone lock held)',
    design: { 'contig.reclaim': 'in-split-free-page', 'contig.splitWatermark': 'low-2011' },
  },
  'in-alloc-contig-range': {
    description: 'v19–v24 after review (3.5–3.7): the caller reclaims before isolating',
    design: { 'contig.reclaim': 'in-alloc-contig-range', 'contig.splitWatermark': 'low-2011' },
  },
}

export const seeds: Seeds = [1, 2, 3]

const BUFFER_PAGES = 1024 // 4 MiB
const REQUESTS = 12
/** GFP_HIGHUSER_MOVABLE without __GFP_RECLAIM: take free memory only. */
const FILL_GFP = GFP_HIGHUSER_MOVABLE & ~(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

export default async function (k: Kernel) {
  // 1. Memory pressure: about 3 in 4 pages clean page cache, 1 in 4 anonymous (drawn at
  //    random), until allocation fails. The fill neither reclaims nor wakes kswapd (a GFP
  //    without __GFP_RECLAIM), so the page cache stays for the variants' reclaim to find.
  const cache: Folio[] = []
  const anon: Folio[] = []
  for (;;) {
    const isAnon = k.rng.int(4) === 0
    const f = isAnon ? k.allocPages(FILL_GFP, 0) : k.filemapAddFolio(0, FILL_GFP)
    if (!f) break
    ;(isAnon ? anon : cache).push(f)
  }
  k.record('free_pages_at_start', k.vmstat('nr_free_pages'))
  k.progress(0.2)

  // 2. The driver: buffers of 4 MiB, 2 MiB aligned; every third one is kept.
  const kept: number[] = []
  for (let i = 0; i < REQUESTS; i++) {
    const r = k.cma.alloc('camera', BUFFER_PAGES, 9)
    k.record('cma_alloc_ok', r.pfn === null ? 0 : 1)
    k.record('reclaimed_pages', r.nrReclaimed)
    k.record('below_min_ns', r.belowMinNs)
    if (r.pfn !== null) {
      if (i % 3 === 0) kept.push(r.pfn)
      else k.cma.release('camera', r.pfn, BUFFER_PAGES)
    }
    k.record('free_pages', k.vmstat('nr_free_pages'))
    k.progress(0.2 + (0.8 * (i + 1)) / (REQUESTS + 1))
    await k.sleep(5_000_000)
  }
  const area = k.cma.areas()[0]
  k.record('area_alloc_pages_success', area.allocPagesSuccess)
  k.record('area_alloc_pages_fail', area.allocPagesFail)
  for (const pfn of kept) k.cma.release('camera', pfn, BUFFER_PAGES)
  for (const f of anon) k.folioPut(f)
  // Page cache dropped by reclaim is gone already; truncate what is left.
  for (const f of cache) if (k.folioRefCount(f) > 0) k.filemapRemoveFolio(f)
}
