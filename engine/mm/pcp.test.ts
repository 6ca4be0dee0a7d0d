import { describe, expect, it } from 'vitest'
import { allocPages } from './alloc'
import { createMachine } from './boot'
import { parseMachineConfig } from './config'
import { freePages } from './free'
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL } from './gfp'
import { checkInvariants } from './invariants'
import { setCurrentCpu } from './machine'
import { NO_PAGE, PAGE_PCP, pageFlags } from './memmap'
import { drainAllPages, zoneBatchsize, zonePcpPages } from './pcp'
import { testMachine } from './testing'
import { traceSubscribe } from './trace'
import { type MmPagePcpuDrainEvent } from './traceTypes'

describe('mm/page_alloc.c:zone_batchsize and zone_highsize', () => {
  it('batch is about 1/4 of min(managed/1024, 256), rounded to 2^n - 1', () => {
    expect(zoneBatchsize(1048576)).toBe(63)
    expect(zoneBatchsize(16384)).toBe(3)
    expect(zoneBatchsize(100)).toBe(0) // rounddown_pow_of_two(1) - 1; the caller uses max(1, batch)
  })
  it('high is the LOW watermark split over the node CPUs, at least 4 * batch', () => {
    const m = createMachine(parseMachineConfig({ memoryMiB: 4096, nrCpus: 4 }))
    const dma32 = m.zones[1]
    expect(dma32.pcpBatch).toBe(63)
    expect(dma32.pcpHigh).toBe(Math.max(Math.floor(dma32.wmarkLow / 4), 63 * 4))
  })
})

describe('mm/page_alloc.c:rmqueue_pcplist / free_unref_page / drain_all_pages', () => {
  it('refills a per-cpu list by a batch; per-cpu pages are not free pages', () => {
    const m = testMachine({ pcp: true, nrCpus: 2 })
    const z = m.zones[0]
    const batch = z.pcpBatch
    const pfn = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    expect(pfn).not.toBe(NO_PAGE)
    expect(z.nrFreePages).toBe(16384 - batch)
    expect(zonePcpPages(m, z)).toBe(batch - 1)
    expect(checkInvariants(m)).toBeNull()
  })

  it('frees go to the current CPU list; drain_all_pages returns them and they merge again', () => {
    const m = testMachine({ pcp: true, nrCpus: 2 })
    const z = m.zones[0]
    const pfns: number[] = []
    for (let i = 0; i < 8; i++) pfns.push(allocPages(m, GFP_KERNEL, 0))
    setCurrentCpu(m, 1)
    for (const p of pfns) freePages(m, p, 0)
    expect(pageFlags(m, pfns[0]) & PAGE_PCP).not.toBe(0)
    const drained: MmPagePcpuDrainEvent[] = []
    traceSubscribe(m, 'mm_page_pcpu_drain', (ev) => drained.push(ev))
    drainAllPages(m, null)
    expect(zonePcpPages(m, z)).toBe(0)
    expect(z.nrFreePages).toBe(16384)
    expect(m.nrFree[10]).toBe(16)
    expect(drained.length).toBeGreaterThan(0)
    expect(Object.keys(drained[0]).sort()).toEqual(['migratetype', 'name', 'order', 'page', 'pfn'])
    expect(checkInvariants(m)).toBeNull()
  })

  it('drains to the buddy when a CPU list reaches high', () => {
    const m = testMachine({ pcp: true })
    const z = m.zones[0]
    const pfns: number[] = []
    for (let i = 0; i < 2000; i++) pfns.push(allocPages(m, GFP_HIGHUSER_MOVABLE, 0))
    for (const p of pfns) {
      freePages(m, p, 0)
      expect(zonePcpPages(m, z)).toBeLessThan(z.pcpHigh)
    }
    expect(checkInvariants(m)).toBeNull()
  })
})
