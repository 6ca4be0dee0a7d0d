// /sys/kernel/mm/transparent_hugepage/hugepages-<size>kB/stats through the workload API, and
// the design key 'migration.deferredSplitRequeue' (mm/migrate.c:migrate_folio_move, 6.12.117).
import { describe, expect, it } from 'vitest'
import { runModule } from './runModule.testutil'
import type { Kernel } from './mmwb'

const GFP_HIGHUSER_MOVABLE = 0x100cca

async function migrateOne64k(era: string, design: Record<string, string> = {}) {
  const seen: Record<string, number> = {}
  const out = await runModule({
    machine: { memoryMiB: 128, kernelEra: era, design },
    default(k: Kernel) {
      const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 4)
      if (!f) throw new Error('allocation failed')
      k.migratePages([f], { mode: 'sync' })
      if (era === '6.12')
        for (const n of [
          'anon_fault_alloc',
          'nr_anon',
          'split_deferred',
          'nr_anon_partially_mapped',
        ] as const)
          seen[n] = k.transparentHugepage.stat('64kB', n)
    },
  })
  return { out, seen }
}

describe('hugepages-64kB/stats', () => {
  it('6.12: a fault counts anon_fault_alloc and nr_anon; migrating it whole leaves it partially mapped', async () => {
    const { out, seen } = await migrateOne64k('6.12')
    expect(seen).toEqual({
      anon_fault_alloc: 1,
      nr_anon: 1,
      split_deferred: 2,
      nr_anon_partially_mapped: 1,
    })
    expect(out.machine.design['migration.deferredSplitRequeue']).toBe('requeue')
  })

  it("'none' leaves the destination off the queue", async () => {
    const { seen } = await migrateOne64k('6.12', { 'migration.deferredSplitRequeue': 'none' })
    expect(seen.split_deferred).toBe(1)
    expect(seen.nr_anon_partially_mapped).toBe(0)
  })

  it('the era default is none outside 6.12; the stats directory is 6.12 only', async () => {
    const { out } = await migrateOne64k('6.15')
    expect(out.machine.design['migration.deferredSplitRequeue']).toBe('none')
    await expect(
      runModule({
        machine: { memoryMiB: 128, kernelEra: '6.1' },
        default(k: Kernel) {
          k.transparentHugepage.stat('64kB', 'split')
        },
      }),
    ).rejects.toThrow(/6\.12's per-size stats/)
  })

  it('a bad size or item names the file', async () => {
    await expect(
      runModule({
        machine: { memoryMiB: 128 },
        default(k: Kernel) {
          k.transparentHugepage.stat('48kB', 'split')
        },
      }),
    ).rejects.toThrow(/hugepages-48kB/)
    await expect(
      runModule({
        machine: { memoryMiB: 128 },
        default(k: Kernel) {
          k.transparentHugepage.stat('64kB', 'splits' as 'split')
        },
      }),
    ).rejects.toThrow(/stats\/splits/)
  })
})
