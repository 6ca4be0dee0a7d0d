/**
 * Page-level detail of a window of the memory map, for the zoomed-in view and the hover
 * tooltip: for each page its block (folio or free buddy) head, order and owner kind, and the
 * folio's flags, refcount and mapcount as read on the head (`folio_ref_count`,
 * `folio_mapcount`), since tail pages carry none of them.
 */
import { type Machine } from '../mm/machine'
import {
  GUP_PIN_COUNTING_BIAS,
  PAGE_ALLOC,
  PAGE_BOOT,
  PAGE_PCP,
  PAGE_TYPE_BUDDY,
  PAGE_TYPE_OFFLINE,
  PG_anon,
  PG_file,
  PG_head,
  PG_lru,
  PG_movable_ops,
  PG_reserved,
  PG_slab,
  PG_locked,
  PG_referenced,
  PG_uptodate,
  PG_dirty,
  PG_active,
  PG_workingset,
  PG_private,
  PG_writeback,
  PG_reclaim,
  PG_swapbacked,
  PG_unevictable,
  PG_mlocked,
  PG_isolated,
} from '../mm/memmap'

/** Who owns a page, as the map colours it at page zoom. */
export const PK_FREE = 0
export const PK_PCP = 1
export const PK_ANON = 2
export const PK_FILE = 3
export const PK_MOVABLE_OPS = 4
export const PK_SLAB = 5
export const PK_KERNEL = 6
export const PK_PINNED = 7
export const PK_BOOT = 8
export const PK_RESERVED = 9
export const PK_OFFLINE = 10
export const PK_NO_ZONE = 11
/** A free block compaction isolated as a migration target (refcount 0, off the buddy lists). */
export const PK_ISOLATED_FREE = 12

export const PAGE_KIND_NAMES: readonly string[] = [
  'free (buddy)',
  'free (per-cpu list)',
  'anon',
  'file',
  'non-LRU movable',
  'slab',
  'kernel',
  'pinned (FOLL_LONGTERM)',
  'boot (owner unknown)',
  'reserved',
  'offline',
  'no zone',
  'free (isolated by compaction)',
]

/**
 * Names of the set flags in `%pGp` order and spelling (include/trace/events/mmflags.h); the
 * model bits (anon, file, movable_ops, page types) by what they stand for.
 */
const FLAG_NAMES: readonly (readonly [number, string])[] = [
  [PG_locked, 'locked'],
  [PG_referenced, 'referenced'],
  [PG_uptodate, 'uptodate'],
  [PG_dirty, 'dirty'],
  [PG_lru, 'lru'],
  [PG_active, 'active'],
  [PG_workingset, 'workingset'],
  [PG_slab, 'slab'],
  [PG_reserved, 'reserved'],
  [PG_private, 'private'],
  [PG_writeback, 'writeback'],
  [PG_head, 'head'],
  [PG_reclaim, 'reclaim'],
  [PG_swapbacked, 'swapbacked'],
  [PG_unevictable, 'unevictable'],
  [PG_mlocked, 'mlocked'],
  [PG_isolated, 'isolated'],
  [PG_anon, 'anon'],
  [PG_file, 'file'],
  [PG_movable_ops, 'movable_ops'],
  [PAGE_TYPE_BUDDY, 'buddy'],
  [PAGE_TYPE_OFFLINE, 'offline'],
]

export function pageFlagNames(flags: number): string[] {
  const out: string[] = []
  for (const [bit, name] of FLAG_NAMES) if ((flags & bit) !== 0) out.push(name)
  return out
}

/** Most pages one request may ask for (a 4 Mpx canvas at one pixel per page). */
export const PAGE_DETAIL_MAX_PAGES = 1 << 22

export interface PageDetail {
  startPfn: number
  nrPages: number
  /** Per page: pfn of the head of the block (folio or free buddy) holding it. */
  headPfn: Int32Array
  /** Per page: order of that block. */
  order: Uint8Array
  /** Per page: PK_* owner kind. */
  kind: Uint8Array
  /** Per page: flags of the block's head (the folio's flags). */
  flags: Int32Array
  /** Per page: `folio_ref_count()` (head's `_refcount`). */
  refcount: Int32Array
  /** Per page: `folio_mapcount()` (head's mappings). */
  mapcount: Int32Array
}

function headKind(m: Machine, h: number, flags: number): number {
  if ((flags & PAGE_TYPE_BUDDY) !== 0) return PK_FREE
  if ((flags & PAGE_PCP) !== 0) return PK_PCP
  if ((flags & PG_reserved) !== 0) return PK_RESERVED
  if ((flags & PAGE_TYPE_OFFLINE) !== 0) return PK_OFFLINE
  if ((flags & PAGE_BOOT) !== 0) return PK_BOOT
  if (m.refcount[h] === 0) return PK_ISOLATED_FREE
  if ((flags & PG_slab) !== 0) return PK_SLAB
  const pinned =
    (flags & PG_head) !== 0 ? m.pincount[h] > 0 : m.refcount[h] >= GUP_PIN_COUNTING_BIAS
  if (pinned) return PK_PINNED
  if ((flags & PG_movable_ops) !== 0) return PK_MOVABLE_OPS
  if ((flags & PG_anon) !== 0) return PK_ANON
  if ((flags & (PG_file | PG_lru)) !== 0) return PK_FILE
  return PK_KERNEL
}

/**
 * Detail for `[startPfn, startPfn + nrPages)` (clipped to the machine). Blocks are naturally
 * aligned and at most `1 << maxOrder` pages, so walking heads from the window's start rounded
 * down to that size finds the head of every page in it.
 */
export function pageDetail(m: Machine, startPfn: number, nrPages: number): PageDetail {
  const start = Math.max(0, Math.min(m.endPfn, Math.floor(startPfn)))
  const end = Math.min(m.endPfn, start + Math.max(0, Math.min(PAGE_DETAIL_MAX_PAGES, nrPages)))
  const n = end - start
  const d: PageDetail = {
    startPfn: start,
    nrPages: n,
    headPfn: new Int32Array(n),
    order: new Uint8Array(n),
    kind: new Uint8Array(n),
    flags: new Int32Array(n),
    refcount: new Int32Array(n),
    mapcount: new Int32Array(n),
  }
  const pg = m.pg
  let pfn = start & ~((1 << m.maxOrder) - 1)
  while (pfn < end) {
    const zone = m.zones[m.pbZone[pfn >> m.pageblockOrder]]
    const flags = pg[pfn << 2]
    let order = pg[(pfn << 2) + 1] & 0xff
    let kind: number
    if (!zone) {
      kind = PK_NO_ZONE
      order = 0
    } else if ((flags & (PAGE_TYPE_BUDDY | PAGE_PCP | PAGE_ALLOC)) !== 0) {
      kind = headKind(m, pfn, flags)
      if ((flags & (PG_reserved | PAGE_TYPE_OFFLINE)) !== 0) order = 0
    } else {
      // No head marking: offline, or a leftover tail of a block freed piecewise (see frame.ts).
      kind = (flags & PAGE_TYPE_OFFLINE) !== 0 ? PK_OFFLINE : PK_KERNEL
      order = 0
    }
    const blockEnd = Math.min(end, pfn + (1 << order))
    for (let p = Math.max(pfn, start); p < blockEnd; p++) {
      const i = p - start
      d.headPfn[i] = pfn
      d.order[i] = order
      d.kind[i] = kind
      d.flags[i] = flags
      d.refcount[i] = m.refcount[pfn]
      d.mapcount[i] = m.mapcount[pfn]
    }
    pfn += 1 << order
  }
  return d
}

/** The detail's buffers, for a transfer list. */
export function detailBuffers(d: PageDetail): ArrayBuffer[] {
  return [d.headPfn, d.order, d.kind, d.flags, d.refcount, d.mapcount].map(
    (a) => a.buffer as ArrayBuffer,
  )
}
