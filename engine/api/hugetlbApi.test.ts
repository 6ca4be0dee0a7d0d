/**
 * `vm.nr_hugepages` through the workload API (mm/hugetlb.c:set_max_huge_pages on 6.12): a write
 * grows the 2 MiB pool until the count or the first failed `alloc_pool_huge_folio`, through the
 * slow path's direct compaction unless `compaction_suitable()` refuses (extfrag_threshold 1000,
 * batch2's `direct_compact 0`); reading gives what was obtained; a lower count frees pool pages.
 */
import { describe, expect, it } from 'vitest'
import { GFP_HIGHUSER_MOVABLE } from '../mm'
import type { Folio, Kernel } from './mmwb'
import { runModule } from './runModule.testutil'

/** Fill with movable order-0 folios, keep one in eight (pfn order), free the rest. */
function fragment(k: Kernel): void {
  const all: Folio[] = []
  for (let f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0); f; f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0))
    all.push(f)
  all.sort((a, b) => a.pfn - b.pfn)
  all.forEach((f, i) => i % 8 !== 7 && k.folioPut(f))
}

async function hugepages(extfrag: number): Promise<Record<string, number>> {
  const seen: Record<string, number> = {}
  await runModule({
    machine: { memoryMiB: 64, nrCpus: 1, kernelEra: '6.12' },
    default(k) {
      fragment(k)
      k.sysctl.set('vm.extfrag_threshold', extfrag)
      k.sysctl.set('vm.nr_hugepages', 64)
      seen.obtained = k.sysctl.get('vm.nr_hugepages')
      seen.stall = k.vmstat('compact_stall')
      k.sysctl.set('vm.nr_hugepages', 0)
      seen.after = k.sysctl.get('vm.nr_hugepages')
      expect(() => k.sysctl.set('vm.nr_hugepages', -1)).toThrow(/Invalid argument/)
    },
  })
  return seen
}

describe('vm.nr_hugepages', () => {
  it('direct compaction obtains huge pages the free lists did not hold; writing 0 empties the pool', async () => {
    const off = await hugepages(1000)
    const on = await hugepages(500)
    expect(off.stall).toBe(0)
    expect(on.stall).toBeGreaterThan(0)
    expect(on.obtained).toBeGreaterThan(off.obtained)
    expect(off.after).toBe(0)
    expect(on.after).toBe(0)
  })
})
