/**
 * Seed 003: alloc_contig_range at pageblock granularity (Zi Yan, "Use pageblock_order for
 * cma and alloc_contig_range alignment", 5.19). Up to 5.18 alloc_contig_range isolated the
 * range widened to MAX_ORDER blocks (`pfn_max_align_down/up`, 4 MiB on x86_64), because the
 * buddy allocator could merge a free page across the isolated boundary; CMA areas and
 * virtio-mem sub-blocks were MAX_ORDER-sized for the same reason. 5.19 isolates only the
 * range's own pageblocks and handles the boundary blocks with `isolate_single_pageblock`
 * (splitting free pages and migrating compound pages that straddle it).
 *
 * The workload fills a 512 MiB machine with anonymous memory and some unmovable kernel pages,
 * frees a random third, then: a driver allocates 2 MiB buffers from a 32 MiB CMA area, a
 * gigantic-page-style allocator asks alloc_contig_range for 2 MiB ranges at random
 * pageblocks, and the hypervisor shrinks a 128 MiB virtio-mem device to 64 MiB and back while
 * the memory is in use. Last, with everything freed, a driver takes all the memory it can with
 * GFP_KERNEL and the display driver asks for its whole CMA area: under the ≤5.17 merge rule
 * (`buddy.mergeRule: 'isolate-only'`) with a CMA area that is only pageblock-aligned, a CMA
 * pageblock that shares a MAX_ORDER block with a MOVABLE one merges with it, kernel pages end up
 * in it, and the area can no longer be allocated (seed 003 hazard (a)). Charts: outcomes over
 * time (cma_alloc.*, alloc_contig_range.*, virtio_mem.*), latency histograms, pages migrated
 * per request, CMA pageblocks left.
 *
 * Run it:  npx mmwb compare resources/examples/seed-003-contig-alignment/scripts/contig-alignment.ts
 */
import {
  __GFP_DIRECT_RECLAIM,
  __GFP_KSWAPD_RECLAIM,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  GFP_TRANSHUGE_LIGHT,
  HPAGE_PMD_ORDER,
  MIGRATE_MOVABLE,
  PAGEBLOCK_NR_PAGES,
  type Folio,
  type Kernel,
  type MachineSpec,
  type Seeds,
  type Variants,
} from 'mmwb'

const device = { regionMiB: 128, startMiB: 256, memoryBlockMiB: 32, requestedMiB: 128 }

export const machine: MachineSpec = {
  memoryMiB: 512,
  nrCpus: 2,
  kernelEra: '6.12',
  pcp: false,
  cma: [{ name: 'display', sizeMiB: 32 }],
  virtioMem: device,
}

/**
 * The pageblock variants place the CMA area at 470–502 MiB (below the memmap boot reserves at
 * the top), 2 MiB off MAX_ORDER alignment, which 5.19+ allows and
 * ≤5.18 refused: its first and last pageblocks share a MAX_ORDER block with a MOVABLE one.
 */
const cmaPageblockAligned = [{ name: 'display', sizeMiB: 32, baseMiB: 470 }]

export const variants: Variants = {
  'max-order': {
    description: '≤5.18: isolate whole MAX_ORDER (4 MiB) blocks; MAX_ORDER virtio-mem sub-blocks',
    design: { 'contig.alignment': 'max-order' },
    machine: { virtioMem: { ...device, sbAlignment: 'max-order' } },
  },
  pageblock: {
    description: '5.19+: pageblock (2 MiB) granularity with isolate_single_pageblock',
    design: { 'contig.alignment': 'pageblock' },
    machine: { virtioMem: { ...device, sbAlignment: 'pageblock' }, cma: cmaPageblockAligned },
  },
  'pageblock-pre-5.18-merge': {
    description:
      'pageblock granularity with the ≤5.17 __free_one_page (only isolation stops a merge): hazard (a)',
    design: { 'contig.alignment': 'pageblock', 'buddy.mergeRule': 'isolate-only' },
    machine: { virtioMem: { ...device, sbAlignment: 'pageblock' }, cma: cmaPageblockAligned },
  },
  'pageblock-isolate-bit': {
    description:
      'pageblock granularity with isolation as a standalone PB_migrate_isolate bit (Zi Yan, 2025)',
    design: { 'contig.alignment': 'pageblock', 'isolation.representation': 'flag' },
    machine: { virtioMem: { ...device, sbAlignment: 'pageblock' }, cma: cmaPageblockAligned },
  },
}

export const seeds: Seeds = [1, 2, 3]

const BUFFER_PAGES = 512
const CONTIG_REQUESTS = 16
/** GFP_KERNEL without __GFP_RECLAIM: kernel pages from free memory only. */
const KERNEL_NORECLAIM = GFP_KERNEL & ~(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

/** CMA pageblocks, from /proc/pagetypeinfo's "Number of blocks type" table. */
function cmaPageblocks(k: Kernel): number {
  const lines = k.proc.pagetypeinfo().split('\n')
  const h = lines.findIndex((l) => l.startsWith('Number of blocks type'))
  const col = lines[h].trim().split(/\s+/).indexOf('CMA') - 4
  let n = 0
  for (const l of lines.slice(h + 1)) {
    const m = /^Node\s+\d+, zone\s+\S+\s+(.*)$/.exec(l)
    if (m) n += Number(m[1].trim().split(/\s+/)[col])
  }
  return n
}

export default async function (k: Kernel) {
  // 1. Unmovable pageblocks that share a MAX_ORDER block with a movable one, as a machine
  //    that has run for a while has them: take memory as THPs, give back one pageblock in
  //    four (an odd one, whose MAX_ORDER buddy stays allocated) and let a driver fill it with
  //    kernel pages (GFP_KERNEL falls back to that free pageblock and claims it), then give
  //    the rest back.
  const thps: Folio[] = []
  for (;;) {
    const t = k.allocPages(GFP_TRANSHUGE_LIGHT, HPAGE_PMD_ORDER)
    if (!t) break
    thps.push(t)
  }
  thps.sort((a, b) => a.pfn - b.pfn)
  const kernelPages: Folio[] = []
  for (const t of thps) {
    if (t.pfn % (4 * PAGEBLOCK_NR_PAGES) !== PAGEBLOCK_NR_PAGES) continue
    k.folioPut(t)
    for (let j = 0; j < PAGEBLOCK_NR_PAGES; j++) {
      const g = k.allocPages(GFP_KERNEL, 0)
      if (g) kernelPages.push(g)
    }
  }
  for (const t of thps) if (t.pfn % (4 * PAGEBLOCK_NR_PAGES) !== PAGEBLOCK_NR_PAGES) k.folioPut(t)
  // Then anonymous memory everywhere else, and a random third of it freed.
  const anon: Folio[] = []
  for (;;) {
    const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
    if (!f) break
    anon.push(f)
  }
  for (let i = anon.length - 1; i > 0; i--) {
    const j = k.rng.int(i + 1)
    ;[anon[i], anon[j]] = [anon[j], anon[i]]
  }
  for (const f of anon.splice(0, Math.floor(anon.length / 3))) k.folioPut(f)
  k.progress(0.2)

  // 2. The display driver: 2 MiB buffers from its CMA area, half of them kept.
  const area = k.cma.areas()[0]
  const kept: number[] = []
  for (let i = 0; i < 8; i++) {
    const r = k.cma.alloc('display', BUFFER_PAGES, 9)
    k.record('cma_ok', r.pfn === null ? 0 : 1)
    if (r.pfn !== null) {
      if (i % 2 === 0) kept.push(r.pfn)
      else k.cma.release('display', r.pfn, BUFFER_PAGES)
    }
    await k.sleep(1_000_000)
  }
  k.progress(0.4)

  // 3. 2 MiB contiguous ranges (below the CMA area) in movable pageblocks whose MAX_ORDER
  //    buddy pageblock holds
  //    unmovable kernel pages (a gigantic-page or DMA-buffer allocator would meet them all
  //    over a long-running machine).
  const unmovable = new Set(kernelPages.map((g) => Math.floor(g.pfn / PAGEBLOCK_NR_PAGES)))
  const below = Math.floor(area.basePfn / PAGEBLOCK_NR_PAGES)
  const targets: number[] = []
  for (const pb of unmovable) {
    const buddy = pb ^ 1
    if (buddy >= 8 && buddy < below && !unmovable.has(buddy)) targets.push(buddy)
  }
  for (let i = 0; i < CONTIG_REQUESTS && targets.length > 0; i++) {
    const pb = targets.splice(k.rng.int(targets.length), 1)[0]
    const start = pb * PAGEBLOCK_NR_PAGES
    const r = k.allocContigRange(start, start + PAGEBLOCK_NR_PAGES, MIGRATE_MOVABLE)
    k.record('contig_ok', r.ret === 0 ? 1 : 0)
    if (r.ret === 0) k.freeContigRange(start, PAGEBLOCK_NR_PAGES)
    await k.sleep(1_000_000)
  }
  k.progress(0.7)

  // 4. virtio-mem: unplug half of the device under load, then plug it back.
  const down = k.virtioMem.request(64)
  k.record('unplug_done_mib', (down.donePages * 4) / 1024)
  await k.sleep(1_000_000)
  const up = k.virtioMem.request(128)
  k.record('replug_done_mib', (up.donePages * 4) / 1024)

  for (const pfn of kept) k.cma.release('display', pfn, BUFFER_PAGES)
  for (const f of [...anon, ...kernelPages]) k.folioPut(f)
  k.progress(0.85)

  // 5. Hazard (a): with everything free, a driver takes all the memory it can with GFP_KERNEL
  //    (unmovable pages fall back to MOVABLE blocks, claiming whole blocks), then the display
  //    driver asks for its whole area.
  const driver: Folio[] = []
  for (;;) {
    const g = k.allocPages(KERNEL_NORECLAIM, 0)
    if (!g) break
    driver.push(g)
  }
  k.record('cma_pageblocks_left', cmaPageblocks(k))
  const whole = k.cma.alloc('display', area.count, 9)
  k.record('cma_whole_area_ok', whole.pfn === null ? 0 : 1)
  if (whole.pfn !== null) k.cma.release('display', whole.pfn, area.count)
  for (const g of driver) k.folioPut(g)
}
