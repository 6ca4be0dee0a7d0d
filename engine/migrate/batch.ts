/**
 * The pass loops of mm/migrate.c:migrate_pages_batch in both eras.
 *
 * Lists are arrays of head pfns. `from` keeps the folios to retry (-EAGAIN) and the untried
 * ones after -ENOMEM; permanent failures go to `ret`; split pieces to `split`.
 */
import { folioOnDeferredList, folioTestPartiallyMapped } from '../mm/deferredSplit'
import { eraAtLeast } from '../mm/machine'
import { type MigrateCtx } from './context'
import { trySplitFolio } from './split'
import { EAGAIN, ENOMEM, MIGRATEPAGE_SUCCESS, MIGRATEPAGE_UNMAP, type MigrateMode } from './types'
import { headOrder, isThp, migrateFolioMove, migrateFolioUnmap, undoUnmapped } from './unmapMove'
import { headNrPages } from './isolate'

/** `struct migrate_pages_stats`. */
export interface PagesStats {
  nrSucceeded: number
  nrFailedPages: number
  nrThpSucceeded: number
  nrThpFailed: number
  nrThpSplit: number
  /** [6.7+, 6.6.y] large folios (THPs included) split before migrating. */
  nrSplit: number
}

export function zeroPagesStats(): PagesStats {
  return {
    nrSucceeded: 0,
    nrFailedPages: 0,
    nrThpSucceeded: 0,
    nrThpFailed: 0,
    nrThpSplit: 0,
    nrSplit: 0,
  }
}

export const NR_MAX_BATCHED_MIGRATION = 512
export const NR_MAX_MIGRATE_PAGES_RETRY = 10
export const NR_MAX_MIGRATE_ASYNC_RETRY = 3
export const NR_MAX_MIGRATE_SYNC_RETRY = NR_MAX_MIGRATE_PAGES_RETRY - NR_MAX_MIGRATE_ASYNC_RETRY

/**
 * "The rare folio on the deferred split list should be split now" (migrate_pages_batch):
 * [6.10+] 7262f208ca68 "mm/migrate: split source folio if it is on deferred split list";
 * [6.12] only if it is also partially mapped (the split-underused-THP series queues whole
 * folios too). The caller checks `nr_pages > 2`.
 */
function splitDeferredFirst(ctx: MigrateCtx, folio: number): boolean {
  const m = ctx.m
  if (!eraAtLeast(m, '6.10') || !folioOnDeferredList(m, folio)) return false
  return !eraAtLeast(m, '6.12') || folioTestPartiallyMapped(m, folio)
}

function split(ctx: MigrateCtx, head: number, list: number[]): number {
  const rc = trySplitFolio(ctx.m, head, list, ctx.clock, ctx.cost)
  if (rc === 0) ctx.out.nrSplit++
  return rc
}

/**
 * [6.3+] `migrate_pages_batch(from, …, mode, ret, split_folios, stats, nr_pass)`: per pass,
 * unmap every folio (migration entries, the source stays locked), one `try_to_unmap_flush`,
 * then move the unmapped folios, retrying -EAGAIN in place. Non-async modes reach here with
 * one folio at a time (no sleeping on a second lock while holding the first).
 * Returns the number of failed folios, or -ENOMEM.
 */
export function migratePagesBatch(
  ctx: MigrateCtx,
  from: number[],
  mode: MigrateMode,
  ret: number[],
  splitFolios: number[] | null,
  stats: PagesStats,
  nrPass: number,
): number {
  let retry = 1
  let thpRetry = 1
  let nrFailed = 0
  let nrRetryPages = 0
  let rcSaved = 0
  const unmapFolios: number[] = []
  const nosplit = ctx.reason === 'numa_misplaced'
  let jump: 'none' | 'move' | 'out' = 'none'

  for (let pass = 0; pass < nrPass && retry !== 0 && jump === 'none'; pass++) {
    retry = 0
    thpRetry = 0
    nrRetryPages = 0
    const list = from.splice(0)
    for (let i = 0; i < list.length && jump === 'none'; i++) {
      const folio = list[i]
      const thp = isThp(ctx, folio)
      const large = headOrder(ctx, folio) > 0
      const nrPages = headNrPages(ctx.m, folio)
      if (splitFolios && nrPages > 2 && splitDeferredFirst(ctx, folio)) {
        if (split(ctx, folio, splitFolios) === 0) {
          // Counted as a failure, so that migrate_pages does not report success with the
          // pieces still to migrate (Hugh Dickins's 6.10-rc fix of 7262f208ca68).
          nrFailed++
          stats.nrThpFailed += thp
          stats.nrThpSplit += thp
          stats.nrSplit++
          continue
        }
      }
      const rc = migrateFolioUnmap(ctx, folio, mode, true)
      if (rc === -ENOMEM) {
        // Low on memory: don't try the others; move what is unmapped, then exit.
        nrFailed++
        stats.nrThpFailed += thp
        if (large && !nosplit && splitFolios) {
          const r = split(ctx, folio, splitFolios)
          if (r === 0) {
            stats.nrThpSplit += thp
            stats.nrSplit++
            continue
          }
          if (ctx.reason === 'longterm_pin' && r === -EAGAIN) {
            retry++
            thpRetry += thp
            nrRetryPages += nrPages
            nrFailed--
            stats.nrThpFailed -= thp
            from.push(folio)
            continue
          }
        }
        stats.nrFailedPages += nrPages + nrRetryPages
        stats.nrThpFailed += thpRetry
        rcSaved = rc
        from.push(...list.slice(i))
        jump = unmapFolios.length === 0 ? 'out' : 'move'
      } else if (rc === -EAGAIN) {
        retry++
        thpRetry += thp
        nrRetryPages += nrPages
        from.push(folio)
      } else if (rc === MIGRATEPAGE_SUCCESS) {
        stats.nrSucceeded += nrPages
        stats.nrThpSucceeded += thp
      } else if (rc === MIGRATEPAGE_UNMAP) {
        unmapFolios.push(folio)
      } else {
        // Permanent failure (-EBUSY, …): off the list, not retried.
        nrFailed++
        stats.nrThpFailed += thp
        stats.nrFailedPages += nrPages
        ret.push(folio)
      }
    }
  }
  if (jump === 'none') {
    nrFailed += retry
    stats.nrThpFailed += thpRetry
    stats.nrFailedPages += nrRetryPages
  }

  let rc = rcSaved
  if (jump !== 'out') {
    // try_to_unmap_flush(): one TLB shootdown for every folio unmapped with TTU_BATCH_FLUSH.
    if (ctx.flushPending) {
      ctx.clock.nowNs += ctx.cost.tlbFlushNs
      ctx.flushPending = false
    }
    retry = 1
    for (let pass = 0; pass < nrPass && retry !== 0; pass++) {
      retry = 0
      thpRetry = 0
      nrRetryPages = 0
      const list = unmapFolios.splice(0)
      for (const folio of list) {
        const thp = isThp(ctx, folio)
        const nrPages = headNrPages(ctx.m, folio)
        const r = migrateFolioMove(ctx, folio)
        if (r === -EAGAIN) {
          retry++
          thpRetry += thp
          nrRetryPages += nrPages
          unmapFolios.push(folio)
        } else if (r === MIGRATEPAGE_SUCCESS) {
          stats.nrSucceeded += nrPages
          stats.nrThpSucceeded += thp
        } else {
          nrFailed++
          stats.nrThpFailed += thp
          stats.nrFailedPages += nrPages
          ret.push(folio)
        }
      }
    }
    nrFailed += retry
    stats.nrThpFailed += thpRetry
    stats.nrFailedPages += nrRetryPages
    rc = rcSaved !== 0 ? rcSaved : nrFailed
  }
  // Cleanup: sources still unmapped get their mappings back and go to ret.
  for (const folio of unmapFolios) {
    undoUnmapped(ctx, folio)
    ret.push(folio)
  }
  return rc
}

/**
 * [6.3+] `migrate_pages_sync`: an async batch for NR_MAX_MIGRATE_ASYNC_RETRY passes first (its
 * failures are retried, so not counted), then every leftover one folio at a time in the real
 * mode for NR_MAX_MIGRATE_SYNC_RETRY passes.
 */
export function migratePagesSync(
  ctx: MigrateCtx,
  from: number[],
  mode: MigrateMode,
  ret: number[],
  splitFolios: number[],
  stats: PagesStats,
): number {
  let nrFailed = 0
  const folios: number[] = []
  const astats = zeroPagesStats()
  let rc = migratePagesBatch(
    ctx,
    from,
    'async',
    folios,
    splitFolios,
    astats,
    NR_MAX_MIGRATE_ASYNC_RETRY,
  )
  stats.nrSucceeded += astats.nrSucceeded
  stats.nrThpSucceeded += astats.nrThpSucceeded
  stats.nrThpSplit += astats.nrThpSplit
  stats.nrSplit += astats.nrSplit
  if (rc < 0) {
    stats.nrFailedPages += astats.nrFailedPages
    stats.nrThpFailed += astats.nrThpFailed
    ret.push(...folios)
    return rc
  }
  stats.nrThpFailed += astats.nrThpSplit
  // Count every split large folio, not only THPs (a259945efe6a "mm/migrate: correct nr_failed
  // in migrate_pages_sync()", 6.7, in 6.6.y): with nr_thp_split alone, an mTHP split for want
  // of a destination whose pieces then failed left them on `from` while migrate_pages
  // returned 0, and compact_zone, trusting err == 0, never put them back.
  nrFailed += astats.nrSplit
  // Every failed folio but the split large folios is retried one by one, synchronously.
  from.push(...folios)
  while (from.length > 0) {
    const one = [from.shift() as number]
    rc = migratePagesBatch(ctx, one, mode, ret, splitFolios, stats, NR_MAX_MIGRATE_SYNC_RETRY)
    ret.push(...one)
    if (rc < 0) return rc
    nrFailed += rc
  }
  return nrFailed
}

/**
 * Debian 6.1.192 / ≤6.2 `migrate_pages_batch`: each folio is unmapped and moved at once, with
 * `force = pass > 2`; large-folio failures count separately; folios split for want of a
 * destination are retried afterwards for up to 10 passes without counting their failures.
 * Returns the number of failed folios, or -ENOMEM.
 */
export function migratePagesBatchPerFolio(
  ctx: MigrateCtx,
  from: number[],
  mode: MigrateMode,
  ret: number[],
  stats: PagesStats,
): number {
  let retry = 1
  let largeRetry = 1
  let thpRetry = 1
  let nrFailed = 0
  let nrRetryPages = 0
  let nrLargeFailed = 0
  let splitFolios: number[] = []
  const nosplit = ctx.reason === 'numa_misplaced'
  let noSplitFolioCounting = false

  for (;;) {
    for (
      let pass = 0;
      pass < NR_MAX_MIGRATE_PAGES_RETRY && (retry !== 0 || largeRetry !== 0);
      pass++
    ) {
      retry = 0
      largeRetry = 0
      thpRetry = 0
      nrRetryPages = 0
      const list = from.splice(0)
      for (let i = 0; i < list.length; i++) {
        const folio = list[i]
        const large = headOrder(ctx, folio) > 0
        const thp = isThp(ctx, folio)
        const nrPages = headNrPages(ctx.m, folio)
        let rc = migrateFolioUnmap(ctx, folio, mode, pass > 2)
        if (rc === MIGRATEPAGE_UNMAP) rc = migrateFolioMove(ctx, folio)
        if (rc === -ENOMEM) {
          if (large) {
            nrLargeFailed++
            stats.nrThpFailed += thp
            if (!nosplit) {
              const r = split(ctx, folio, splitFolios)
              if (r === 0) {
                stats.nrThpSplit += thp
                continue
              }
              if (ctx.reason === 'longterm_pin' && r === -EAGAIN) {
                largeRetry++
                thpRetry += thp
                nrRetryPages += nrPages
                nrLargeFailed--
                stats.nrThpFailed -= thp
                from.push(folio)
                continue
              }
            }
          } else if (!noSplitFolioCounting) {
            nrFailed++
          }
          stats.nrFailedPages += nrPages + nrRetryPages
          ret.push(...splitFolios)
          splitFolios = []
          nrLargeFailed += largeRetry
          stats.nrThpFailed += thpRetry
          from.push(...list.slice(i))
          return rc
        } else if (rc === -EAGAIN) {
          if (large) {
            largeRetry++
            thpRetry += thp
          } else if (!noSplitFolioCounting) {
            retry++
          }
          nrRetryPages += nrPages
          from.push(folio)
        } else if (rc === MIGRATEPAGE_SUCCESS) {
          stats.nrSucceeded += nrPages
          stats.nrThpSucceeded += thp
        } else {
          if (large) {
            nrLargeFailed++
            stats.nrThpFailed += thp
          } else if (!noSplitFolioCounting) {
            nrFailed++
          }
          stats.nrFailedPages += nrPages
          ret.push(folio)
        }
      }
    }
    nrFailed += retry
    nrLargeFailed += largeRetry
    stats.nrThpFailed += thpRetry
    stats.nrFailedPages += nrRetryPages
    if (splitFolios.length === 0) return nrFailed + nrLargeFailed
    // Migrate the pieces of split folios; their failures were counted once already.
    ret.push(...from.splice(0))
    from.push(...splitFolios)
    splitFolios = []
    noSplitFolioCounting = true
    retry = 1
  }
}
