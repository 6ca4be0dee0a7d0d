/**
 * mm/vmscan.c, node level: `shrink_node` → `prepare_scan_count` → `shrink_lruvec` →
 * `get_scan_count`, `shrink_list` (`shrink_active_list` / `shrink_inactive_list` with
 * `isolate_lru_folios` and `move_folios_to_lru`), `shrink_slab` (engine/reclaim/shrinker.ts), and
 * `should_continue_reclaim` for reclaim/compaction. One root lruvec per node (no memcg).
 */
import { compactionSuitable } from '../compaction/suitable'
import { compactGap } from '../compaction/types'
import { folioPut } from '../mm/folio'
import { type Machine } from '../mm/machine'
import { PAGE_ALLOC_COSTLY_ORDER } from '../mm/pcpIndex'
import { PG_active, PG_lru, PG_workingset, pageFlags, setPageFlags } from '../mm/memmap'
import { modNodePageState } from '../mm/vmstat'
import { NR_ISOLATED_ANON, NR_ISOLATED_FILE } from '../mm/vmstatItems'
import {
  countReclaimEvent,
  emitReclaimTrace,
  PGDEACTIVATE,
  PGREFILL,
  PGSCAN_ANON,
  PGSCAN_DIRECT,
  PGSCAN_KSWAPD,
  PGSTEAL_ANON,
  PGSTEAL_DIRECT,
  PGSTEAL_KSWAPD,
  reclaimTraceOn,
} from './counters'
import {
  folioEvictable,
  folioLruList,
  folioReferenced,
  isLruHead,
  isolatedElsewhere,
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  linkFolio,
  lruOf,
  lruTrusted,
  lruvecLruSize,
  NR_LRU_LISTS,
  unlinkFolio,
} from './lru'
import { createReclaimStat, shrinkFolioList } from './shrinkFolioList'
import { shrinkSlab } from './shrinker'
import { nrSwapPages } from './swap'
import {
  DEACTIVATE_ANON,
  DEACTIVATE_FILE,
  DEFAULT_SWAPPINESS,
  DEF_PRIORITY,
  reclaimCost,
  type ReclaimEnv,
  type ScanControl,
  SWAP_CLUSTER_MAX,
} from './types'
import { endWritebackUntil } from './writeback'

function zoneTypeOf(m: Machine, pfn: number): number {
  return m.zones[m.pbZone[pfn >> m.pageblockOrder]].type
}

/**
 * `isolate_lru_folios()`: take up to `nrToScan` pages' worth of folios from the tail of `lru`
 * of node `nid`, skipping (rotating to the head) folios in zones above `sc.reclaimIdx`. Each
 * taken folio loses PG_lru and gains a reference. Stale entries are dropped on the way.
 */
function isolateLruFolios(
  m: Machine,
  nid: number,
  lru: number,
  nrToScan: number,
  sc: ScanControl,
  out: number[],
): { nrTaken: number; nrScanned: number } {
  const l = lruOf(m)
  const li = nid * NR_LRU_LISTS + lru
  let nrTaken = 0
  let nrScanned = 0
  let budget = l.nrFolios[li]
  const skipped: number[] = []
  while (nrScanned < nrToScan && budget-- > 0) {
    const p = l.tail[li]
    if (p < 0) break
    if (!isLruHead(m, p) || folioLruList(m, p) !== lru) {
      unlinkFolio(m, l, p)
      if (isLruHead(m, p)) linkFolio(m, l, p, folioLruList(m, p), false)
      // Isolated by someone else: skip it (rotate) until they put it back.
      else if (isolatedElsewhere(pageFlags(m, p))) skipped.push(p)
      continue
    }
    const nr = 1 << l.order[p]
    if (zoneTypeOf(m, p) > sc.reclaimIdx) {
      unlinkFolio(m, l, p)
      skipped.push(p)
      continue
    }
    nrScanned += nr
    unlinkFolio(m, l, p)
    setPageFlags(m, p, pageFlags(m, p) & ~PG_lru)
    m.refcount[p]++
    out.push(p)
    nrTaken += nr
  }
  for (let i = skipped.length - 1; i >= 0; i--) linkFolio(m, l, skipped[i], lru, false)
  return { nrTaken, nrScanned }
}

/** `move_folios_to_lru()`: survivors back on the list their flags select; drop our reference. */
function moveFoliosToLru(m: Machine, list: number[]): void {
  const l = lruOf(m)
  for (const h of list) {
    setPageFlags(m, h, pageFlags(m, h) | PG_lru)
    linkFolio(m, l, h, folioLruList(m, h), false)
    folioPut(m, h)
  }
}

/** mm/vmscan.c:shrink_inactive_list. */
function shrinkInactiveList(
  m: Machine,
  nid: number,
  nrToScan: number,
  sc: ScanControl,
  env: ReclaimEnv,
  lru: number,
): number {
  const file = lru === LRU_INACTIVE_FILE
  const taken: number[] = []
  const { nrTaken, nrScanned } = isolateLruFolios(m, nid, lru, nrToScan, sc, taken)
  const iso = file ? NR_ISOLATED_FILE : NR_ISOLATED_ANON
  modNodePageState(m, nid, iso, nrTaken)
  countReclaimEvent(m, sc.isKswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, nrScanned)
  countReclaimEvent(m, PGSCAN_ANON + (file ? 1 : 0), nrScanned)
  if (nrTaken === 0) return 0
  const stat = createReclaimStat()
  const ret: number[] = []
  const nrReclaimed = shrinkFolioList(m, taken, sc, env, ret, stat)
  moveFoliosToLru(m, ret)
  modNodePageState(m, nid, iso, -nrTaken)
  countReclaimEvent(m, sc.isKswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, nrReclaimed)
  countReclaimEvent(m, PGSTEAL_ANON + (file ? 1 : 0), nrReclaimed)
  sc.nrDirty += stat.nrDirty
  sc.nrUnqueuedDirty += stat.nrUnqueuedDirty
  sc.nrWriteback += stat.nrWriteback
  sc.nrImmediate += stat.nrImmediate
  sc.nrTaken += nrTaken
  if (file) sc.nrFileTaken += nrTaken
  if (reclaimTraceOn(m, 'mm_vmscan_lru_shrink_inactive'))
    emitReclaimTrace(m, {
      name: 'mm_vmscan_lru_shrink_inactive',
      nid,
      nr_scanned: nrScanned,
      nr_reclaimed: nrReclaimed,
      nr_dirty: stat.nrDirty,
      nr_writeback: stat.nrWriteback,
      nr_activate: stat.nrActivate,
      nr_ref_keep: stat.nrRefKeep,
      nr_unmap_fail: stat.nrUnmapFail,
      priority: sc.priority,
      file,
    })
  return nrReclaimed
}

/**
 * mm/vmscan.c:shrink_active_list: folios leave the active list for the inactive one; only
 * unevictable ones go elsewhere (the VM_EXEC exception for referenced file text is not
 * modelled). The PTE young bits are consumed (`folio_referenced`).
 */
function shrinkActiveList(
  m: Machine,
  nid: number,
  nrToScan: number,
  sc: ScanControl,
  env: ReclaimEnv,
  lru: number,
): void {
  const l = lruOf(m)
  const rc = reclaimCost(env)
  const taken: number[] = []
  const { nrTaken, nrScanned } = isolateLruFolios(m, nid, lru, nrToScan, sc, taken)
  countReclaimEvent(m, PGREFILL, nrScanned)
  let nrDeactivate = 0
  for (const h of taken) {
    env.clock.nowNs += rc.scanFolioNs
    if (folioEvictable(m, h)) {
      folioReferenced(m, l, h)
      setPageFlags(m, h, (pageFlags(m, h) & ~PG_active) | PG_workingset)
      nrDeactivate += 1 << l.order[h]
    }
  }
  void nrTaken
  moveFoliosToLru(m, taken)
  countReclaimEvent(m, PGDEACTIVATE, nrDeactivate)
}

/** mm/vmscan.c:inactive_is_low: inactive × int_sqrt(10 × GiB) < active. */
export function inactiveIsLow(m: Machine, nid: number, inactiveLru: number): boolean {
  const inactive = lruvecLruSize(m, nid, inactiveLru, 3)
  const active = lruvecLruSize(m, nid, inactiveLru + 1, 3)
  const gb = Math.floor((inactive + active) / (1 << 18))
  const ratio = gb > 0 ? Math.floor(Math.sqrt(10 * gb)) : 1
  return inactive * ratio < active
}

/** `can_reclaim_anon_pages()` for global reclaim: swap space left. */
export function canReclaimAnonPages(m: Machine): boolean {
  return nrSwapPages(m) > 0
}

/** mm/vmscan.c:prepare_scan_count (no refault tracking: deactivation follows inactive_is_low). */
function prepareScanCount(m: Machine, nid: number, sc: ScanControl): void {
  sc.mayDeactivate = 0
  if (sc.forceDeactivate || inactiveIsLow(m, nid, LRU_INACTIVE_ANON))
    sc.mayDeactivate |= DEACTIVATE_ANON
  if (sc.forceDeactivate || inactiveIsLow(m, nid, LRU_INACTIVE_FILE))
    sc.mayDeactivate |= DEACTIVATE_FILE
  const inactiveFile = lruvecLruSize(m, nid, LRU_INACTIVE_FILE, 3)
  sc.cacheTrimMode = inactiveFile >> sc.priority !== 0 && (sc.mayDeactivate & DEACTIVATE_FILE) === 0
  let free = 0
  let highWmark = 0
  for (const z of m.zones) {
    if (z.nid !== nid) continue
    free += z.nrFreePages
    highWmark += z.wmarkHigh
  }
  const fileAll = inactiveFile + lruvecLruSize(m, nid, LRU_ACTIVE_FILE, 3)
  const anon = lruvecLruSize(m, nid, LRU_INACTIVE_ANON, 3)
  sc.fileIsTiny =
    fileAll + free <= highWmark &&
    (sc.mayDeactivate & DEACTIVATE_ANON) === 0 &&
    anon >> sc.priority !== 0
}

/** mm/vmscan.c:get_scan_count: pages to scan per evictable list (SCAN_FRACT with equal costs). */
export function getScanCount(m: Machine, nid: number, sc: ScanControl, env: ReclaimEnv): number[] {
  const swappiness = env.swappiness ?? DEFAULT_SWAPPINESS
  let balance: 'file' | 'anon' | 'equal' | 'fract'
  if (!sc.maySwap || !canReclaimAnonPages(m)) balance = 'file'
  else if (sc.priority === 0 && swappiness > 0) balance = 'equal'
  else if (sc.fileIsTiny) balance = 'anon'
  else if (sc.cacheTrimMode) balance = 'file'
  else balance = 'fract'
  // lru_note_cost is not modelled: anon_cost = file_cost = 0, so ap = swappiness, fp = 200 - it.
  const fraction = [swappiness, 200 - swappiness]
  const denominator = 200
  const nr = [0, 0, 0, 0]
  for (let lru = 0; lru < 4; lru++) {
    const file = lru >= LRU_INACTIVE_FILE ? 1 : 0
    let scan = Math.floor(lruvecLruSize(m, nid, lru, sc.reclaimIdx) / 2 ** sc.priority)
    if (balance === 'fract') scan = Math.floor((scan * fraction[file]) / denominator)
    else if (balance === 'file' && file === 0) scan = 0
    else if (balance === 'anon' && file === 1) scan = 0
    nr[lru] = scan
  }
  return nr
}

/** mm/vmscan.c:shrink_list. */
function shrinkList(
  m: Machine,
  nid: number,
  lru: number,
  nrToScan: number,
  sc: ScanControl,
  env: ReclaimEnv,
): number {
  if (lru === LRU_ACTIVE_ANON || lru === LRU_ACTIVE_FILE) {
    const bit = lru === LRU_ACTIVE_FILE ? DEACTIVATE_FILE : DEACTIVATE_ANON
    if ((sc.mayDeactivate & bit) !== 0) shrinkActiveList(m, nid, nrToScan, sc, env, lru)
    else sc.skippedDeactivate = true
    return 0
  }
  return shrinkInactiveList(m, nid, nrToScan, sc, env, lru)
}

/**
 * mm/vmscan.c:shrink_lruvec: scan the lists in SWAP_CLUSTER_MAX batches until the targets are
 * done or enough was reclaimed (the proportional re-balancing after reaching the target is not
 * modelled: reclaim stops there, except for direct reclaim at DEF_PRIORITY, which scans all).
 */
function shrinkLruvec(m: Machine, nid: number, sc: ScanControl, env: ReclaimEnv): void {
  const nr = getScanCount(m, nid, sc, env)
  const proportional = !sc.isKswapd && sc.priority === DEF_PRIORITY
  let nrReclaimed = 0
  while (nr[LRU_INACTIVE_ANON] > 0 || nr[LRU_ACTIVE_FILE] > 0 || nr[LRU_INACTIVE_FILE] > 0) {
    for (let lru = 0; lru < 4; lru++) {
      if (nr[lru] === 0) continue
      const n = Math.min(nr[lru], SWAP_CLUSTER_MAX)
      nr[lru] -= n
      nrReclaimed += shrinkList(m, nid, lru, n, sc, env)
    }
    if (nrReclaimed >= sc.nrToReclaim && !proportional) break
  }
  sc.nrReclaimed += nrReclaimed
  if (canReclaimAnonPages(m) && inactiveIsLow(m, nid, LRU_INACTIVE_ANON))
    shrinkActiveList(m, nid, SWAP_CLUSTER_MAX, sc, env, LRU_ACTIVE_ANON)
}

/** `in_reclaim_compaction()`. */
function inReclaimCompaction(sc: ScanControl): boolean {
  return sc.order > 0 && (sc.order > PAGE_ALLOC_COSTLY_ORDER || sc.priority < DEF_PRIORITY - 2)
}

/** mm/vmscan.c:should_continue_reclaim: reclaim for compaction until a zone is suitable. */
function shouldContinueReclaim(
  m: Machine,
  nid: number,
  nrReclaimed: number,
  sc: ScanControl,
  extfragThreshold: number | undefined,
): boolean {
  if (!inReclaimCompaction(sc) || nrReclaimed === 0) return false
  for (const z of m.zones) {
    if (z.nid !== nid || z.type > sc.reclaimIdx || z.managedPages === 0) continue
    if (compactionSuitable(m, z, sc.order, sc.reclaimIdx, extfragThreshold)) return false
  }
  let inactive = lruvecLruSize(m, nid, LRU_INACTIVE_FILE, 3)
  if (canReclaimAnonPages(m)) inactive += lruvecLruSize(m, nid, LRU_INACTIVE_ANON, 3)
  return inactive > compactGap(sc.order)
}

/**
 * mm/vmscan.c:shrink_node: complete the IO done by now, then shrink the lruvec, repeating for
 * reclaim/compaction while `should_continue_reclaim`. A node that gave back pages revives a
 * dormant kswapd (`kswapd_failures = 0`).
 */
export function shrinkNode(m: Machine, nid: number, sc: ScanControl, env: ReclaimEnv): void {
  lruTrusted(m, () => shrinkNodeLoop(m, nid, sc, env))
}

function shrinkNodeLoop(m: Machine, nid: number, sc: ScanControl, env: ReclaimEnv): void {
  for (;;) {
    endWritebackUntil(m, env.clock.nowNs)
    const nrReclaimed = sc.nrReclaimed
    const nrScanned = sc.nrScanned
    sc.nrDirty = sc.nrUnqueuedDirty = sc.nrWriteback = sc.nrTaken = 0
    sc.nrFileTaken = sc.nrImmediate = 0
    prepareScanCount(m, nid, sc)
    // shrink_node_memcgs: the LRU lists, then the shrinkers (here the deferred split one).
    shrinkLruvec(m, nid, sc, env)
    shrinkSlab(m, nid, sc.priority, env)
    const progress = sc.nrReclaimed - nrReclaimed
    if (progress > 0) lruOf(m).kswapdFailures[nid] = 0
    if (sc.nrScanned === nrScanned) break
    if (!shouldContinueReclaim(m, nid, progress, sc, env.compaction?.extfragThreshold)) break
  }
}

/** Node's reclaimable pages in a zone (`zone_reclaimable_pages`): file, plus anon with swap. */
export function zoneReclaimablePages(m: Machine, zoneId: number): number {
  const zp = lruOf(m).zonePages
  const b = zoneId * NR_LRU_LISTS
  let n = zp[b + LRU_INACTIVE_FILE] + zp[b + LRU_ACTIVE_FILE]
  if (nrSwapPages(m) > 0) n += zp[b + LRU_INACTIVE_ANON] + zp[b + LRU_ACTIVE_ANON]
  return n
}
