/**
 * The part of the KernelSys call table that reaches compaction, migration, the page cache,
 * CMA, alloc_contig_range and virtio-mem (mmOps.ts, contigOps.ts), and the folio handles
 * that follow migration. Results cross into the script realm as JSON text (guestKernel.ts
 * parses them there).
 */
import { cmaState } from '../cma'
import { makeFileLruFolio, MIGRATE_REASONS } from '../migrate'
import { lruAdd } from '../reclaim'
import { folioPutLru } from '../migrate/isolate'
import {
  __GFP_COMP,
  compoundHead,
  folioOrder,
  folioTestFlag,
  NO_PAGE,
  PG_file,
  type Machine,
} from '../mm'
import type { Scheduler } from '../sched/scheduler'
import type { ContigOps } from './contigOps'
import type { FolioHandles } from './folioHandles'
import { assertLiveFolio, assertPfn } from './folioOps'
import type { KernelSys } from './kernelSys'
import type { MigrateRequest, MmOps } from './mmOps'

const MIGRATE_MODES = ['async', 'sync-light', 'sync']

export interface MmSysDeps {
  m: Machine
  sched: Scheduler
  ops: MmOps
  contig: ContigOps
  handles: FolioHandles
  /** Refuses to free a folio still locked or under writeback (kernel.ts). */
  checkFreeable(pfn: number, what: string): void
}

type MmSys = Pick<
  KernelSys,
  | 'filemapAddFolio'
  | 'filemapRemoveFolio'
  | 'handleNew'
  | 'handlePfn'
  | 'compactMemory'
  | 'tryToCompactPages'
  | 'wakeKcompactd'
  | 'migratePages'
  | 'cmaAlloc'
  | 'cmaRelease'
  | 'cmaAreas'
  | 'allocContigRange'
  | 'freeContigRange'
  | 'virtioMemRequest'
  | 'walkerArm'
  | 'walkerRelease'
  | 'histogram'
>

function json(v: unknown): string {
  return JSON.stringify(v)
}

function checkOrder(m: Machine, order: number, what: string): void {
  if (!Number.isInteger(order) || order < 0 || order > m.maxOrder) {
    throw new RangeError(`${what}: order ${order} is not in 0..${m.maxOrder} (MAX_PAGE_ORDER)`)
  }
}

function checkGfp(gfp: number, what: string): void {
  if (!Number.isInteger(gfp) || gfp < 0 || gfp >= 2 ** 31) {
    throw new RangeError(
      `${what}: gfp ${gfp} is not a GFP mask (use GFP_KERNEL, GFP_HIGHUSER_MOVABLE, ...)`,
    )
  }
}

export function createMmSys(deps: MmSysDeps): MmSys {
  const { m, sched, ops, contig, handles, checkFreeable } = deps
  const cost = sched.cost
  const recorder = ops.recorder
  return {
    filemapAddFolio(gfp, order) {
      checkGfp(gfp, 'filemapAddFolio')
      checkOrder(m, order, 'filemapAddFolio')
      const pfn = ops.allocPages(order > 0 ? gfp | __GFP_COMP : gfp, order)
      if (pfn === NO_PAGE) return -1
      handles.allocated(pfn)
      // The page cache holds one reference per page; the caller keeps none (as after
      // filemap_add_folio and the read path's folio_put).
      makeFileLruFolio(m, pfn, 0)
      lruAdd(m, pfn)
      sched.charge(cost.bookkeepingNs * 2 ** order)
      return pfn
    },
    filemapRemoveFolio(pfn) {
      assertLiveFolio(m, pfn, 'filemapRemoveFolio')
      const head = compoundHead(m, pfn)
      if (!folioTestFlag(m, head, PG_file)) {
        throw new Error(
          `filemapRemoveFolio: folio at pfn 0x${head.toString(16)} is not in the page cache`,
        )
      }
      checkFreeable(head, 'filemapRemoveFolio')
      const nr = 2 ** folioOrder(m, head)
      // __filemap_remove_folio + folio_put_refs(folio, nr): the cache's references go, and the
      // folio is freed unless somebody else still holds one.
      for (let i = 1; i < nr; i++) folioPutLru(m, head)
      folioPutLru(m, head)
      sched.charge(cost.freeNs)
    },
    handleNew(pfn) {
      return handles.create(pfn)
    },
    handlePfn(id) {
      return handles.pfn(id)
    },
    compactMemory() {
      return json(ops.compactMemory())
    },
    tryToCompactPages(order, gfp, prio) {
      checkGfp(gfp, 'tryToCompactPages')
      checkOrder(m, order, 'tryToCompactPages')
      if (prio !== 0 && prio !== 1 && prio !== 2) {
        throw new RangeError(`tryToCompactPages: priority ${prio} is not a COMPACT_PRIO_* (0..2)`)
      }
      return ops.tryToCompactPages(order, gfp, prio)
    },
    wakeKcompactd(order) {
      checkOrder(m, order, 'wakeKcompactd')
      return ops.wakeKcompactd(order, 3)
    },
    migratePages(pfnsJson, mode, reason, gfp) {
      if (!MIGRATE_MODES.includes(mode)) {
        throw new RangeError(
          `migratePages: mode ${JSON.stringify(mode)} is not one of ${MIGRATE_MODES.join(', ')}`,
        )
      }
      if (!(MIGRATE_REASONS as readonly string[]).includes(reason)) {
        throw new RangeError(
          `migratePages: reason ${JSON.stringify(reason)} is not one of ${MIGRATE_REASONS.join(', ')}`,
        )
      }
      const pfns = JSON.parse(pfnsJson) as number[]
      for (const pfn of pfns) assertLiveFolio(m, pfn, 'migratePages')
      const req: MigrateRequest = {
        mode: mode as MigrateRequest['mode'],
        reason: reason as MigrateRequest['reason'],
      }
      if (gfp >= 0) req.gfp = gfp
      const r = ops.migrateFolios(pfns, req)
      const s = r.stats
      return json({
        nrSucceeded: s.nrSucceeded,
        nrFailedPages: s.nrFailedPages,
        nrThpSucceeded: s.nrThpSucceeded,
        nrThpFailed: s.nrThpFailed,
        nrThpSplit: s.nrThpSplit,
        retval: s.retval,
        notIsolated: r.notIsolated,
        wastedTargets: s.wastedTargets,
        latencyNs: r.latencyNs,
        folioLatencyNs: s.latencyNs,
        lockHoldNs: s.lockHoldNs,
      })
    },
    cmaAlloc(name, count, align) {
      return json(contig.cmaAlloc(name, count, align))
    },
    cmaRelease(name, pfn, count) {
      return contig.cmaRelease(name, pfn, count)
    },
    cmaAreas() {
      return json(
        cmaState(m).areas.map((a) => ({
          name: a.name,
          basePfn: a.basePfn,
          count: a.count,
          orderPerBit: a.orderPerBit,
          allocPagesSuccess: a.nrPagesSucceeded,
          allocPagesFail: a.nrPagesFailed,
        })),
      )
    },
    allocContigRange(start, end, mt) {
      assertPfn(m, start, 'allocContigRange')
      assertPfn(m, end - 1, 'allocContigRange')
      return json(contig.allocContigRange(start, end, mt))
    },
    freeContigRange(pfn, nrPages) {
      assertPfn(m, pfn, 'freeContigRange')
      return contig.freeContigRange(pfn, nrPages)
    },
    virtioMemRequest(sizeMiB) {
      return json(contig.virtioMemRequest(sizeMiB))
    },
    walkerArm(n) {
      if (!Number.isInteger(n) || n < 0)
        throw new RangeError('pfnWalker.arm: n must be an integer >= 0')
      ops.armWalker(n)
    },
    walkerRelease() {
      sched.charge(cost.bookkeepingNs)
      return ops.releaseWalker()
    },
    histogram(name) {
      return json(recorder.histograms.get(name) ?? null)
    },
  }
}
