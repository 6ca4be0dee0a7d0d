/**
 * fragmentation.ts: unmovable allocations landing in movable pageblocks.
 *
 * 1. Fill most of a small machine with movable order-0 pages (GFP_HIGHUSER_MOVABLE).
 * 2. Free a random 30% of them: every pageblock now has scattered free pages, none is free
 *    as a whole.
 * 3. Allocate unmovable pages (GFP_KERNEL). Their own free lists are soon empty, so the
 *    allocator falls back to the movable lists (`__rmqueue_fallback`, or in 6.15+
 *    `__rmqueue_claim` then `__rmqueue_steal`), claiming a movable pageblock when at least
 *    half of it is free or compatible, otherwise stealing single blocks: each
 *    mm_page_alloc_extfrag event with `fragmenting` set leaves an unmovable page inside a
 *    movable pageblock, which compaction can never clear.
 * 4. Count how many order-9 (THP-sized) blocks can still be allocated.
 *
 * The variants compare the allocator with and without per-cpu page lists.
 *
 * Run it:  npx mmwb run resources/examples/fragmentation.ts --seed 2
 *          npx mmwb proc resources/examples/fragmentation.ts pagetypeinfo
 *          npx mmwb compare resources/examples/fragmentation.ts
 */
import {
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  GFP_TRANSHUGE_LIGHT,
  HPAGE_PMD_ORDER,
  type Folio,
  type Kernel,
  type MachineSpec,
  type Seeds,
  type Variants,
} from 'mmwb'

export const machine: MachineSpec = { memoryMiB: 128, nrCpus: 2 }

/**
 * Per-cpu page lists batch order-0 frees and refills: with them, freed pages reach the buddy
 * lists later and in different places, which changes where the fallbacks land.
 */
export const variants: Variants = {
  pcp: { description: 'per-cpu page lists (every kernel)', machine: { pcp: true } },
  nopcp: { description: 'straight to the buddy lists', machine: { pcp: false } },
}

export const seeds: Seeds = [1, 2, 3]

export default async function (k: Kernel) {
  // 1. fill
  const movable: Folio[] = []
  for (;;) {
    const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
    if (!f) break
    movable.push(f)
  }
  k.progress(0.25)
  await k.sleep(1_000_000)

  // 2. free a random 30% (Fisher-Yates over the list, seeded)
  for (let i = movable.length - 1; i > 0; i--) {
    const j = k.rng.int(i + 1)
    ;[movable[i], movable[j]] = [movable[j], movable[i]]
  }
  for (const f of movable.splice(0, Math.floor(movable.length * 0.3))) k.folioPut(f)
  k.record('nr_free_pages', k.vmstat('nr_free_pages'))
  k.progress(0.5)
  await k.sleep(1_000_000)

  // 3. unmovable allocations fall back into movable pageblocks
  let fallbacks = 0
  let fragmenting = 0
  const off = k.trace.on('mm_page_alloc_extfrag', (ev) => {
    fallbacks++
    if (ev.fields.fragmenting) fragmenting++
  })
  for (let i = 0; i < 4000; i++) {
    if (!k.allocPages(GFP_KERNEL, 0)) break
    if (i % 500 === 0) {
      k.record('extfrag_fallbacks', fallbacks)
      await k.sleep(100_000)
    }
  }
  off()
  k.record('extfrag_fallbacks', fallbacks)
  k.record('fragmenting_fallbacks', fragmenting)
  k.progress(0.75)
  console.log(`fallbacks: ${fallbacks}, of which fragmenting: ${fragmenting}`)

  // 4. what is left for THP?
  let thps = 0
  while (k.allocPages(GFP_TRANSHUGE_LIGHT, HPAGE_PMD_ORDER)) thps++
  k.record('thp_allocated', thps)
  k.progress(1)
  console.log(`order-${HPAGE_PMD_ORDER} allocations that still succeeded: ${thps}`)
  console.log(k.proc.pagetypeinfo())
  console.log(k.extfrag.unusableIndex())
}
