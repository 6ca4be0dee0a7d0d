/**
 * The LRU lists (mm/swap.c, include/linux/mm_inline.h): one root lruvec per node with
 * inactive/active anon and file lists and the unevictable list, as intrusive doubly linked lists
 * over folio head pfns in typed arrays kept in the machine's state registry. New folios go to the
 * head (`list_add`); reclaim takes from the tail (`lru_to_folio`).
 *
 * Other modules change PG_lru without telling this table (migration isolates by clearing PG_lru,
 * `folio_putback_lru` sets it again, the fault-path helpers of engine/migrate set it on new
 * folios). The lists therefore tolerate it: an entry is valid only while its pfn is an
 * allocated head with PG_lru; list walks unlink invalid entries lazily, migration's
 * folio-moved observer moves an entry from source to destination at once, and `lruSync`
 * (called at every reclaim entry point) links folios that became LRU folios behind our back.
 */
import { type Machine } from '../mm/machine'
import { defineMachineState } from '../mm/machineState'
import {
  PAGE_ALLOC,
  PG_active,
  PG_anon,
  PG_file,
  PG_head,
  PG_lru,
  PG_mlocked,
  PG_referenced,
  PG_swapbacked,
  PG_unevictable,
  pageFlags,
  pageOrder,
  setPageFlags,
} from '../mm/memmap'
import { compoundHead } from '../mm/folio'
import {
  VM_COMPACTISOLATED,
  VM_PGALLOC,
  VM_PGFREE,
  VM_PGMIGRATE_FAIL,
  VM_PGMIGRATE_SUCCESS,
  VM_THP_SPLIT_PAGE,
} from '../mm/vmstatItems'
import { onFolioMoved, onFolioSplit } from '../migrate/counters'
import { NR_LRU_BASE, NR_NODE_STAT_ITEMS } from '../mm/vmstatItems'
import { countReclaimEvent, PGACTIVATE } from './counters'

/** `enum lru_list`. */
export const LRU_INACTIVE_ANON = 0
export const LRU_ACTIVE_ANON = 1
export const LRU_INACTIVE_FILE = 2
export const LRU_ACTIVE_FILE = 3
export const LRU_UNEVICTABLE = 4
export const NR_LRU_LISTS = 5
export const LRU_NAMES = [
  'inactive_anon',
  'active_anon',
  'inactive_file',
  'active_file',
  'unevictable',
]

/**
 * The lists of one machine (plain data: machine state, see engine/mm/machineState.ts). Per pfn
 * arrays are indexed by folio head pfn.
 */
export interface Lru {
  readonly next: Int32Array
  readonly prev: Int32Array
  /** List the head is linked on, -1 if none. */
  readonly list: Int8Array
  /** Order the folio had when linked (its pages are counted with it). */
  readonly order: Uint8Array
  /** Model of the PTE accessed bits: mappings that referenced the folio since the last check. */
  readonly young: Uint8Array
  /** Per node × list: head (newest) and tail (oldest) pfn, -1 when empty; folios linked. */
  readonly head: Int32Array
  readonly tail: Int32Array
  readonly nrFolios: Int32Array
  /** Per zone id × list: pages linked (`NR_ZONE_LRU_BASE + lru`). */
  readonly zonePages: Float64Array
  /** Per node: `kswapd_failures`. */
  readonly kswapdFailures: Int32Array
  /** `changeStamp` when the lists were last known consistent (-1: never). */
  syncedStamp: number
  /** A split happened behind our back: the pieces must be found by a full sync. */
  needSync: boolean
  /**
   * Full syncs whenever other modules allocated, freed or migrated since the last one (default).
   * Off when every creator of LRU folios calls `lruAdd` (folio_add_lru), as the kernel's do.
   */
  autoSync: boolean
}

function createLru(m: Machine): Lru {
  const n = m.endPfn
  const nl = m.cfg.nrNodes * NR_LRU_LISTS
  const lru: Lru = {
    next: new Int32Array(n).fill(-1),
    prev: new Int32Array(n).fill(-1),
    list: new Int8Array(n).fill(-1),
    order: new Uint8Array(n),
    young: new Uint8Array(n),
    head: new Int32Array(nl).fill(-1),
    tail: new Int32Array(nl).fill(-1),
    nrFolios: new Int32Array(nl),
    zonePages: new Float64Array(m.zones.length * NR_LRU_LISTS),
    kswapdFailures: new Int32Array(m.cfg.nrNodes),
    syncedStamp: -1,
    needSync: false,
    autoSync: true,
  }
  // A machine restored from a format-3 era snapshot carried gauges of lists this fresh table
  // rebuilds; with no lists yet, the gauges are 0.
  for (let nid = 0; nid < m.cfg.nrNodes; nid++)
    for (let i = 0; i < NR_LRU_LISTS; i++)
      m.nodeStat[nid * NR_NODE_STAT_ITEMS + NR_LRU_BASE + i] = 0
  return lru
}

/**
 * The machine's LRU lists (machine state, created on first use); their migration observers are
 * attached on creation and again on a machine restored from a snapshot.
 */
export const lruOf = defineMachineState('reclaim.lru', createLru, {
  attach(m, lru) {
    // migrate_pages' putback of the destination (folio_add_lru) and the source leaving the LRU.
    onFolioMoved(m, (src, dst) => {
      unlinkFolio(m, lru, src)
      if (isLruHead(m, dst)) linkFolio(m, lru, dst, folioLruList(m, dst), false)
    })
    onFolioSplit(m, (head) => {
      unlinkFolio(m, lru, head)
      lru.needSync = true
    })
  },
})

function zoneIdOf(m: Machine, pfn: number): number {
  return m.pbZone[pfn >> m.pageblockOrder]
}

function nidOf(m: Machine, pfn: number): number {
  return m.zones[zoneIdOf(m, pfn)].nid
}

/**
 * A user folio taken off the LRU by another module (compaction, migration, the workload API):
 * allocated, anon or file, PG_lru clear. Its entry stays linked, so that a putback (which only
 * sets PG_lru again) needs no notice; reclaim's scans skip it meanwhile.
 */
export function isolatedElsewhere(f: number): boolean {
  return (f & (PAGE_ALLOC | PG_lru)) === PAGE_ALLOC && (f & (PG_anon | PG_file)) !== 0
}

/** An allocated folio head with PG_lru: what the lists may hold. */
export function isLruHead(m: Machine, pfn: number): boolean {
  return (pageFlags(m, pfn) & (PAGE_ALLOC | PG_lru)) === (PAGE_ALLOC | PG_lru)
}

/** `folio_is_file_lru()`: not swap-backed. */
export function folioIsFileLru(m: Machine, head: number): boolean {
  return (pageFlags(m, head) & (PG_swapbacked | PG_anon)) === 0
}

/** `folio_evictable()`: not PG_unevictable (ramfs, SHM_LOCK) and not mlocked. */
export function folioEvictable(m: Machine, head: number): boolean {
  return (pageFlags(m, head) & (PG_unevictable | PG_mlocked)) === 0
}

/** `folio_lru_list()` from a head's flags word. */
function lruListOfFlags(f: number): number {
  if ((f & (PG_unevictable | PG_mlocked)) !== 0) return LRU_UNEVICTABLE
  return (
    ((f & (PG_swapbacked | PG_anon)) === 0 ? LRU_INACTIVE_FILE : 0) +
    ((f & PG_active) !== 0 ? 1 : 0)
  )
}

/** `folio_lru_list()`: the list a folio belongs on, from its flags. */
export function folioLruList(m: Machine, head: number): number {
  return lruListOfFlags(pageFlags(m, head))
}

function headOrder(m: Machine, head: number): number {
  return (pageFlags(m, head) & PG_head) !== 0 ? pageOrder(m, head) : 0
}

/** Link `head` on `lru` (at the head, or at the tail for `lruvec_add_folio_tail`). */
export function linkFolio(m: Machine, l: Lru, head: number, lru: number, atTail: boolean): void {
  if (l.list[head] >= 0) unlinkFolio(m, l, head)
  const li = nidOf(m, head) * NR_LRU_LISTS + lru
  const order = headOrder(m, head)
  if (atTail) {
    const t = l.tail[li]
    l.prev[head] = t
    l.next[head] = -1
    if (t >= 0) l.next[t] = head
    else l.head[li] = head
    l.tail[li] = head
  } else {
    const h = l.head[li]
    l.next[head] = h
    l.prev[head] = -1
    if (h >= 0) l.prev[h] = head
    else l.tail[li] = head
    l.head[li] = head
  }
  l.list[head] = lru
  l.order[head] = order
  l.nrFolios[li]++
  l.zonePages[zoneIdOf(m, head) * NR_LRU_LISTS + lru] += 1 << order
  // update_lru_size: the node's NR_LRU_BASE + lru gauge (engine/mm registry).
  m.nodeStat[nidOf(m, head) * NR_NODE_STAT_ITEMS + NR_LRU_BASE + lru] += 1 << order
}

/** `lruvec_del_folio()`: unlink if linked (flags untouched). */
export function unlinkFolio(m: Machine, l: Lru, head: number): void {
  const lru = l.list[head]
  if (lru < 0) return
  const li = nidOf(m, head) * NR_LRU_LISTS + lru
  const p = l.prev[head]
  const n = l.next[head]
  if (p >= 0) l.next[p] = n
  else l.head[li] = n
  if (n >= 0) l.prev[n] = p
  else l.tail[li] = p
  l.next[head] = -1
  l.prev[head] = -1
  l.list[head] = -1
  l.nrFolios[li]--
  l.zonePages[zoneIdOf(m, head) * NR_LRU_LISTS + lru] -= 1 << l.order[head]
  m.nodeStat[nidOf(m, head) * NR_NODE_STAT_ITEMS + NR_LRU_BASE + lru] -= 1 << l.order[head]
}

/**
 * `folio_add_lru()` (mm/swap.c, lru_add_fn): set PG_lru and put the folio at the head of the
 * list its flags select; an unevictable folio loses PG_active and gains PG_unevictable.
 */
export function lruAdd(m: Machine, pfn: number): void {
  const l = lruOf(m)
  const h = compoundHead(m, pfn)
  let f = pageFlags(m, h) | PG_lru
  if ((f & PG_mlocked) !== 0) f = (f & ~PG_active) | PG_unevictable
  setPageFlags(m, h, f)
  linkFolio(m, l, h, folioLruList(m, h), false)
}

/** `lruvec_del_folio()` for a caller that takes a folio off the LRU (clears PG_lru too). */
export function lruDel(m: Machine, pfn: number): void {
  const l = lruOf(m)
  const h = compoundHead(m, pfn)
  unlinkFolio(m, l, h)
  setPageFlags(m, h, pageFlags(m, h) & ~PG_lru)
}

/**
 * `folio_activate()`: an inactive evictable LRU folio moves to the head of its active list
 * (counts pgactivate).
 */
export function folioActivate(m: Machine, pfn: number): void {
  const l = lruOf(m)
  const h = compoundHead(m, pfn)
  const f = pageFlags(m, h)
  if (!isLruHead(m, h) || (f & PG_active) !== 0 || !folioEvictable(m, h)) return
  setPageFlags(m, h, f | PG_active)
  linkFolio(m, l, h, folioLruList(m, h), false)
  countReclaimEvent(m, PGACTIVATE, 1 << headOrder(m, h))
}

/**
 * `folio_mark_accessed()` (mm/swap.c): an access not through a page table (read(), write()):
 * inactive,unreferenced → inactive,referenced → active,unreferenced.
 */
export function folioMarkAccessed(m: Machine, pfn: number): void {
  const h = compoundHead(m, pfn)
  const f = pageFlags(m, h)
  if ((f & PG_referenced) === 0) {
    setPageFlags(m, h, f | PG_referenced)
  } else if ((f & PG_unevictable) === 0 && (f & PG_active) === 0) {
    if (isLruHead(m, h)) folioActivate(m, h)
    else setPageFlags(m, h, f | PG_active)
    setPageFlags(m, h, pageFlags(m, h) & ~PG_referenced)
  }
}

/**
 * An access through `nrPtes` mappings (the hardware sets the PTEs' accessed bits), which
 * `folio_referenced()` reports and clears at the next reclaim look.
 */
export function folioMarkYoung(m: Machine, pfn: number, nrPtes = 1): void {
  const l = lruOf(m)
  const h = compoundHead(m, pfn)
  l.young[h] = Math.min(255, Math.max(l.young[h], nrPtes))
}

/** `folio_referenced()`: young PTEs since the last call, cleared. */
export function folioReferenced(m: Machine, l: Lru, head: number): number {
  const y = Math.min(l.young[head], Math.max(1, m.mapcount[head]))
  l.young[head] = 0
  return m.mapcount[head] > 0 ? y : 0
}

/**
 * What other modules' LRU changes would move: allocations, frees, migrations, splits and
 * compaction isolations (a putback without migration still counts compact_isolated).
 */
function changeStamp(m: Machine): number {
  const ev = m.vmEvents
  return (
    ev[VM_PGALLOC] +
    ev[VM_PGALLOC + 1] +
    ev[VM_PGALLOC + 2] +
    ev[VM_PGALLOC + 3] +
    ev[VM_PGFREE] +
    ev[VM_PGMIGRATE_SUCCESS] +
    ev[VM_PGMIGRATE_FAIL] +
    ev[VM_THP_SPLIT_PAGE] +
    ev[VM_COMPACTISOLATED]
  )
}

/**
 * Run `fn`, whose LRU effects the lists follow (reclaim itself; compaction, whose migrations
 * the folio-moved observer tracks and whose putbacks leave entries linked): if the lists were
 * consistent before, they still are, whatever the allocation and free counters did.
 */
export function lruTrusted<T>(m: Machine, fn: () => T): T {
  const l = lruOf(m)
  const s0 = changeStamp(m)
  const r = fn()
  if (l.syncedStamp === s0) l.syncedStamp = changeStamp(m)
  return r
}

/** `false`: callers promise to `lruAdd` every new LRU folio; no O(pages) syncs. */
export function setLruAutoSync(m: Machine, on: boolean): void {
  lruOf(m).autoSync = on
}

/**
 * Reconcile the lists with the page flags: unlink entries that are no longer allocated LRU
 * heads (freed, split, isolated by someone else), relink entries whose flags now select
 * another list or whose order changed, and link LRU folios nobody told us about. O(pages), so
 * skipped when no allocation, free, migration, split or compaction isolation happened since the
 * last reclaim entry point (flag changes such as mlock are corrected lazily by the scans).
 */
export function lruSync(m: Machine, force = false): void {
  const l = lruOf(m)
  if (!force && !l.needSync && (!l.autoSync || l.syncedStamp === changeStamp(m))) return
  l.needSync = false
  // One pass over every pfn: tails and free pages are never valid entries.
  const pg = m.pg
  const want = PAGE_ALLOC | PG_lru
  const list = l.list
  const lorder = l.order
  const end = m.endPfn
  for (let p = 0; p < end; p++) {
    const f = pg[p << 2]
    if ((f & want) === want) {
      const lru = lruListOfFlags(f)
      const order = (f & PG_head) !== 0 ? pg[(p << 2) + 1] & 0xff : 0
      if (list[p] !== lru || lorder[p] !== order) linkFolio(m, l, p, lru, false)
    } else if (list[p] >= 0 && !isolatedElsewhere(f)) unlinkFolio(m, l, p)
  }
  l.syncedStamp = changeStamp(m)
}

/** Pages on `lru` of zone `zoneId`. */
export function zoneLruPages(m: Machine, zoneId: number, lru: number): number {
  return lruOf(m).zonePages[zoneId * NR_LRU_LISTS + lru]
}

/** `lruvec_lru_size(lruvec, lru, zone_idx)`: pages on `lru` of node `nid` in zones ≤ `zoneIdx`. */
export function lruvecLruSize(m: Machine, nid: number, lru: number, zoneIdx: number): number {
  const l = lruOf(m)
  let n = 0
  for (const z of m.zones)
    if (z.nid === nid && z.type <= zoneIdx) n += l.zonePages[z.id * NR_LRU_LISTS + lru]
  return n
}

/** Node's pages on `lru` (`lruvec_page_state(NR_LRU_BASE + lru)`). */
export function nodeLruPages(m: Machine, nid: number, lru: number): number {
  return lruvecLruSize(m, nid, lru, 3)
}
