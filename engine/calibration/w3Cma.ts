/**
 * W3 (batch 2 `w3_612cma_p8k1_c2m`): the 6.12cma guest booted with `cma=128M` (area
 * `reserved` at base pfn 228864 = 0x37e00, 32768 pages, order_per_bit 0; 64 of its pages
 * already taken through cma_alloc at boot). After W1's fill and fragment, the workload writes
 * C/4 (512 pages, 2 MiB) to `/sys/kernel/debug/cma/reserved/alloc` up to area/C times,
 * stopping after three failures in a row (mm/cma_debug.c:cma_alloc_mem → cma_alloc(cma,
 * count, 0, false)). Compared: successes, kept pages inside the area before and after, and
 * `pgmigrate_success` across the allocations.
 *
 * The area is set up by `adoptImportedCmaArea`: the import already gives its pageblocks
 * MIGRATE_CMA at their real pfns (`pinned`), so the area's bookkeeping (struct cma, bitmap,
 * totalcma_pages, zone->cma_pages) is registered over them without moving any page. engine/cma's
 * `cmaReserve` reserves an area on a fresh machine only; an "adopt" entry point there (helper
 * D's engine/cma) would replace this adapter.
 */
import { cmaAlloc, cmaState, type CmaArea } from '../cma'
import { MIGRATE_API, type ContigEnv } from '../contig'
import { type Machine, pfnZone } from '../mm/machine'
import { MIGRATE_CMA } from '../mm/migratetype'
import { drainAllPages } from '../mm/pcp'
import { getPfnblockMigratetype } from '../mm/pageblock'
import { onFolioMoved } from '../migrate/counters'
import { createSimClock } from '../migrate/simClock'
import { applyImportPlan, planImport, QEMU_1GIB_X86_64_GEOMETRY } from '../proc'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { guestReservedPages, guestSysctls, kernelDelta, kvNumber, type CaseData } from './cases'
import { row, type CalibrationRow } from './rows'
import { keptPhaseLead } from './keptPhase'
import { fillAnon, fragmentAnon, freeKb, keptPhase, type KeptPhase, vmCounters, vmDelta } from './steps'

/** Registers a CMA area over pageblocks that are already MIGRATE_CMA (see the file comment). */
export function adoptImportedCmaArea(
  m: Machine,
  name: string,
  basePfn: number,
  count: number,
  bootAllocatedPages: number,
): CmaArea {
  const z = pfnZone(m, basePfn)
  if (z === undefined || basePfn + count > z.endPfn)
    throw new RangeError(`cma ${name}: the area must lie in one zone`)
  for (let pfn = basePfn; pfn < basePfn + count; pfn += m.pageblockNrPages) {
    if (getPfnblockMigratetype(m, pfn) !== MIGRATE_CMA)
      throw new Error(`cma ${name}: pageblock at pfn ${pfn} is not MIGRATE_CMA`)
  }
  const area: CmaArea = {
    name,
    basePfn,
    count,
    orderPerBit: 0,
    bitmap: new Uint8Array(count),
    nrPagesSucceeded: bootAllocatedPages,
    nrPagesFailed: 0,
  }
  // cma_alloc at boot took the area's first pages (bitmap search from bit 0).
  area.bitmap.fill(1, 0, bootAllocatedPages)
  cmaState(m).areas.push(area)
  m.totalcmaPages += count
  z.cmaPages += count
  return area
}

export interface W3Result {
  keptInAreaBefore: number
  keptInAreaAfter: number
  allocsOk: number
  allocsFail: number
  attempts: number
  pgmigrateSuccess: number
  /** Pages of the fill placed in the area (the guest's `pb_filled_in_cma`). */
  filledInArea: number
  /** Migration targets cma_alloc's alloc_contig_range calls found inside the area. */
  targetsInArea: number
  /** Where the kept pages sit within each period (as the guest's `kv.pb_kept_phase`). */
  keptPhase: KeptPhase
}

/** The guest's `start` state with the CMA area adopted over its pinned pageblocks. */
function bootW3(data: CaseData): { m: Machine; area: CmaArea } {
  const rec = data.record
  const base = kvNumber(rec, 'cma_base_pfn')
  const count = kvNumber(rec, 'cma_count')
  const sys = guestSysctls(rec)
  const plan = planImport(data.startBuddyinfo, data.startPagetypeinfo, {
    geometry: QEMU_1GIB_X86_64_GEOMETRY,
    pinned: [{ migratetype: MIGRATE_CMA, startPfn: base, nrPages: count }],
  })
  const m = applyImportPlan(plan, {
    reservedPages: guestReservedPages(rec),
    config: {
      kernelEra: '6.12',
      nrCpus: 1,
      minFreeKbytes: sys.minFreeKbytes,
      watermarkScaleFactor: sys.watermarkScaleFactor,
      watermarkBoostFactor: sys.watermarkBoostFactor,
    },
  })
  const used = (rec.snapshots.start as { extra?: Record<string, number> }).extra?.['cma.used'] ?? 0
  return { m, area: adoptImportedCmaArea(m, 'reserved', base, count, used) }
}

/** Fill (after `lead` pages of the guest's other memory) and drain, as W1 step 2. */
function w3Fill(m: Machine, lead: number) {
  if (lead > 0) fillAnon(m, lead)
  const fill = fillAnon(m, (Math.floor((freeKb(m) - 65536) / 2048) * 2048) / 4)
  drainAllPages(m, null)
  return fill
}

/**
 * Pages of other memory to take before the fill so that the kept pages sit at the guest's
 * measured `kv.pb_kept_phase` (keptPhase.ts; set-up, from a layout field), 0 without it.
 */
function w3Lead(data: CaseData): number {
  const rec = data.record
  const guestPhase = rec.kv.pb_kept_phase
  if (typeof guestPhase !== 'number') return 0
  const period = kvNumber(rec, 'period')
  const keep = kvNumber(rec, 'keep')
  const { m } = bootW3(data)
  const kept = fragmentAnon(m, w3Fill(m, 0), period, keep)
  return keptPhaseLead(guestPhase, keptPhase(kept, period, keep), period)
}

export function runW3Cma(data: CaseData): W3Result {
  const rec = data.record
  const base = kvNumber(rec, 'cma_base_pfn')
  const count = kvNumber(rec, 'cma_count')
  const lead = w3Lead(data)
  const { m, area } = bootW3(data)
  const inArea = (pfn: number) => pfn >= base && pfn < base + count

  const fill = w3Fill(m, lead)
  let filledInArea = 0
  for (let i = 0; i < fill.n; i++) if (inArea(fill.pages[i])) filledInArea++
  const kept = fragmentAnon(m, fill, kvNumber(rec, 'period'), kvNumber(rec, 'keep'))
  drainAllPages(m, null)
  const phase = keptPhase(kept, kvNumber(rec, 'period'), kvNumber(rec, 'keep'))
  const mine = new Uint8Array(m.endPfn)
  for (const pfn of kept) mine[pfn] = 1
  const countInArea = () => {
    let n = 0
    for (let pfn = base; pfn < base + count; pfn++) n += mine[pfn]
    return n
  }
  const keptInAreaBefore = countInArea()
  let targetsInArea = 0
  const off = onFolioMoved(m, (src, dst, nr) => {
    if (inArea(dst)) targetsInArea += nr
    for (let i = 0; i < nr; i++) {
      mine[dst + i] = mine[src + i]
      mine[src + i] = 0
    }
  })

  const env: ContigEnv = { clock: createSimClock(), cost: DEFAULT_COST_MODEL, migrate: MIGRATE_API }
  const chunk = kvNumber(rec, 'cma_chunk_pages')
  const maxAllocs = kvNumber(rec, 'cma_max_allocs')
  const c0 = vmCounters(m)
  let ok = 0
  let fail = 0
  let inARow = 0
  let attempts = 0
  for (let i = 0; i < maxAllocs && inARow < 3; i++) {
    const r = cmaAlloc(m, area, chunk, 0, env)
    attempts += r.attempts
    if (r.pfn >= 0) {
      ok++
      inARow = 0
    } else {
      fail++
      inARow++
    }
  }
  off()
  const d = vmDelta(c0, vmCounters(m))
  return {
    keptInAreaBefore,
    keptInAreaAfter: countInArea(),
    allocsOk: ok,
    allocsFail: fail,
    attempts,
    pgmigrateSuccess: d.pgmigrate_success,
    filledInArea,
    targetsInArea,
    keptPhase: phase,
  }
}

export function w3Rows(rec: CaseData['record'], r: W3Result): CalibrationRow[] {
  return [
    row('cma_alloc successes', 'outcome', kvNumber(rec, 'cma_allocs_ok'), r.allocsOk),
    row('cma_alloc failures', 'info', kvNumber(rec, 'cma_allocs_fail'), r.allocsFail),
    row('fill: pages placed in the area', 'info', kvNumber(rec, 'pb_filled_in_cma'), r.filledInArea),
    row('kept pages in the area before', 'info', kvNumber(rec, 'pb_kept_in_cma'), r.keptInAreaBefore),
    row('kept pages in the area after', 'outcome', kvNumber(rec, 'pb_kept_after_cma_in_cma'), r.keptInAreaAfter),
    row('cma_alloc: pgmigrate_success', 'counter', kernelDelta(rec, 'pre_cma->cma_alloced', 'pgmigrate_success'), r.pgmigrateSuccess),
    row('fragment: kept pages at the guest\'s phase (pb_kept_phase)', 'info', kvNumber(rec, 'pb_kept_phase_count'), r.keptPhase.phase === kvNumber(rec, 'pb_kept_phase') ? r.keptPhase.count : 0),
  ]
}
