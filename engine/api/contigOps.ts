/**
 * The workload API's contiguous allocation: CMA areas reserved at boot from the machine spec
 * (mm/cma.c `cma_declare_contiguous`, placed top-down below the end of the highest non-movable
 * zone unless `baseMiB` says where), `cma_alloc` / `cma_release`, `alloc_contig_range` /
 * `free_contig_range`, and one virtio-mem device whose requested size workloads change. Every
 * call runs on a SimClock charged to the caller (mmOps.ts) and is recorded for the charts:
 * outcome counts over time, latency histograms, pages migrated per request, outcome records.
 */
import { cmaAlloc, cmaAreaByName, cmaRelease, cmaReserve, cmaMinAlignmentPages } from '../cma'
import {
  allocContigRange,
  type ContigEnv,
  DEFAULT_CONTIG_COSTS,
  freeContigRange,
  MIGRATE_API,
} from '../contig'
import { ConfigError, PG_reserved, pageFlags, type Machine, type MachineConfig } from '../mm'
import type { SimClock } from '../migrate'
import {
  createVirtioMemDevice,
  type VirtioMemDevice,
  virtioMemRun,
  virtioMemSetRequestedSize,
} from '../virtioMem'
import type { MmOps } from './mmOps'
import type { MmRecorder } from './mmRecorder'

const PAGES_PER_MIB = 256

/** A CMA area as `machine.cma` declares it. */
export interface CmaAreaSpec {
  name: string
  sizeMiB: number
  /** Where the area starts; default: stacked top-down below the end of the highest non-movable zone. */
  baseMiB?: number
  /** `order_per_bit` of the area's bitmap (default 0). */
  orderPerBit?: number
}

/** The virtio-mem device as `machine.virtioMem` declares it. */
export interface VirtioMemSpec {
  /** Device region size (`region_size`). */
  regionMiB: number
  /** Region start; default: the top of memory. */
  startMiB?: number
  /** Device block size (`block_size`), default 2. */
  blockMiB?: number
  /** Memory block size (`memory_block_size_bytes`), default 128. */
  memoryBlockMiB?: number
  /** Plugged at boot (the initial `requested_size`), default 0. */
  requestedMiB?: number
  forceBbm?: boolean
  unplugFallback?: 'sub-block' | 'max-order-first'
  sbAlignment?: 'max-order' | 'pageblock'
}

function num(v: unknown, field: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
    throw new ConfigError(field, `must be a number >= ${min}`)
  return v
}

/**
 * The first pfn of the PG_reserved run that ends at `end` (the memmap at the top of memory).
 * The model reserves the memmap before the CMA areas; the kernel reserves CMA first
 * (`dma_contiguous_reserve` runs before `paging_init`), so there CMA sits above the memmap:
 * the same sizes, pfns shifted by the memmap's size.
 */
function belowReserved(m: Machine, end: number): number {
  let p = end
  while (p > 0 && (pageFlags(m, p - 1) & PG_reserved) !== 0) p--
  return p
}

/** `cma=`-style reservations at boot; throws ConfigError naming the bad field. */
export function reserveCmaAreas(
  m: Machine,
  raw: unknown,
  alignment: 'max-order' | 'pageblock',
): void {
  if (raw === undefined) return
  if (!Array.isArray(raw)) throw new ConfigError('cma', 'must be an array of CMA areas')
  const align = cmaMinAlignmentPages(m, alignment)
  const top = [...m.zones].reverse().find((z) => z.type !== 3 && z.presentPages > 0)
  let next = belowReserved(m, top ? top.endPfn : m.endPfn)
  raw.forEach((a: unknown, i) => {
    const f = `cma[${i}]`
    if (typeof a !== 'object' || a === null) throw new ConfigError(f, 'must be an object')
    const o = a as Record<string, unknown>
    if (typeof o.name !== 'string' || o.name === '')
      throw new ConfigError(`${f}.name`, 'must be a name')
    const nrPages = Math.round(num(o.sizeMiB, `${f}.sizeMiB`, 1) * PAGES_PER_MIB)
    const orderPerBit = o.orderPerBit === undefined ? 0 : num(o.orderPerBit, `${f}.orderPerBit`)
    let basePfn: number
    if (o.baseMiB !== undefined)
      basePfn = Math.round(num(o.baseMiB, `${f}.baseMiB`) * PAGES_PER_MIB)
    else {
      basePfn = Math.floor((next - nrPages) / align) * align
      next = basePfn
    }
    try {
      cmaReserve(m, [{ name: o.name, basePfn, nrPages, orderPerBit }], alignment)
    } catch (e) {
      throw new ConfigError(f, (e as Error).message)
    }
  })
}

/**
 * The pfn range of `machine.virtioMem`'s region (default: the top of memory), which is
 * hotplugged memory, not boot RAM: the boot memmap goes below it. Malformed specs give none
 * here; createVirtioMem reports them.
 */
export function virtioMemRegion(cfg: MachineConfig, raw: unknown): [number, number][] {
  if (typeof raw !== 'object' || raw === null) return []
  const o = raw as Record<string, unknown>
  if (typeof o.regionMiB !== 'number') return []
  const pages = Math.round(o.regionMiB * PAGES_PER_MIB)
  const last = cfg.zones[cfg.zones.length - 1]
  const end = last.startPfn + last.nrPages
  const start =
    typeof o.startMiB === 'number' ? Math.round(o.startMiB * PAGES_PER_MIB) : end - pages
  return [[start, start + pages]]
}

export function createVirtioMem(m: Machine, raw: unknown): VirtioMemDevice | null {
  if (raw === undefined) return null
  if (typeof raw !== 'object' || raw === null)
    throw new ConfigError('virtioMem', 'must be an object')
  const o = raw as Record<string, unknown>
  const regionPages = Math.round(num(o.regionMiB, 'virtioMem.regionMiB', 1) * PAGES_PER_MIB)
  const start =
    o.startMiB === undefined
      ? m.endPfn - regionPages
      : Math.round(num(o.startMiB, 'virtioMem.startMiB') * PAGES_PER_MIB)
  try {
    const dev = createVirtioMemDevice(m, {
      regionStartPfn: start,
      regionPages,
      deviceBlockPages:
        o.blockMiB === undefined
          ? undefined
          : num(o.blockMiB, 'virtioMem.blockMiB') * PAGES_PER_MIB,
      memoryBlockPages:
        o.memoryBlockMiB === undefined
          ? undefined
          : num(o.memoryBlockMiB, 'virtioMem.memoryBlockMiB') * PAGES_PER_MIB,
      forceBbm: o.forceBbm === true,
      unplugFallback: o.unplugFallback as VirtioMemSpec['unplugFallback'],
      sbAlignment: o.sbAlignment as VirtioMemSpec['sbAlignment'],
    })
    if (o.requestedMiB !== undefined) {
      virtioMemSetRequestedSize(dev, num(o.requestedMiB, 'virtioMem.requestedMiB') * PAGES_PER_MIB)
    }
    return dev
  } catch (e) {
    if (e instanceof ConfigError) throw e
    throw new ConfigError('virtioMem', (e as Error).message)
  }
}

export interface CmaAllocOutcome {
  pfn: number
  ret: number
  outcome: string
  latencyNs: number
  attempts: number
  busyRetries: number
  nrMigrated: number
  nrReclaimed: number
  belowMinNs: number
}

export class ContigOps {
  constructor(
    private readonly m: Machine,
    private readonly ops: MmOps,
    private readonly rec: MmRecorder,
    readonly virtioMem: VirtioMemDevice | null,
  ) {}

  /**
   * The contiguous allocator's environment on `clock`; its page allocations (migration targets)
   * run the slow path with the run's reclaim environment: kswapd threads, compaction designs.
   */
  private env(clock: SimClock): ContigEnv {
    const migrateFn = this.ops.migrateFn
    const { clock: _c, cost: _k, ...reclaim } = this.ops.reclaim.env(clock)
    return {
      reclaim,
      clock,
      cost: { ...DEFAULT_CONTIG_COSTS, ...this.ops.costModel },
      migrate: {
        ...MIGRATE_API,
        migratePages: (m, from, getNew, putNew, opts) =>
          migrateFn(m, from, getNew, putNew, { ...opts, clock: opts.clock as SimClock }),
      },
      locks: this.ops.locks,
    }
  }

  /** Runs `fn`, then wakes the kswapd threads its page allocations left pending. */
  private kicking<T>(clock: SimClock, fn: () => T): T {
    const v = fn()
    this.ops.reclaim.kickKswapd(clock.nowNs)
    return v
  }

  private outcome(
    kind: string,
    startNs: number,
    outcome: string,
    latencyNs: number,
    migrated: number,
    reclaim?: { nrReclaimed: number; belowMinNs: number },
  ): void {
    this.rec.count(`${kind}.${outcome}`, startNs)
    this.rec.histograms.add(`${kind}_latency_ns`, latencyNs)
    this.rec.series('pages_migrated_per_request', startNs, migrated)
    if (reclaim) {
      this.rec.series('pages_reclaimed_per_request', startNs, reclaim.nrReclaimed)
      this.rec.series('below_min_ns_per_request', startNs, reclaim.belowMinNs)
    }
  }

  /** `cma_alloc(cma, count, align)`. */
  cmaAlloc(name: string, count: number, align: number): CmaAllocOutcome {
    const area = cmaAreaByName(this.m, name)
    if (!area) throw new RangeError(`cma.alloc: no CMA area named ${JSON.stringify(name)}`)
    if (!Number.isInteger(count) || count <= 0)
      throw new RangeError('cma.alloc: count must be a positive integer')
    if (!Number.isInteger(align) || align < 0)
      throw new RangeError('cma.alloc: align must be an order >= 0')
    const r = this.ops.timed((clock) =>
      this.kicking(clock, () =>
        cmaAlloc(this.m, area, count, align, this.env(clock), this.ops.design.contig),
      ),
    )
    const v = r.value
    this.outcome('cma_alloc', r.startNs, v.outcome, r.latencyNs, v.nrMigrated, v)
    this.rec.event(r.startNs, 'cma_alloc', {
      cma: name,
      count,
      align,
      pfn: v.pfn,
      ret: v.ret,
      outcome: v.outcome,
      attempts: v.attempts,
      busyRetries: v.busyRetries,
      nrMigrated: v.nrMigrated,
      nrReclaimed: v.nrReclaimed,
      belowMinNs: v.belowMinNs,
      latencyNs: r.latencyNs,
    })
    return {
      pfn: v.pfn,
      ret: v.ret,
      outcome: v.outcome,
      latencyNs: r.latencyNs,
      attempts: v.attempts,
      busyRetries: v.busyRetries,
      nrMigrated: v.nrMigrated,
      nrReclaimed: v.nrReclaimed,
      belowMinNs: v.belowMinNs,
    }
  }

  /** `cma_release(cma, pages, count)`. */
  cmaRelease(name: string, pfn: number, count: number): boolean {
    const area = cmaAreaByName(this.m, name)
    if (!area) throw new RangeError(`cma.release: no CMA area named ${JSON.stringify(name)}`)
    return this.ops.timed((clock) => {
      clock.nowNs += this.ops.costModel.freeNs * count
      return cmaRelease(this.m, area, pfn, count)
    }).value
  }

  /** `alloc_contig_range(start, end, migratetype, GFP_KERNEL)`. */
  allocContigRange(start: number, end: number, migratetype: number) {
    const r = this.ops.timed((clock) =>
      this.kicking(clock, () =>
        allocContigRange(this.m, start, end, migratetype, this.env(clock), this.ops.design.contig),
      ),
    )
    const v = r.value
    this.outcome('alloc_contig_range', r.startNs, v.outcome, r.latencyNs, v.nrMigrated, v)
    this.rec.event(r.startNs, 'alloc_contig_range', {
      start,
      end,
      ret: v.ret,
      outcome: v.outcome,
      failedAt: v.failedAt,
      nrMigrated: v.nrMigrated,
      nrReclaimed: v.nrReclaimed,
      belowMinNs: v.belowMinNs,
      latencyNs: r.latencyNs,
    })
    return {
      ret: v.ret,
      outcome: v.outcome,
      latencyNs: r.latencyNs,
      nrMigrated: v.nrMigrated,
      nrReclaimed: v.nrReclaimed,
      belowMinNs: v.belowMinNs,
      failedAt: v.failedAt,
    }
  }

  /** `free_contig_range(pfn, nr_pages)`; returns pages that were still referenced elsewhere. */
  freeContigRange(pfn: number, nrPages: number): number {
    return this.ops.timed((clock) => {
      clock.nowNs += this.ops.costModel.freeNs * nrPages
      return freeContigRange(this.m, pfn, nrPages)
    }).value
  }

  /** The hypervisor asks for `sizeMiB` plugged; the driver's work runs once toward it. */
  virtioMemRequest(sizeMiB: number) {
    const dev = this.virtioMem
    if (!dev)
      throw new Error('virtioMem.request: the machine has no virtio-mem device (machine.virtioMem)')
    virtioMemSetRequestedSize(dev, Math.round(sizeMiB * PAGES_PER_MIB))
    const r = this.ops.timed((clock) =>
      this.kicking(clock, () => virtioMemRun(dev, this.env(clock), this.ops.design.contig)),
    )
    const v = r.value
    this.outcome('virtio_mem', r.startNs, v.outcome, r.latencyNs, v.pagesMigrated)
    this.rec.series(
      'virtio_mem_plugged_mib',
      r.startNs + r.latencyNs,
      dev.pluggedPages / PAGES_PER_MIB,
    )
    this.rec.event(r.startNs, 'virtio_mem', {
      kind: v.kind,
      requestedMiB: sizeMiB,
      diffPages: v.diffPages,
      donePages: v.donePages,
      rc: v.rc,
      outcome: v.outcome,
      pagesMigrated: v.pagesMigrated,
      latencyNs: r.latencyNs,
    })
    return {
      kind: v.kind,
      outcome: v.outcome,
      rc: v.rc,
      donePages: v.donePages,
      pluggedMiB: dev.pluggedPages / PAGES_PER_MIB,
      latencyNs: r.latencyNs,
      pagesMigrated: v.pagesMigrated,
      retryInNs: v.retryInNs,
    }
  }
}
