/**
 * Seed 003 hazard (a), "Different pageblock types (MIGRATE_CMA and !MIGRATE_CMA) in MAX_ORDER - 1
 * page", under the two `__free_one_page` merge rules. A CMA area reserved at pageblock alignment
 * (5.19+, mm/cma.c `CMA_MIN_ALIGNMENT_PAGES`) can share a MAX_ORDER block with a MOVABLE
 * pageblock. Under the ≤5.17 rule (only isolation stops a merge) the free CMA pageblock and its
 * free MOVABLE buddy merge into one order-10 block on the list of whichever was freed last; on
 * the MOVABLE list, an unmovable allocation falling back to it claims the whole block
 * (`steal_suitable_fallback` / 6.12 `try_to_claim_block`: `change_pageblock_range` for
 * `current_order >= pageblock_order`), so the CMA pageblock becomes UNMOVABLE, fills with kernel
 * pages, and cma_alloc fails on it with -EBUSY. Under 5.18+'s rule (Zi Yan, 1dd214b8f21c) the
 * CMA pageblock never merges, stays CMA and is allocated. Hence MAX_ORDER alignment before 5.19.
 */
import { describe, expect, it } from 'vitest'
import { cmaAlloc, cmaReserve } from '../cma'
import {
  ALLOC_NO_WATERMARKS,
  allocPagesFlags,
  checkInvariants,
  createMachine,
  freePages,
  GFP_KERNEL,
  getPfnblockMigratetype,
  MIGRATE_CMA,
  MIGRATE_UNMOVABLE,
  NO_PAGE,
  type KernelEra,
} from '../mm'
import { createSimClock } from '../migrate'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { MIGRATE_API } from './migrateApi'
import { EBUSY } from './types'

const PB = 512
const B0 = 4096
const B1 = B0 + PB

function run(era: KernelEra, isolateOnly: boolean) {
  const m = createMachine({
    zones: [{ type: 'Normal', sizeMiB: 64 }],
    nrCpus: 1,
    pcp: false,
    kernelEra: era,
    boot: 'allocated',
    debugVm: true,
  } as never)
  m.mergeIsolateOnly = isolateOnly
  const [area] = cmaReserve(m, [{ name: 'cam', basePfn: B1, nrPages: PB }], 'pageblock')
  for (let p = B0; p < B1; p++) freePages(m, p, 0)
  const mixedFree = m.nrFree[10]
  let kernelPages = 0
  for (let i = 0; i < 2 * PB; i++) {
    if (allocPagesFlags(m, GFP_KERNEL, 0, ALLOC_NO_WATERMARKS) === NO_PAGE) break
    kernelPages++
  }
  const cmaPbType = getPfnblockMigratetype(m, B1)
  const env = { clock: createSimClock(), cost: DEFAULT_COST_MODEL, migrate: MIGRATE_API }
  const r = cmaAlloc(m, area, PB, 9, env)
  return { m, mixedFree, kernelPages, cmaPbType, r }
}

describe('seed 003 hazard (a): CMA and MOVABLE pageblocks in one MAX_ORDER block', () => {
  for (const era of ['6.1', '6.12'] as KernelEra[]) {
    it(`[${era}] ≤5.17 rule: they merge, an unmovable fallback claims the CMA pageblock, cma_alloc fails -EBUSY`, () => {
      const { m, mixedFree, kernelPages, cmaPbType, r } = run(era, true)
      expect(mixedFree).toBe(1)
      expect(kernelPages).toBe(2 * PB)
      expect(cmaPbType).toBe(MIGRATE_UNMOVABLE)
      expect(r.ret).toBe(-EBUSY)
      expect(checkInvariants(m)).toBeNull()
    })

    it(`[${era}] 5.18+ rule: the CMA pageblock stays apart, unmovable pages stay out, cma_alloc succeeds`, () => {
      const { m, mixedFree, kernelPages, cmaPbType, r } = run(era, false)
      expect(mixedFree).toBe(0)
      expect(kernelPages).toBe(PB)
      expect(cmaPbType).toBe(MIGRATE_CMA)
      expect(r.ret).toBe(0)
      expect(checkInvariants(m)).toBeNull()
    })
  }
})
