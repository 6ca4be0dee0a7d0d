/**
 * reserveRangeFromBuddy on a machine whose memory is in the buddy allocator (the API's boot):
 * the pages it takes off the free lists lose their buddy order, as
 * mm/page_alloc.c:del_page_from_free_list clears it (`set_page_private(page, 0)`), so the
 * reserved range reads as order-0 pages: virtio-mem's not-yet-plugged pages are PageOffline
 * order-0 pages (drivers/virtio/virtio_mem.c:virtio_mem_set_fake_offline), never an order-10
 * block. Found by the workload-API fuzzer (engine/fuzz, issue 10, seed 2): every run with a
 * virtio-mem region not fully plugged ended with `overlapping-blocks` at the region start.
 */
import { describe, expect, it } from 'vitest'
import { runModule } from '../api/runModule.testutil'
import { checkInvariants, createMachine, parseMachineConfig } from '../mm'
import { PAGE_TYPE_OFFLINE, pageOrder } from '../mm/memmap'
import { reserveRangeFromBuddy } from './placement'

describe('reserveRangeFromBuddy (memblock-style reservation out of the buddy)', () => {
  it('reserved pages of a split order-10 buddy are order 0 (del_page_from_free_list)', () => {
    const m = createMachine(parseMachineConfig({ memoryMiB: 128, debugVm: true, pcp: false }))
    const start = 16384 // an order-10 free buddy's head
    reserveRangeFromBuddy(m, start + 512, start + 3072, PAGE_TYPE_OFFLINE)
    reserveRangeFromBuddy(m, start + 4096, start + 8192, PAGE_TYPE_OFFLINE)
    for (const p of [start + 512, start + 1024, start + 4096, start + 5120])
      expect(pageOrder(m, p)).toBe(0)
    expect(checkInvariants(m)).toBeNull()
  })

  it('a run with a virtio-mem region half plugged ends without a violation', async () => {
    const out = await runModule({
      machine: { memoryMiB: 512, debugVm: true, virtioMem: { regionMiB: 128, requestedMiB: 64 } },
      default: () => {},
    })
    expect(out.violation).toBeUndefined()
    expect(checkInvariants(out.m)).toBeNull()
  })
})
