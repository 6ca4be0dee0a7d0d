/**
 * One folio's migration in two steps, as mm/migrate.c splits it since 6.3 (and Debian's 6.1.192
 * already does): `migrate_folio_unmap` (destination, source lock, writeback, migration entries)
 * and `migrate_folio_move` (`move_to_new_folio`, then `remove_migration_ptes` onto the
 * destination and release of the source), plus the undo paths.
 *
 * Reference convention (the kernel's): each mapping holds one reference, the page cache one
 * per page, PG_private one, and the isolator one. After `try_to_migrate` the mappings' references
 * are gone, so `folio_migrate_mapping` expects `1 + (mapping ? nr_pages + private : 0)`; pins
 * (GUP_PIN_COUNTING_BIAS or `_pincount` + 1) and speculative `get_page_unless_zero` holders make
 * the count differ and the move fails with -EAGAIN.
 */
import {
  PAGE_EXTRA,
  pageFlags,
  setPageFlags,
  pageOrder,
  NO_PAGE,
  PG_active,
  PG_anon,
  PG_dirty,
  PG_file,
  PG_head,
  PG_isolated,
  PG_lru,
  PG_mlocked,
  PG_movable_ops,
  PG_private,
  PG_referenced,
  PG_swapbacked,
  PG_unevictable,
  PG_uptodate,
  PG_workingset,
  PG_writeback,
} from '../mm/memmap'
import {
  deferredSplitFolio,
  folioOnDeferredList,
  folioTestPartiallyMapped,
  folioUnqueueDeferredSplit,
  modMthpStat,
  MTHP_STAT_NR_ANON,
} from '../mm/deferredSplit'
import { folioPut, folioSetFlags, folioTrylock, folioUnlock } from '../mm/folio'
import { eraAtLeast } from '../mm/machine'
import { HPAGE_PMD_ORDER } from '../mm/pcpIndex'
import { type MigrateCtx } from './context'
import { modIsolated, notifyMoved } from './counters'
import { folioIsFileLru, folioPutLru, folioTestMovable, headNrPages, pfnNid } from './isolate'
import { MIGRATION_HOLD } from './lockTimeline'
import {
  EAGAIN,
  EBUSY,
  ENOMEM,
  MIGRATEPAGE_SUCCESS,
  MIGRATEPAGE_UNMAP,
  type MigrateMode,
} from './types'

/** Flags `folio_migrate_flags` carries to the destination (accounted ones go through folioSetFlags). */
const MOVED_PLAIN =
  PG_uptodate |
  PG_active |
  PG_referenced |
  PG_workingset |
  PG_private |
  PG_swapbacked |
  PG_unevictable |
  PG_anon |
  PG_file
/** Flags the source loses when they move (the identity bits anon/file/swapbacked/uptodate stay). */
const CLEARED_ON_SRC = PG_active | PG_referenced | PG_workingset | PG_private | PG_unevictable

/** Folio order of a head pfn. */
export function headOrder(ctx: MigrateCtx, head: number): number {
  return (pageFlags(ctx.m, head) & PG_head) !== 0 ? pageOrder(ctx.m, head) : 0
}

/** `folio_test_pmd_mappable`: THP-size, counted in the thp_migration_* events. */
export function isThp(ctx: MigrateCtx, head: number): number {
  return headOrder(ctx, head) >= HPAGE_PMD_ORDER ? 1 : 0
}

function unlockSrc(ctx: MigrateCtx, src: number, lockStartNs: number): void {
  const { m, clock } = ctx
  folioUnlock(m, src)
  clock.nowNs += ctx.cost.lockNs
  ctx.locks?.hold(src, lockStartNs, clock.nowNs, MIGRATION_HOLD)
  ctx.out.lockHoldNs.push(clock.nowNs - lockStartNs)
}

/** `put_new_folio`, or `folio_put(dst)` without one. */
function putDst(
  ctx: MigrateCtx,
  dst: number,
  cause: keyof MigrateCtx['out']['wastedByCause'],
): void {
  ctx.out.wastedTargets++
  ctx.out.wastedByCause[cause]++
  if (ctx.putNew) {
    ctx.putNew(dst)
  } else {
    ctx.clock.nowNs += ctx.cost.freeNs
    folioPut(ctx.m, dst)
  }
}

/** `migrate_folio_done`: NR_ISOLATED goes down (not for movable_ops pages) and the isolation reference is dropped. */
export function migrateFolioDone(ctx: MigrateCtx, src: number, movableOps: boolean): void {
  const { m } = ctx
  if (!movableOps) modIsolated(m, pfnNid(m, src), folioIsFileLru(m, src), -headNrPages(m, src))
  // MR_MEMORY_FAILURE: the page is released by page_handle_poison, not here.
  if (ctx.reason === 'memory_failure') return
  ctx.clock.nowNs += ctx.cost.freeNs
  folioPutLru(m, src)
}

/** May `folio_lock` sleep here? (`migrate_folio_unmap` / ≤6.2 `__unmap_and_move` rules.) */
function lockMayBlock(ctx: MigrateCtx, src: number, mode: MigrateMode, force: boolean): boolean {
  if (mode === 'async' || !force) return false
  // Not safe for direct compaction (PF_MEMALLOC): readahead pages are added locked.
  if (ctx.pfMemalloc) return false
  // [6.3+] "light" mode waits for transient locks, not for I/O (a !uptodate folio is being read).
  if (
    ctx.batching === 'batched' &&
    mode === 'sync-light' &&
    (pageFlags(ctx.m, src) & PG_uptodate) === 0
  )
    return false
  return true
}

/**
 * `try_to_migrate`: replace every mapping with a migration entry; returns how many.
 *
 * [6.9+, anon mTHP since 6.8] A PTE-mapped large anon folio (order 2 to below PMD order; the
 * model maps a PMD-size folio by its PMD) loses its PTEs one at a time (`try_to_migrate_one` →
 * `folio_remove_rmap_pte`): once the first page of its last mapping is unmapped and the others
 * are not, `__folio_remove_rmap` finds it partially mapped and calls
 * `deferred_split_folio(folio, true)` (mm/rmap.c, 6.12), even though migration maps it whole
 * again a moment later.
 */
function tryToMigrate(ctx: MigrateCtx, src: number, mode: MigrateMode): number {
  const { m, clock, cost } = ctx
  const n = m.mapcount[src]
  const order = headOrder(ctx, src)
  if (
    n > 0 &&
    order > 1 &&
    order < HPAGE_PMD_ORDER &&
    (pageFlags(m, src) & PG_anon) !== 0 &&
    eraAtLeast(m, '6.9') &&
    !folioTestPartiallyMapped(m, src)
  )
    deferredSplitFolio(m, src, true)
  m.mapcount[src] = 0
  m.refcount[src] -= n
  clock.nowNs += cost.pteUnmapNs * n
  // TTU_BATCH_FLUSH in async batched migration: one flush for the batch (try_to_unmap_flush).
  if (ctx.batching === 'batched' && mode === 'async') ctx.flushPending = true
  else clock.nowNs += cost.tlbFlushNs
  return n
}

/** `remove_migration_ptes(src, to)`: the migration entries become mappings of `to` again. */
function removeMigrationPtes(ctx: MigrateCtx, to: number, n: number): void {
  const m = ctx.m
  m.mapcount[to] += n
  m.refcount[to] += n
  setPageFlags(m, to, pageFlags(m, to) | PAGE_EXTRA)
  ctx.clock.nowNs += ctx.cost.pteUnmapNs * n
}

/**
 * mm/migrate.c:migrate_folio_unmap. Returns MIGRATEPAGE_SUCCESS (the folio was freed under
 * us), MIGRATEPAGE_UNMAP (locked, unmapped, destination recorded in `ctx.pending`), -ENOMEM
 * (no destination), -EAGAIN (lock contention: retry), or -EBUSY (writeback in a non-SYNC mode).
 * `force` is ≤6.2's `pass > 2`; the batched era always passes true.
 */
export function migrateFolioUnmap(
  ctx: MigrateCtx,
  src: number,
  mode: MigrateMode,
  force: boolean,
): number {
  const { m, clock, cost } = ctx
  if (m.refcount[src] === 1) {
    // Folio was freed from under us: only the isolation reference is left.
    setPageFlags(m, src, pageFlags(m, src) & ~(PG_active | PG_unevictable))
    clock.nowNs += cost.bookkeepingNs
    migrateFolioDone(ctx, src, folioTestMovable(m, src))
    return MIGRATEPAGE_SUCCESS
  }
  const startNs = clock.nowNs
  const order = headOrder(ctx, src)
  const movableOps = folioTestMovable(m, src)
  let dst = NO_PAGE
  if (ctx.allocateTarget === 'before-lock') {
    dst = ctx.getNew(src, order)
    if (dst === NO_PAGE) return -ENOMEM
  }

  clock.nowNs += cost.lockNs
  if (!folioTrylock(m, src)) {
    if (!lockMayBlock(ctx, src, mode, force) || !ctx.waitForLock(src, clock)) {
      if (dst !== NO_PAGE) putDst(ctx, dst, 'lock')
      return -EAGAIN
    }
    // The holder handed PG_locked over to us.
  }
  const lockStartNs = clock.nowNs

  if ((pageFlags(m, src) & PG_writeback) !== 0) {
    // Only MIGRATE_SYNC waits: async's retry loop is too short, sync-light's stall too costly.
    let rc = 0
    if (mode !== 'sync') rc = -EBUSY
    else if (!force || !ctx.waitForWriteback(src, clock)) rc = -EAGAIN
    if (rc !== 0) {
      unlockSrc(ctx, src, lockStartNs)
      if (dst !== NO_PAGE) putDst(ctx, dst, 'writeback')
      return rc
    }
  }

  if (ctx.allocateTarget === 'after-lock') {
    // Keith Busch's deferral: the allocation (and any reclaim or compaction it enters) runs
    // with the source locked; the clock it advances is lock-hold time.
    dst = ctx.getNew(src, order)
    if (dst === NO_PAGE) {
      unlockSrc(ctx, src, lockStartNs)
      return -ENOMEM
    }
  }

  // Nobody else should hold the fresh destination; if somebody does, retry (no BUG).
  clock.nowNs += cost.lockNs
  if (!folioTrylock(m, dst)) {
    unlockSrc(ctx, src, lockStartNs)
    putDst(ctx, dst, 'unmap')
    return -EAGAIN
  }

  let mappings = 0
  if (!movableOps) {
    const hasMapping = (pageFlags(m, src) & (PG_anon | PG_file)) !== 0
    if (!hasMapping) {
      // An orphaned page cache folio with buffers: try_to_free_buffers, then retry.
      if ((pageFlags(m, src) & PG_private) !== 0) {
        setPageFlags(m, src, pageFlags(m, src) & ~PG_private)
        m.refcount[src]--
        folioUnlock(m, dst)
        unlockSrc(ctx, src, lockStartNs)
        putDst(ctx, dst, 'unmap')
        return -EAGAIN
      }
    } else if (m.mapcount[src] > 0) {
      mappings = tryToMigrate(ctx, src, mode)
    }
  }
  ctx.pending.set(src, { dst, mappings, lockStartNs, startNs, movableOps })
  return MIGRATEPAGE_UNMAP
}

/**
 * `move_to_new_folio`: `migrate_folio` / `filemap_migrate_folio` for LRU folios
 * (`folio_migrate_mapping` refcount check, `folio_migrate_flags`, copy), or the driver's
 * `movable_operations->migrate_page` for non-LRU movable pages (the owner's references move).
 */
function moveToNewFolio(ctx: MigrateCtx, dst: number, src: number, movableOps: boolean): number {
  const { m, clock, cost } = ctx
  const f = pageFlags(m, src)
  const nr = headNrPages(m, src)
  if (movableOps) {
    const owner = m.refcount[src] - 1
    m.refcount[src] -= owner
    m.refcount[dst] += owner
    setPageFlags(m, dst, pageFlags(m, dst) | PG_movable_ops)
    setPageFlags(m, src, pageFlags(m, src) & ~(PG_movable_ops | PG_isolated))
    clock.nowNs += cost.pageCopyNs * nr
    return MIGRATEPAGE_SUCCESS
  }
  const file = (f & PG_anon) === 0 && (f & PG_file) !== 0
  const priv = (f & PG_private) !== 0 ? 1 : 0
  // mm/migrate.c:folio_expected_refs
  const expected = 1 + (file ? nr + priv : 0)
  clock.nowNs += cost.bookkeepingNs
  if (m.refcount[src] !== expected) return -EAGAIN
  // __folio_migrate_mapping: "Take off deferred split queue while frozen" (6.10+; before, the
  // source left the queue when freed right after), and the destination counts in nr_anon.
  folioUnqueueDeferredSplit(m, src)
  if ((f & PG_anon) !== 0 && nr > 1) modMthpStat(m, headOrder(ctx, src), MTHP_STAT_NR_ANON, 1)
  if (file) {
    // The page cache slots (and the private data's reference) now point at dst.
    m.refcount[src] -= nr + priv
    m.refcount[dst] += nr + priv
  }
  // folio_migrate_flags; dirty and mlocked go through folioSetFlags for their accounting.
  setPageFlags(m, dst, pageFlags(m, dst) | (f & MOVED_PLAIN))
  setPageFlags(m, src, pageFlags(m, src) & ~CLEARED_ON_SRC)
  if ((f & PG_dirty) !== 0) {
    folioSetFlags(m, src, PG_dirty, false)
    folioSetFlags(m, dst, PG_dirty, true)
  }
  if ((f & PG_mlocked) !== 0) {
    folioSetFlags(m, src, PG_mlocked, false)
    folioSetFlags(m, dst, PG_mlocked, true)
  }
  // folio_migrate_copy
  clock.nowNs += cost.pageCopyNs * nr
  return MIGRATEPAGE_SUCCESS
}

/** Undo an unmapped source: restore its mappings, unlock both, give the destination back. */
export function undoUnmapped(ctx: MigrateCtx, src: number): void {
  const p = ctx.pending.get(src)
  if (!p) return
  ctx.pending.delete(src)
  if (p.mappings > 0) removeMigrationPtes(ctx, src, p.mappings)
  folioUnlock(ctx.m, p.dst)
  unlockSrc(ctx, src, p.lockStartNs)
  putDst(ctx, p.dst, 'move')
}

/**
 * mm/migrate.c:migrate_folio_move for a source left by `migrateFolioUnmap`. On success the
 * destination goes on the LRU with the source's mappings, the source is unlocked and freed
 * (through the page allocator's free path, so it merges with its buddies), and observers learn
 * where the folio went. -EAGAIN in the batched era keeps everything in place for the next
 * pass; any other failure (and -EAGAIN in the per-folio era) undoes the unmap.
 */
export function migrateFolioMove(ctx: MigrateCtx, src: number): number {
  const { m, clock, cost } = ctx
  const p = ctx.pending.get(src)
  if (!p) throw new Error(`migrateFolioMove: pfn ${src} was not unmapped`)
  // The source's queue state, recorded before move_to_new_folio unqueues it.
  const srcDeferredSplit = !p.movableOps && headOrder(ctx, src) > 1 && folioOnDeferredList(m, src)
  const srcPartiallyMapped = srcDeferredSplit && folioTestPartiallyMapped(m, src)
  const rc = moveToNewFolio(ctx, p.dst, src, p.movableOps)
  if (rc !== MIGRATEPAGE_SUCCESS) {
    if (rc === -EAGAIN && ctx.batching === 'batched') return rc
    undoUnmapped(ctx, src)
    return rc
  }
  ctx.pending.delete(src)
  const dst = p.dst
  if (!p.movableOps) {
    // folio_add_lru(dst), then the migration entries point at dst.
    setPageFlags(m, dst, pageFlags(m, dst) | PG_lru)
    if (p.mappings > 0) removeMigrationPtes(ctx, dst, p.mappings)
    // Usama Arif's "mm: migrate: requeue destination folio on deferred split queue" (2026,
    // Fixes dafff3f4c850; in 6.12.y): dst takes the source's queue state, including the
    // PG_partially_mapped that try_to_migrate's PTE-by-PTE unmap set.
    if (srcDeferredSplit && ctx.deferredSplitRequeue === 'requeue')
      deferredSplitFolio(m, dst, srcPartiallyMapped)
  }
  folioUnlock(m, dst)
  clock.nowNs += cost.lockNs
  notifyMoved(m, src, dst, headNrPages(m, src))
  // Drop get_new_folio's reference: dst lives on through its mappings and cache references.
  folioPutLru(m, dst)
  unlockSrc(ctx, src, p.lockStartNs)
  migrateFolioDone(ctx, src, p.movableOps)
  ctx.out.latencyNs.push(clock.nowNs - p.startNs)
  return MIGRATEPAGE_SUCCESS
}
