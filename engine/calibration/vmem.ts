/**
 * W5 virtio-mem (batch 2 `vmem_612_movable_p8k1_1g_to_0`): 1 GiB of boot RAM plus a
 * virtio-mem-pci device of 2 GiB at 4 GiB (pfn 0x100000; 128 MiB memory blocks, 2 MiB device
 * blocks, so Sub Block Mode with 64 sub-blocks per memory block), 1 GiB plugged at boot and
 * onlined to ZONE_MOVABLE. W1's fill and fragment run (no drain); then the host lowers
 * `requested-size` to 0 and the driver unplugs (drivers/virtio/virtio_mem.c:
 * virtio_mem_sbm_unplug_request, 6.12: memory blocks from the highest down, each whole first;
 * fake-offline through alloc_contig_range with up to 5 tries in ZONE_MOVABLE).
 *
 * Set-up: DMA and DMA32 are imported from the `start` files. engine/mm has no memory hot-add,
 * so the device's region is a Movable zone of 2 GiB whose pages start as boot placeholders;
 * the device takes the region offline and plugs 1 GiB, as the guest's boot did (its memory
 * blocks 32–39, the lowest of the region, online_movable). The imported Movable free lists
 * are not used: at `start` that zone is free but for 96 pages (see docs/calibration.md).
 */
import { MIGRATE_API, type ContigEnv } from '../contig'
import { drainAllPages } from '../mm/pcp'
import { MIGRATE_MOVABLE } from '../mm/migratetype'
import { onFolioMoved } from '../migrate/counters'
import { type Machine } from '../mm/machine'
import { createSimClock } from '../migrate/simClock'
import { applyImportPlan, planImport, QEMU_1GIB_X86_64_GEOMETRY, type ImportZonePlan } from '../proc'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { createVirtioMemDevice, virtioMemRun, virtioMemSetRequestedSize } from '../virtioMem'
import { guestReservedPages, guestSysctls, kernelDelta, kvNumber, type CaseData } from './cases'
import { row, type CalibrationRow } from './rows'
import { keptPhaseLead } from './keptPhase'
import { fillAnon, fragmentAnon, freeKb, keptPhase, type KeptPhase, vmCounters, vmDelta } from './steps'

/** The device as the guest's qemu command line and dmesg give it. */
export const VMEM_DEVICE = {
  regionStartPfn: 0x100000,
  regionPages: 0x80000,
  memoryBlockPages: 32768,
  deviceBlockPages: 512,
  pluggedAtBootPages: 0x40000,
} as const

/** Driver runs the harness allows before it stops (the guest's 120 s window, 50 s retry timer). */
export const VMEM_MAX_RUNS = 4

export interface VmemResult {
  keptInRegion: number
  pluggedBeforeMiB: number
  pluggedAfterMiB: number
  allocContigRangeCalls: number
  allocContigRangeOk: number
  pgmigrateSuccess: number
  runs: number
  /** Pages migrated out of each memory block of the region (index = block), and where to. */
  migratedFromBlock: number[]
  targetsInRegion: number
  /** Where the kept pages sit within each period (as the guest's `kv.pb_kept_phase`). */
  keptPhase: KeptPhase
  targetsOutside: number
}

/** The Movable zone over the whole region: every page a boot placeholder, all Movable. */
function regionZone(pbOrder: number): ImportZonePlan {
  const nPb = VMEM_DEVICE.regionPages >> pbOrder
  return {
    nid: 0,
    name: 'Movable',
    startPfn: VMEM_DEVICE.regionStartPfn,
    spannedPages: VMEM_DEVICE.regionPages,
    firstPageblockPfn: VMEM_DEVICE.regionStartPfn,
    pageblockMigratetype: new Uint8Array(nPb).fill(MIGRATE_MOVABLE),
    freePfn: new Uint32Array(0),
    freeOrder: new Uint8Array(0),
    freeMigratetype: new Uint8Array(0),
    usedPfn: new Uint32Array(0),
    usedNrPages: new Uint32Array(0),
    nrFreeByType: [],
    capped: [],
    nrPageblocksByType: [0, nPb, 0, 0, 0],
  }
}

/** The guest's `start` state with the device plugged as at its boot. */
function bootVmem(data: CaseData) {
  const rec = data.record
  const sys = guestSysctls(rec)
  const plan = planImport(data.startBuddyinfo, data.startPagetypeinfo, {
    geometry: [
      ...QEMU_1GIB_X86_64_GEOMETRY,
      { nid: 0, name: 'Movable', startPfn: VMEM_DEVICE.regionStartPfn, spannedPages: VMEM_DEVICE.pluggedAtBootPages },
    ],
  })
  const zones = [plan.zones[0], plan.zones[1], regionZone(plan.pageblockOrder)]
  const m = applyImportPlan(
    { ...plan, zones },
    {
      reservedPages: [...guestReservedPages(rec), 0],
      config: {
        kernelEra: '6.12',
        nrCpus: 1,
        minFreeKbytes: sys.minFreeKbytes,
        watermarkScaleFactor: sys.watermarkScaleFactor,
        watermarkBoostFactor: sys.watermarkBoostFactor,
      },
    },
  )
  const env: ContigEnv = { clock: createSimClock(), cost: DEFAULT_COST_MODEL, migrate: MIGRATE_API }
  const dev = createVirtioMemDevice(m, {
    regionStartPfn: VMEM_DEVICE.regionStartPfn,
    regionPages: VMEM_DEVICE.regionPages,
    memoryBlockPages: VMEM_DEVICE.memoryBlockPages,
    deviceBlockPages: VMEM_DEVICE.deviceBlockPages,
  })
  virtioMemSetRequestedSize(dev, VMEM_DEVICE.pluggedAtBootPages)
  virtioMemRun(dev, env)
  return { m, env, dev }
}

/**
 * Fill (after `lead` pages of other memory) and fragment: the kept pfns. `lead` puts the kept
 * pages at the guest's measured `kv.pb_kept_phase` (keptPhase.ts; set-up from a layout field).
 */
function vmemFillFragment(m: Machine, rec: CaseData['record'], lead: number): Int32Array {
  if (lead > 0) fillAnon(m, lead)
  const fill = fillAnon(m, (Math.floor((freeKb(m) - 65536) / 2048) * 2048) / 4)
  drainAllPages(m, null)
  return fragmentAnon(m, fill, kvNumber(rec, 'period'), kvNumber(rec, 'keep'))
}

function vmemLead(data: CaseData): number {
  const rec = data.record
  const guestPhase = rec.kv.pb_kept_phase
  if (typeof guestPhase !== 'number') return 0
  const period = kvNumber(rec, 'period')
  const keep = kvNumber(rec, 'keep')
  const kept = vmemFillFragment(bootVmem(data).m, rec, 0)
  return keptPhaseLead(guestPhase, keptPhase(kept, period, keep), period)
}

export function runVmem(data: CaseData): VmemResult {
  const rec = data.record
  const lead = vmemLead(data)
  const { m, env, dev } = bootVmem(data)
  const pluggedBefore = dev.pluggedPages
  const kept = vmemFillFragment(m, rec, lead)
  const phase = keptPhase(kept, kvNumber(rec, 'period'), kvNumber(rec, 'keep'))
  const end = VMEM_DEVICE.regionStartPfn + VMEM_DEVICE.regionPages
  let keptInRegion = 0
  for (const pfn of kept) if (pfn >= VMEM_DEVICE.regionStartPfn && pfn < end) keptInRegion++

  const mbPages = VMEM_DEVICE.memoryBlockPages
  const migratedFromBlock = new Array<number>(VMEM_DEVICE.regionPages / mbPages).fill(0)
  let targetsInRegion = 0
  let targetsOutside = 0
  const off = onFolioMoved(m, (src, dst, nr) => {
    if (src >= VMEM_DEVICE.regionStartPfn && src < end)
      migratedFromBlock[Math.floor((src - VMEM_DEVICE.regionStartPfn) / mbPages)] += nr
    if (dst >= VMEM_DEVICE.regionStartPfn && dst < end) targetsInRegion += nr
    else targetsOutside += nr
  })
  const c0 = vmCounters(m)
  const calls0 = dev.counters.fakeOfflineAttempts
  const ok0 = dev.counters.fakeOfflineSuccess
  virtioMemSetRequestedSize(dev, 0)
  let runs = 0
  while (runs < VMEM_MAX_RUNS && dev.pluggedPages > 0 && !dev.broken) {
    runs++
    const r = virtioMemRun(dev, env)
    if (r.donePages === 0 && r.retryInNs === 0) break
  }
  off()
  return {
    keptInRegion,
    pluggedBeforeMiB: pluggedBefore / 256,
    pluggedAfterMiB: dev.pluggedPages / 256,
    allocContigRangeCalls: dev.counters.fakeOfflineAttempts - calls0,
    allocContigRangeOk: dev.counters.fakeOfflineSuccess - ok0,
    pgmigrateSuccess: vmDelta(c0, vmCounters(m)).pgmigrate_success,
    runs,
    migratedFromBlock,
    targetsInRegion,
    targetsOutside,
    keptPhase: phase,
  }
}

export function vmemRows(rec: CaseData['record'], r: VmemResult): CalibrationRow[] {
  const step = rec.steps?.[0] ?? {}
  const kprobe = (step.kprobe ?? {}) as Record<string, unknown>
  const num = (v: unknown, what: string): number => {
    if (typeof v !== 'number') throw new RangeError(`vmem record: ${what} is not a number`)
    return v
  }
  return [
    row('plugged before (MiB)', 'info', num(step.plugged_before, 'steps[0].plugged_before') / 2 ** 20, r.pluggedBeforeMiB),
    row('kept pages in the region', 'info', kvNumber(rec, 'vmem_before_kept_in_region'), r.keptInRegion),
    row('plugged size reached (MiB)', 'outcome', num(step.plugged_end, 'steps[0].plugged_end') / 2 ** 20, r.pluggedAfterMiB),
    row('alloc_contig_range calls', 'outcome', num(kprobe.acr_calls, 'steps[0].kprobe.acr_calls'), r.allocContigRangeCalls),
    row('alloc_contig_range successes', 'info', num((kprobe.acr_ret as Record<string, number>)?.['0'], 'acr_ret'), r.allocContigRangeOk),
    row('unplug: pgmigrate_success', 'counter', kernelDelta(rec, 'vmem_before->vmem_after', 'pgmigrate_success'), r.pgmigrateSuccess),
    row('fragment: kept pages at the guest\'s phase (pb_kept_phase)', 'info', kvNumber(rec, 'pb_kept_phase_count'), r.keptPhase.phase === kvNumber(rec, 'pb_kept_phase') ? r.keptPhase.count : 0),
  ]
}
