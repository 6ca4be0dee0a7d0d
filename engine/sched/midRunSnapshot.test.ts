/**
 * Issue 10 item 8: restore a snapshot taken mid-run and run on; the results are byte-identical
 * to the uninterrupted run, for a workload that uses every mechanism (midRunWorkload.testutil.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { checkInvariants, type KernelEra, vmstat } from '../mm'
import { swapUsage } from '../reclaim'
import { MidRunWorkload } from './midRunWorkload.testutil'

const N_OPS = 1500
const SEED = 0x5eed

async function runToEnd(w: MidRunWorkload): Promise<void> {
  while (await w.run(10_000));
}

/** Byte equality without a deep-equality diff of a megabyte (the first difference if any). */
function firstDifference(a: ArrayBuffer, b: ArrayBuffer): string | null {
  const x = new Uint8Array(a)
  const y = new Uint8Array(b)
  if (x.length !== y.length) return `lengths ${x.length} and ${y.length}`
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `byte ${i}: ${x[i]} vs ${y[i]}`
  return null
}

describe.each<KernelEra>(['6.1', '6.12'])('mid-run snapshots, era %s', (era) => {
  // The reference: the uninterrupted run, no snapshot taken.
  let ref: MidRunWorkload
  let refBytes: ArrayBuffer
  beforeAll(async () => {
    ref = MidRunWorkload.create(era, N_OPS, SEED)
    await runToEnd(ref)
    refBytes = ref.snapshot()
  }, 600_000)

  it('a run restored at any step boundary ends byte-identical to the uninterrupted run', async () => {
    expect(checkInvariants(ref.m)).toBeNull()
    const total = ref.steps
    expect(total).toBeGreaterThan(N_OPS)

    // The same run taking snapshots at several step boundaries (taking one changes nothing).
    const a = MidRunWorkload.create(era, N_OPS, SEED)
    const snaps: { step: number; buf: ArrayBuffer }[] = []
    for (const k of [1, Math.floor(total * 0.5), total - 1]) {
      await a.run(k - a.steps)
      snaps.push({ step: k, buf: a.snapshot() })
    }
    await runToEnd(a)
    expect(firstDifference(a.snapshot(), refBytes)).toBeNull()

    for (const { step: k, buf } of snaps) {
      const b = MidRunWorkload.restore(buf)
      // The restored run is the snapshotted one, byte for byte.
      expect(firstDifference(b.snapshot(), buf), `restored at step ${k}`).toBeNull()
      await runToEnd(b)
      expect(b.steps, `steps after a restore at step ${k}`).toBe(total - k)
      expect(b.data.results, `results after a restore at step ${k}`).toEqual(ref.data.results)
      expect(
        firstDifference(b.snapshot(), refBytes),
        `final state, restored at step ${k}`,
      ).toBeNull()
      expect(checkInvariants(b.m)).toBeNull()
    }
  }, 600_000)

  it('a run restored from its own snapshot every 61 steps ends byte-identical', async () => {
    let w = MidRunWorkload.create(era, N_OPS, SEED)
    let restores = 0
    while (await w.run(61)) {
      w = MidRunWorkload.restore(w.snapshot())
      restores++
    }
    expect(restores).toBeGreaterThan(20)
    expect(w.data.results).toEqual(ref.data.results)
    expect(firstDifference(w.snapshot(), refBytes)).toBeNull()
  }, 600_000)

  it('the workload uses every mechanism', async () => {
    const w = ref
    const ev = Object.fromEntries(vmstat(w.m))
    const counters = {
      pcp: ev.numa_hit,
      highatomic: w.data.highatomicPeak,
      kswapd: ev.pgsteal_kswapd,
      directReclaim: ev.allocstall_normal + ev.allocstall_movable,
      directCompaction: ev.compact_stall,
      compactMemoryOrKcompactd: ev.compact_migrate_scanned,
      // kcompactd_do_work (compact_daemon_wake) or a proactive compaction that ran.
      kcompactd:
        ev.compact_daemon_wake +
        w.data.results.filter((l) => / kcompactd timer: ran=true/.test(l)).length,
      migration: ev.pgmigrate_success,
      thpMigration: ev.thp_migration_success,
      swap: ev.pswpout,
      writebackDone: ev.pgrotated,
      cma: ev.cma_alloc_success,
    }
    expect(
      Object.entries(counters)
        .filter(([, v]) => !(v > 0))
        .map(([k]) => k),
    ).toEqual([])
    const text = w.data.results.join('\n')
    const mechanisms = [
      / alloc gfp=\d+ order=[1-3] -> \d+/,
      /fault order=9 -> \d+/,
      /fault order=4 -> \d+/,
      /compact_memory /,
      /kcompactd timer: ran=/,
      /cma_release /,
      /alloc_contig_range \d+: success/,
      /free_contig_range /,
      /virtio_mem \d+: success/,
      /worker\d lock: pfn=/,
      /worker\d unlock: pfn=/,
      /swap_free /,
    ]
    expect(mechanisms.filter((re) => !re.test(text)).map(String)).toEqual([])
    expect(swapUsage(w.m).sizePages).toBe(16384)
    expect(checkInvariants(w.m)).toBeNull()
  }, 600_000)
})
