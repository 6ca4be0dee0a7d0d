/**
 * mm/cma.c:cma_alloc / cma_release: find a clear, aligned run in the area's bitmap, claim it,
 * `alloc_contig_range(pfn, pfn + count, MIGRATE_CMA)`; on -EBUSY give the bits back, trace
 * `cma_alloc_busy_retry` and slide the search one alignment unit on (no sleep in mainline);
 * any other error stops. Counters once per call: cma_alloc_success / cma_alloc_fail and the
 * area's alloc_pages_success / alloc_pages_fail.
 */
import { type Machine } from '../mm/machine'
import { MIGRATE_CMA } from '../mm/migratetype'
import { pageAddress, emitTrace } from '../mm/trace'
import {
  allocContigRange,
  freeContigRange,
  contigOutcome,
  type ContigEnv,
  type ContigVariant,
  type ContigOutcome,
  recordContig,
} from '../contig'
import {
  TP_CMA_ALLOC_BUSY_RETRY,
  TP_CMA_ALLOC_FINISH,
  TP_CMA_ALLOC_START,
  TP_CMA_RELEASE,
} from '../mm/traceTypes'
import { countVmEvent } from '../mm/vmstat'
import { VM_CMA_ALLOC_FAIL, VM_CMA_ALLOC_SUCCESS } from '../mm/vmstatItems'
import {
  bitmapClear,
  bitmapFindNextZeroAreaOff,
  bitmapSet,
  cmaBitmapAlignedMask,
  cmaBitmapAlignedOffset,
  cmaBitmapMaxno,
  cmaBitmapPagesToBits,
} from './bitmap'
import { type CmaArea } from './cmaArea'

const ENOMEM = 12
const EBUSY = 16

/** What one cma_alloc call did. */
export interface CmaAllocRecord {
  cma: string
  count: number
  align: number
  /** First pfn of the allocation, or -1. */
  pfn: number
  /** 0 or the last alloc_contig_range error (-ENOMEM when no bitmap run was free). */
  ret: number
  outcome: ContigOutcome
  /** alloc_contig_range calls made (1 + busy retries, + the failing one). */
  attempts: number
  busyRetries: number
  startNs: number
  latencyNs: number
  /** Base pages migrated by all attempts. */
  nrMigrated: number
  /** Pages reclaimed and below-MIN time over all attempts (seed-004 variants). */
  nrReclaimed: number
  belowMinNs: number
}

/**
 * `cma_alloc(cma, count, align, no_warn)`. `align` is an order (the kernel callers pass
 * `get_order(size)` capped by CONFIG_CMA_ALIGNMENT). Returns the record; `pfn` ≥ 0 on success.
 */
export function cmaAlloc(
  m: Machine,
  cma: CmaArea,
  count: number,
  align: number,
  env: ContigEnv,
  variant?: Partial<ContigVariant>,
): CmaAllocRecord {
  const rec: CmaAllocRecord = {
    cma: cma.name,
    count,
    align,
    pfn: -1,
    ret: -ENOMEM,
    outcome: 'nomem',
    attempts: 0,
    busyRetries: 0,
    startNs: env.clock.nowNs,
    latencyNs: 0,
    nrMigrated: 0,
    nrReclaimed: 0,
    belowMinNs: 0,
  }
  if (count > 0) {
    if (m.traceOn[TP_CMA_ALLOC_START] !== 0)
      emitTrace(m, TP_CMA_ALLOC_START, { name: 'cma_alloc_start', cma: cma.name, count, align })
    const mask = cmaBitmapAlignedMask(cma, align)
    const offset = cmaBitmapAlignedOffset(cma, align)
    const maxno = cmaBitmapMaxno(cma)
    const bitmapCount = cmaBitmapPagesToBits(cma, count)
    let start = 0
    let pfn = -1
    if (bitmapCount <= maxno) {
      for (;;) {
        env.clock.nowNs += env.cost.lockNs
        const bitmapNo = bitmapFindNextZeroAreaOff(
          cma.bitmap,
          maxno,
          start,
          bitmapCount,
          mask,
          offset,
        )
        if (bitmapNo >= maxno) break
        bitmapSet(cma.bitmap, bitmapNo, bitmapCount)
        pfn = cma.basePfn + (bitmapNo << cma.orderPerBit)
        rec.attempts++
        const r = allocContigRange(m, pfn, pfn + count, MIGRATE_CMA, env, variant)
        rec.nrMigrated += r.nrMigrated
        rec.nrReclaimed += r.nrReclaimed
        rec.belowMinNs += r.belowMinNs
        rec.ret = r.ret
        if (r.ret === 0) {
          rec.pfn = pfn
          break
        }
        bitmapClear(cma.bitmap, bitmapNo, bitmapCount)
        if (r.ret !== -EBUSY) break
        rec.busyRetries++
        if (m.traceOn[TP_CMA_ALLOC_BUSY_RETRY] !== 0) {
          emitTrace(m, TP_CMA_ALLOC_BUSY_RETRY, {
            name: 'cma_alloc_busy_retry',
            cma: cma.name,
            pfn,
            page: pageAddress(pfn),
            count,
            align,
            errorno: r.ret,
          })
        }
        start = bitmapNo + mask + 1
      }
    }
    if (m.traceOn[TP_CMA_ALLOC_FINISH] !== 0) {
      emitTrace(m, TP_CMA_ALLOC_FINISH, {
        name: 'cma_alloc_finish',
        cma: cma.name,
        pfn,
        page: pageAddress(rec.pfn),
        count,
        align,
        errorno: rec.ret,
      })
    }
  }
  if (rec.pfn >= 0) {
    rec.ret = 0
    countVmEvent(m, VM_CMA_ALLOC_SUCCESS, 1)
    cma.nrPagesSucceeded += count
  } else {
    countVmEvent(m, VM_CMA_ALLOC_FAIL, 1)
    cma.nrPagesFailed += count
  }
  rec.outcome = contigOutcome(rec.ret)
  rec.latencyNs = env.clock.nowNs - rec.startNs
  recordContig(m, 'cma_alloc', {
    tNs: rec.startNs,
    outcome: rec.outcome,
    latencyNs: rec.latencyNs,
    pagesMigrated: rec.nrMigrated,
    nrPages: count,
    pagesReclaimed: rec.nrReclaimed,
    belowMinNs: rec.belowMinNs,
  })
  return rec
}

/** `cma_release(cma, pages, count)`: false if the pages are not from this area. */
export function cmaRelease(m: Machine, cma: CmaArea, pfn: number, count: number): boolean {
  if (pfn < cma.basePfn || pfn + count > cma.basePfn + cma.count || count <= 0) return false
  freeContigRange(m, pfn, count)
  const bitmapNo = (pfn - cma.basePfn) >> cma.orderPerBit
  bitmapClear(cma.bitmap, bitmapNo, cmaBitmapPagesToBits(cma, count))
  if (m.traceOn[TP_CMA_RELEASE] !== 0) {
    const ev = { name: 'cma_release', cma: cma.name, pfn, page: pageAddress(pfn), count } as const
    emitTrace(m, TP_CMA_RELEASE, ev)
  }
  return true
}
