import { describe, expect, it } from 'vitest'
import { createMachine } from './boot'
import { ConfigError, parseMachineConfig } from './config'
import { checkInvariants } from './invariants'
import { PG_reserved, pageFlags } from './memmap'
import { reservedRanges, reservedSummary } from './reserve'

function fieldOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    if (e instanceof ConfigError) return e.field
    throw e
  }
  return undefined
}

// Real figures: /work/shared/traces/6.1-w1-256m/start/zoneinfo and 6.12-w1-256m (Debian
// 6.1.192 and 6.12.117 guests of 256 MiB): DMA present 3998, managed 3840; DMA32 present
// 61405, managed 48845 (6.1) and 50603 (6.12).
describe('boot reservations of an x86_64 machine (memblock, memblock_free_all)', () => {
  for (const [era, image, dma32Managed] of [
    ['6.1', 11362, 49054],
    ['6.12', 9602, 50814],
  ] as const) {
    it(`[${era}] 256 MiB: first MiB, the Debian ${era} image at 16 MiB, 4 MiB of memmap at the top`, () => {
      const cfg = parseMachineConfig({ memoryMiB: 256, kernelEra: era })
      const r = reservedRanges(cfg.zones, cfg.reserve)
      expect(r.map((x) => [x.kind, x.startPfn, x.nrPages])).toEqual([
        ['firstMiB', 0, 256],
        ['kernelImage', 4096, image],
        ['memmap', 65536 - 1024, 1024],
      ])
      const m = createMachine(cfg)
      const [dma, dma32] = m.zones
      // DMA's managed pages equal the real guest's: the zone less the first MiB.
      expect(dma.managedPages).toBe(3840)
      expect(dma32.managedPages).toBe(dma32Managed)
      expect(dma.nrFreePages + dma32.nrFreePages).toBe(3840 + dma32Managed)
      for (const p of [0, 255, 4096, 4096 + image - 1, 65535])
        expect(pageFlags(m, p) & PG_reserved).not.toBe(0)
      for (const p of [256, 4095, 4096 + image, 65535 - 1024]) expect(m.refcount[p]).toBe(0)
      expect(m.refcount[4096]).toBe(1)
      expect(checkInvariants(m)).toBeNull()
    })
  }

  it('frees the rest in naturally aligned blocks: the order-10 block below the memmap stays whole', () => {
    const m = createMachine(parseMachineConfig({ memoryMiB: 256 }))
    // Image ends at pfn 13698: free blocks start there; [63488, 64512) is one order-10 block.
    const head = m.pg[(63488 << 2) + 1] & 0xff
    expect(head).toBe(10)
    expect(checkInvariants(m)).toBeNull()
  })

  it("'none' and explicit zones give the buddy allocator every page", () => {
    const m = createMachine(parseMachineConfig({ memoryMiB: 256, reserve: 'none' }))
    expect(m.zones.map((z) => z.managedPages)).toEqual([4096, 61440])
    const z = createMachine(parseMachineConfig({ zones: [{ type: 'Normal', sizeMiB: 64 }] }))
    expect(z.zones[0].managedPages).toBe(16384)
  })

  it('each node has its memmap at its own end: 2 MiB per 128 MiB section', () => {
    const cfg = parseMachineConfig({ memoryMiB: 8192, nrNodes: 2 })
    const memmap = reservedRanges(cfg.zones, cfg.reserve).filter((x) => x.kind === 'memmap')
    expect(memmap).toEqual([
      { kind: 'memmap', nid: 0, startPfn: 1048576 - 32 * 512, nrPages: 32 * 512 },
      { kind: 'memmap', nid: 1, startPfn: 2097152 - 32 * 512, nrPages: 32 * 512 },
    ])
  })

  it('the memmap goes below memory that is not boot RAM (a virtio-mem region at the top)', () => {
    const cfg = parseMachineConfig({ memoryMiB: 1024 })
    const region: [number, number] = [512 * 256, 1024 * 256]
    const m = createMachine(cfg, { memmapAvoid: [region] })
    const r = reservedRanges(cfg.zones, cfg.reserve, [region])
    expect(r[2]).toEqual({ kind: 'memmap', nid: 0, startPfn: region[0] - 4096, nrPages: 4096 })
    expect(pageFlags(m, region[0] - 1) & PG_reserved).not.toBe(0)
    expect(pageFlags(m, region[0]) & PG_reserved).toBe(0)
    expect(reservedSummary(r)).toEqual({
      firstMiB: 256,
      kernelImage: 9602,
      memmap: 4096,
      total: 256 + 9602 + 4096,
    })
  })

  it('a partial spec keeps the other defaults; bad fields are named', () => {
    const cfg = parseMachineConfig({ memoryMiB: 256, reserve: { kernelImageKiB: 8192 } })
    expect(cfg.reserve).toEqual({ firstMiB: true, kernelImageKiB: 8192, memmap: true })
    expect(parseMachineConfig(cfg)).toEqual(cfg)
    expect(fieldOf(() => parseMachineConfig({ reserve: { memmap: 1 } }))).toBe('reserve.memmap')
    expect(fieldOf(() => parseMachineConfig({ reserve: { kernelImageKiB: -1 } }))).toBe(
      'reserve.kernelImageKiB',
    )
    expect(fieldOf(() => parseMachineConfig({ reserve: { kernel: 1 } }))).toBe('reserve.kernel')
    expect(fieldOf(() => parseMachineConfig({ reserve: 'all' }))).toBe('reserve')
    // A 64 MiB machine has room for the 37.5 MiB image, not for a 60 MiB one.
    expect(parseMachineConfig({ memoryMiB: 64 }).reserve.kernelImageKiB).toBe(38408)
    expect(
      fieldOf(() => parseMachineConfig({ memoryMiB: 64, reserve: { kernelImageKiB: 61440 } })),
    ).toBe('reserve.kernelImageKiB')
  })
})
