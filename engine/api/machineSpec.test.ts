/**
 * The machine spec's boot reservations and min_free_kbytes as a run reports them (issue 10,
 * item 7): the result's machine record, and where CMA areas and a virtio-mem region sit
 * against the memmap.
 */
import { describe, expect, it } from 'vitest'
import { PG_reserved, pageFlags } from '../mm'
import { runModule } from './runModule.testutil'

const noop = (): void => {}

describe('machine.reserve and machine.minFreeKbytes in the run record', () => {
  it('a default 256 MiB machine reports the first MiB, the 6.12 image and 4 MiB of memmap', async () => {
    const out = await runModule({ machine: { memoryMiB: 256 }, default: noop })
    expect(out.machine.reserve).toEqual({ firstMiB: true, kernelImageKiB: 38408, memmap: true })
    expect(out.machine.reservedPages).toEqual({
      firstMiB: 256,
      kernelImage: 9602,
      memmap: 1024,
      total: 10882,
    })
    // set_recommended_min_free_kbytes over the managed pages (THP on by default).
    expect(out.machine.minFreeKbytes).toBe(10788)
    expect(out.vmstat.nr_free_pages).toBe(65536 - 10882)
  })

  it("reserve: 'none' and a THP-never boot", async () => {
    const out = await runModule({
      machine: { memoryMiB: 256, reserve: 'none', thpRecommendedMinFree: false },
      default: noop,
    })
    expect(out.machine.reservedPages).toEqual({ firstMiB: 0, kernelImage: 0, memmap: 0, total: 0 })
    // calculate_min_free_kbytes: int_sqrt(65536 pages * 4 KiB * 16).
    expect(out.machine.minFreeKbytes).toBe(2048)
  })

  it('CMA stacks below the top memmap; the memmap goes below a virtio-mem region', async () => {
    const cma = await runModule({
      machine: { memoryMiB: 256, cma: [{ name: 'cam', sizeMiB: 16 }] },
      default: noop,
    })
    // memmap [252, 256) MiB, so the area is [236, 252) MiB.
    expect(pageFlags(cma.m, 252 * 256) & PG_reserved).not.toBe(0)
    expect(cma.m.totalcmaPages).toBe(16 * 256)
    expect(cma.m.pbFlags[(236 * 256) >> 9] & 7).toBe(4) // MIGRATE_CMA
    const vm = await runModule({
      machine: {
        memoryMiB: 512,
        virtioMem: { regionMiB: 128, memoryBlockMiB: 32, requestedMiB: 128 },
      },
      default: noop,
    })
    // Region [384, 512) MiB is hotplugged memory: the 8 MiB memmap sits at [376, 384). (Fully
    // plugged: a partly plugged region meets issue 10's overlapping-blocks bug, helper A's.)
    expect(pageFlags(vm.m, 383 * 256) & PG_reserved).not.toBe(0)
    expect(pageFlags(vm.m, 375 * 256) & PG_reserved).toBe(0)
    expect(vm.machine.reservedPages).toMatchObject({ memmap: 2048 })
  })

  it('names the bad field', async () => {
    await expect(
      runModule({ machine: { memoryMiB: 256, reserve: { memmap: 'yes' } }, default: noop }),
    ).rejects.toThrow(/reserve\.memmap: must be a boolean/)
  })
})
