/**
 * The calibration cases of both batches (/work/shared/calibration, copied in
 * resources/calibration): which workload each runs, on which kernel era, and how the guest's
 * record configures the simulated machine. The records themselves (JSON and the `start`
 * /proc files) are read by the caller (cli/commands/calibrate.ts) and passed in as data.
 */
import { type KernelEra } from '../mm/config'
import { ConfigError } from '../mm/config'
import { type GuestSysctls } from './w1'

export type CalibrationWorkload = 'w1' | 'w1-direct' | 'w4' | 'w3-cma' | 'vmem'

export interface CalibrationCase {
  /** The record's file name without `.json`. */
  id: string
  batch: 1 | 2
  /** Directory of the record below the data root ('' or 'batch2'). */
  dir: string
  era: KernelEra
  workload: CalibrationWorkload
  title: string
}

export const CALIBRATION_CASES: readonly CalibrationCase[] = [
  { id: 'w1_p2k1', batch: 1, dir: '', era: '6.1', workload: 'w1', title: 'W1 P=2 K=1 (6.1)' },
  { id: 'w1_p8k1', batch: 1, dir: '', era: '6.1', workload: 'w1', title: 'W1 P=8 K=1 (6.1)' },
  {
    id: 'w1_612_p8k1',
    batch: 2,
    dir: 'batch2',
    era: '6.12',
    workload: 'w1',
    title: 'W1 P=8 K=1 (6.12)',
  },
  {
    id: 'w1_612_p128k16_direct',
    batch: 2,
    dir: 'batch2',
    era: '6.12',
    workload: 'w1-direct',
    title: 'W1 P=128 K=16, direct compaction (6.12)',
  },
  {
    id: 'w4_612_m64_p128k16',
    batch: 2,
    dir: 'batch2',
    era: '6.12',
    workload: 'w4',
    title: 'W4 64 KiB mTHP P=128 K=16 (6.12)',
  },
  {
    id: 'w3_612cma_p8k1_c2m',
    batch: 2,
    dir: 'batch2',
    era: '6.12',
    workload: 'w3-cma',
    title: 'W3 CMA P=8 K=1, 2 MiB chunks (6.12cma)',
  },
  {
    id: 'vmem_612_movable_p8k1_1g_to_0',
    batch: 2,
    dir: 'batch2',
    era: '6.12',
    workload: 'vmem',
    title: 'W5 virtio-mem P=8 K=1, 1024 → 0 MiB (6.12)',
  },
]

/** The parts of a guest record (`<case>.json`) the harness reads. */
export interface GuestRecord {
  kv: Readonly<Record<string, string | number>>
  vmstat_deltas: Readonly<Record<string, Readonly<Record<string, number>>>>
  pageblock_maps?: Readonly<Record<string, readonly number[]>>
  snapshots: { start: { meminfo_kb: Readonly<Record<string, number>> } }
  steps?: readonly Readonly<Record<string, unknown>>[]
}

/** A case's inputs: its record and the `start` /proc files, verbatim. */
export interface CaseData {
  record: GuestRecord
  startBuddyinfo: string
  startPagetypeinfo: string
}

export function calibrationCase(id: string): CalibrationCase {
  const c = CALIBRATION_CASES.find((x) => x.id === id)
  if (c === undefined)
    throw new ConfigError(
      'case',
      `unknown calibration case ${JSON.stringify(id)}; known: ${CALIBRATION_CASES.map((x) => x.id).join(', ')}`,
    )
  return c
}

/** A number from the record's `kv`, or a ConfigError naming the key. */
export function kvNumber(rec: GuestRecord, key: string): number {
  const v = rec.kv[key]
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ConfigError(`kv.${key}`, `must be a number in the guest record, got ${JSON.stringify(v)}`)
  return v
}

/** A vmstat delta of a phase (0 when the record omits the counter: it did not move). */
export function kernelDelta(rec: GuestRecord, phase: string, name: string): number {
  const d = rec.vmstat_deltas[phase]
  if (d === undefined) throw new ConfigError(`vmstat_deltas.${phase}`, 'missing in the guest record')
  return d[name] ?? 0
}

/** The guest's sysctls (`kv.sys_*`); extfrag_threshold 1000 during nr_hugepages writes unless direct. */
export function guestSysctls(rec: GuestRecord): GuestSysctls {
  const extfrag = kvNumber(rec, 'sys_extfrag_threshold')
  return {
    minFreeKbytes: kvNumber(rec, 'sys_min_free_kbytes'),
    watermarkScaleFactor: kvNumber(rec, 'sys_watermark_scale_factor'),
    watermarkBoostFactor: kvNumber(rec, 'sys_watermark_boost_factor'),
    extfragThreshold: extfrag,
    extfragThresholdHugepages: rec.kv.direct_compact === 1 ? extfrag : 1000,
    compactionProactiveness: kvNumber(rec, 'sys_compaction_proactiveness'),
    compactUnevictableAllowed: kvNumber(rec, 'sys_compact_unevictable_allowed') !== 0,
  }
}

/** The qemu guest's zones DMA (pfn 0x1–0x1000) and DMA32 (0x1000–0x3ffe0), in pfns. */
export const GUEST_DMA_SPANNED = 0x1000 - 0x1
export const GUEST_DMA32_SPANNED = 0x3ffe0 - 0x1000
/**
 * DMA pfns outside the buddy allocator, the same on every boot of the guest (its DMA
 * buddyinfo and pgalloc_dma are identical in all records; see docs/calibration.md).
 */
export const GUEST_DMA_RESERVED = 255

/**
 * Pfns of DMA and DMA32 outside the buddy allocator: spanned − managed, with managed pages
 * from MemTotal (`totalram_pages`), less the hot-plugged memory for the virtio-mem guest
 * (`kv.memtotal_preload_kb`, MemTotal before the device's memory was added).
 */
export function guestReservedPages(rec: GuestRecord): [number, number] {
  const kb =
    typeof rec.kv.memtotal_preload_kb === 'number'
      ? rec.kv.memtotal_preload_kb
      : rec.snapshots.start.meminfo_kb.MemTotal
  if (!Number.isInteger(kb / 4)) throw new ConfigError('MemTotal', 'must be a multiple of 4 kB')
  const unmanaged = GUEST_DMA_SPANNED + GUEST_DMA32_SPANNED - kb / 4
  return [GUEST_DMA_RESERVED, unmanaged - GUEST_DMA_RESERVED]
}
