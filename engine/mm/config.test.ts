import { describe, expect, it } from 'vitest'
import { ConfigError, intSqrt, parseMachineConfig } from './config'
import { ZONE_DMA, ZONE_DMA32, ZONE_MOVABLE, ZONE_NORMAL } from './zoneType'

function fieldOf(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    if (e instanceof ConfigError) return e.field
    throw e
  }
  return '(no error)'
}

describe('machine config', () => {
  it('defaults to a 4 GiB x86_64 machine: DMA below 16 MiB, DMA32 below 4 GiB', () => {
    const c = parseMachineConfig({})
    expect(c.memoryMiB).toBe(4096)
    expect(c.kernelEra).toBe('6.12')
    expect(c.pageblockOrder).toBe(9)
    expect(c.maxPageOrder).toBe(10)
    expect(c.watermarkScaleFactor).toBe(10)
    expect(c.watermarkBoostFactor).toBe(15000)
    expect(c.zones).toEqual([
      { nid: 0, type: ZONE_DMA, startPfn: 0, nrPages: 4096 },
      { nid: 0, type: ZONE_DMA32, startPfn: 4096, nrPages: 1048576 - 4096 },
    ])
  })

  it('puts memory above 4 GiB in ZONE_NORMAL and carves ZONE_MOVABLE from the top of each node', () => {
    const c = parseMachineConfig({ memoryMiB: 16384, nrNodes: 2, movableMiB: 2048 })
    expect(c.zones.map((z) => [z.nid, z.type, z.startPfn, z.nrPages])).toEqual([
      [0, ZONE_DMA, 0, 4096],
      [0, ZONE_DMA32, 4096, 1048576 - 4096],
      [0, ZONE_NORMAL, 1048576, 1048576 - 262144],
      [0, ZONE_MOVABLE, 2097152 - 262144, 262144],
      [1, ZONE_NORMAL, 2097152, 2097152 - 262144],
      [1, ZONE_MOVABLE, 4194304 - 262144, 262144],
    ])
  })

  it('calculate_min_free_kbytes: int_sqrt(lowmem_kB * 16), then the THP recommendation', () => {
    // 4 GiB with every page managed, no THP raise: int_sqrt(4194304 * 16) = 8192.
    const none = { reserve: 'none' }
    expect(parseMachineConfig({ ...none, thpRecommendedMinFree: false }).minFreeKbytes).toBe(8192)
    // THP: 2 zones <= NORMAL: 512 * 2 * (2 + 3*3) pages = 11264 pages = 45056 kB (below 5% of lowmem).
    expect(parseMachineConfig(none).minFreeKbytes).toBe(45056)
    expect(parseMachineConfig({}).minFreeKbytes).toBe(45056)
    // The clamp: 64 MiB gives int_sqrt(65536 * 16) = 1024 kB.
    expect(
      parseMachineConfig({ ...none, memoryMiB: 64, thpRecommendedMinFree: false }).minFreeKbytes,
    ).toBe(1024)
    expect(intSqrt(4194304 * 16)).toBe(8192)
  })

  it('lowmem_kB counts managed pages: the boot reservations are not in it', () => {
    // 4 GiB on 6.12: 1048576 pages - 256 (first MiB) - 9602 (image) - 32 * 512 (memmap).
    const managed = 1048576 - 256 - 9602 - 32 * 512
    const cfg = parseMachineConfig({ thpRecommendedMinFree: false })
    expect(cfg.minFreeKbytes).toBe(intSqrt(managed * 4 * 16))
    expect(cfg.minFreeKbytes).toBe(8088)
    // 256 MiB on 6.1 (image 11362 pages, memmap 1024): int_sqrt(52894 * 64) = 1839 kB, where
    // the 6.1 guest (managed 52685, less its high watermarks) has 1824 with THP never.
    const c61 = parseMachineConfig({
      memoryMiB: 256,
      kernelEra: '6.1',
      thpRecommendedMinFree: false,
    })
    expect(c61.minFreeKbytes).toBe(intSqrt((65536 - 256 - 11362 - 1024) * 64))
    expect(c61.minFreeKbytes).toBe(1839)
  })

  it('set_recommended_min_free_kbytes: at most 5% of managed - high when THP is on', () => {
    // 256 MiB, 6.12: 11264 pages would exceed 5% of the ~50000 buffer pages: 2 zones' managed
    // 3840 + 50814 less their high marks after the first setup (1870 kB), / 20, in kB.
    const cfg = parseMachineConfig({ memoryMiB: 256 })
    expect(cfg.minFreeKbytes).toBe(10788)
    expect(cfg.minFreeKbytes).toBeLessThan(11264 * 4)
  })

  it('names the offending field in errors', () => {
    expect(fieldOf(() => parseMachineConfig({ memoryMiB: 32 }))).toBe('memoryMiB')
    expect(fieldOf(() => parseMachineConfig({ memoryMiB: 131072 }))).toBe('memoryMiB')
    expect(fieldOf(() => parseMachineConfig({ kernelEra: '5.10' }))).toBe('kernelEra')
    expect(
      fieldOf(() =>
        parseMachineConfig({
          zones: [
            { type: 'Normal', sizeMiB: 64 },
            { type: 'Movable', sizeMiB: 3 },
          ],
        }),
      ),
    ).toBe('zones[1].sizeMiB')
    expect(fieldOf(() => parseMachineConfig({ zones: [{ type: 'Highmem', sizeMiB: 64 }] }))).toBe(
      'zones[0].type',
    )
    expect(fieldOf(() => parseMachineConfig({ zones: [{ type: 'DMA', sizeMiB: 64 }] }))).toBe(
      'zones[0].sizeMiB',
    )
    expect(fieldOf(() => parseMachineConfig({ watermarkScaleFactor: 0 }))).toBe(
      'watermarkScaleFactor',
    )
    expect(fieldOf(() => parseMachineConfig({ pageblockOrder: 11 }))).toBe('pageblockOrder')
    expect(fieldOf(() => parseMachineConfig({ colour: 'red' }))).toBe('colour')
  })

  it('is idempotent: a resolved config parses to itself', () => {
    const c = parseMachineConfig({ memoryMiB: 8192, nrNodes: 2, movableMiB: 512, kernelEra: '6.1' })
    expect(parseMachineConfig(JSON.parse(JSON.stringify(c)))).toEqual(c)
  })
})
