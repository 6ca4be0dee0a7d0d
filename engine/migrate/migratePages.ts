/**
 * mm/migrate.c:migrate_pages: cut the list into batches of at most NR_MAX_BATCHED_MIGRATION
 * base pages, migrate each batch by the era's rules, count pgmigrate_* / thp_migration_*, and
 * emit mm_migrate_pages_start / mm_migrate_pages. hugetlb folios (migrate_hugetlbs) are not
 * modelled: engine/mm has none.
 */
import { pageFlags, pageOrder, PG_head } from '../mm/memmap'
import { eraAtLeast, type Machine } from '../mm/machine'
import {
  migratePagesBatch,
  migratePagesBatchPerFolio,
  migratePagesSync,
  NR_MAX_BATCHED_MIGRATION,
  NR_MAX_MIGRATE_PAGES_RETRY,
  zeroPagesStats,
} from './batch'
import { createMigrateCtx } from './context'
import { countVmEvent } from '../mm/vmstat'
import {
  VM_PGMIGRATE_FAIL,
  VM_PGMIGRATE_SUCCESS,
  VM_THP_MIGRATION_FAIL,
  VM_THP_MIGRATION_SPLIT,
  VM_THP_MIGRATION_SUCCESS,
} from '../mm/vmstatItems'
import { traceMmMigratePages, traceMmMigratePagesStart } from './counters'
import {
  type DeferredSplitRequeue,
  type MigrateBatching,
  type MigrateOptions,
  type MigrateStats,
  type NewFolioFn,
  type PutFolioFn,
} from './types'

/** The structure the machine's kernel era uses (see `MigrateBatching`). */
export function defaultMigrateBatching(m: Machine): MigrateBatching {
  return eraAtLeast(m, '6.6') ? 'batched' : 'per-folio'
}

/**
 * Whether `migrate_folio_move` requeues the destination (see `DeferredSplitRequeue`): the 6.12
 * era is 6.12.y stable with the 2026 fix; 6.15 and 2025 are upstream kernels from before it.
 */
export function defaultDeferredSplitRequeue(m: Machine): DeferredSplitRequeue {
  return m.cfg.kernelEra === '6.12' ? 'requeue' : 'none'
}

function nrPagesOf(m: Machine, head: number): number {
  return (pageFlags(m, head) & PG_head) !== 0 ? 1 << pageOrder(m, head) : 1
}

/**
 * Cut the next batch off the front of `from`. [6.3+] the folio that reaches 512 pages is the
 * last one in; [6.1.192] the folio that would exceed 512 starts the next batch. A batch always
 * holds at least one folio.
 */
function cutBatch(m: Machine, from: number[], batching: MigrateBatching): number[] {
  let nrPages = 0
  let n = 0
  while (n < from.length) {
    nrPages += nrPagesOf(m, from[n])
    if (batching === 'batched') {
      n++
      if (nrPages >= NR_MAX_BATCHED_MIGRATION) break
    } else {
      if (nrPages > NR_MAX_BATCHED_MIGRATION && n > 0) break
      n++
    }
  }
  return from.splice(0, n)
}

/**
 * mm/migrate.c:migrate_pages. `from` holds head pfns of isolated folios (PG_lru cleared and
 * NR_ISOLATED accounted by the caller, e.g. with `isolateLruFolio`); on return it holds the
 * folios that were not migrated, which the caller puts back with `putbackMovablePages`.
 * Migrated sources are freed to the page allocator; destinations keep the folio's references.
 */
export function migratePages(
  m: Machine,
  from: number[],
  getNew: NewFolioFn,
  putNew: PutFolioFn | null,
  opts: MigrateOptions,
): MigrateStats {
  const prevOp = m.op
  m.op = 'migrate_pages'
  const ctx = createMigrateCtx(
    m,
    getNew,
    putNew,
    opts,
    defaultMigrateBatching(m),
    defaultDeferredSplitRequeue(m),
  )
  const startNs = opts.clock.nowNs
  const mode = opts.mode
  traceMmMigratePagesStart(m, mode, opts.reason)
  const stats = zeroPagesStats()
  const ret: number[] = []
  const splitFolios: number[] = []
  let rcGather = 0
  while (from.length > 0) {
    const folios = cutBatch(m, from, ctx.batching)
    let rc: number
    if (ctx.batching === 'per-folio') {
      rc = migratePagesBatchPerFolio(ctx, folios, mode, ret, stats)
    } else if (mode === 'async') {
      rc = migratePagesBatch(ctx, folios, mode, ret, splitFolios, stats, NR_MAX_MIGRATE_PAGES_RETRY)
    } else {
      rc = migratePagesSync(ctx, folios, mode, ret, splitFolios, stats)
    }
    ret.push(...folios)
    if (rc < 0) {
      rcGather = rc
      ret.push(...splitFolios.splice(0))
      break
    }
    if (splitFolios.length > 0) {
      // Pieces of split folios: minimal effort, MIGRATE_ASYNC, one pass, failures not counted
      // (the large folio already counted as one).
      const pieces = splitFolios.splice(0)
      migratePagesBatch(ctx, pieces, 'async', ret, null, stats, 1)
      ret.push(...pieces)
    }
    rcGather += rc
  }
  // Permanent failures go back to the front of the caller's list.
  from.unshift(...ret)
  if (from.length === 0) rcGather = 0

  countVmEvent(m, VM_PGMIGRATE_SUCCESS, stats.nrSucceeded)
  countVmEvent(m, VM_PGMIGRATE_FAIL, stats.nrFailedPages)
  countVmEvent(m, VM_THP_MIGRATION_SUCCESS, stats.nrThpSucceeded)
  countVmEvent(m, VM_THP_MIGRATION_FAIL, stats.nrThpFailed)
  countVmEvent(m, VM_THP_MIGRATION_SPLIT, stats.nrThpSplit)
  traceMmMigratePages(m, stats, mode, opts.reason)

  const out = ctx.out
  out.nrSucceeded = stats.nrSucceeded
  out.nrFailedPages = stats.nrFailedPages
  out.nrThpSucceeded = stats.nrThpSucceeded
  out.nrThpFailed = stats.nrThpFailed
  out.nrThpSplit = stats.nrThpSplit
  out.retval = rcGather
  out.callNs = opts.clock.nowNs - startNs
  m.op = prevOp
  return out
}
