/**
 * `freePages` frees what the allocation took, as mm/page_alloc.c:__free_pages(page, order)
 * does with the order its caller allocated with. Found by the workload-API fuzzer (engine/fuzz,
 * issue 10): a non-compound GFP_KERNEL block of order > 0 was freed as order 0 (its handle's
 * order was `folio_order`, 0 for a page without __GFP_COMP), so only the first page went back
 * and the rest belonged to no block (`page-state`, or `bad-order` under debugVm).
 */
import { describe, expect, it } from 'vitest'
import { checkInvariants } from '../mm'
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL, GFP_TRANSHUGE_LIGHT } from '../mm/gfp'
import type { Folio, Kernel } from './mmwb'
import { runModule } from './runModule.testutil'

describe('freePages of a non-compound block (__free_pages(page, order))', () => {
  it('a GFP_KERNEL order-2 block: the handle reports order 2 and freePages returns all 4 pages', async () => {
    let before = 0
    let after = 0
    let order = -1
    let nrPages = -1
    const out = await runModule({
      machine: { memoryMiB: 128, debugVm: true, pcp: false },
      default: (k: Kernel) => {
        before = k.vmstat('nr_free_pages')
        const f = k.allocPages(GFP_KERNEL, 2) as Folio
        order = f.order
        nrPages = f.nrPages
        k.freePages(f)
        after = k.vmstat('nr_free_pages')
      },
    })
    expect([order, nrPages]).toEqual([2, 4])
    expect(after).toBe(before)
    expect(checkInvariants(out.m)).toBeNull()
  })

  it('an anon folio whose mapping a folioPut dropped is freed through folio_put, off the LRU', async () => {
    // Found by the fuzzer (seed 199): folioGet + folioPut (which drops the default process's
    // mapping, the allocation's reference) then freePages took __free_pages on an LRU folio:
    // bad-page (PG_lru is in PAGE_FLAGS_CHECK_AT_FREE, mm/page_alloc.c:free_page_is_bad).
    let before = 0
    let after = 0
    const out = await runModule({
      machine: { memoryMiB: 128, debugVm: true, pcp: false },
      default: (k: Kernel) => {
        before = k.vmstat('nr_free_pages')
        const f = k.allocPages(GFP_TRANSHUGE_LIGHT, 5) as Folio
        k.folioGet(f)
        k.folioPut(f)
        k.freePages(f)
        after = k.vmstat('nr_free_pages')
      },
    })
    expect(after).toBe(before)
    expect(checkInvariants(out.m)).toBeNull()
  })

  it("issue 10's reproducer: every 8th GFP_KERNEL, orders 0/1/2, every other one freed", async () => {
    const out = await runModule({
      machine: { memoryMiB: 128 },
      default: (k: Kernel) => {
        const kept: Folio[] = []
        for (let i = 0; i < 6000; i++) {
          const f = k.allocPages(i % 8 === 0 ? GFP_KERNEL : GFP_HIGHUSER_MOVABLE, i % 3)
          if (f) kept.push(f)
        }
        for (let i = 0; i < kept.length; i += 2) k.freePages(kept[i])
      },
    })
    expect(out.violation).toBeUndefined()
    expect(checkInvariants(out.m)).toBeNull()
  })
})
