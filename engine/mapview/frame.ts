/**
 * A memory-map frame: one compact summary per pageblock of the machine's physical memory, in
 * typed arrays (struct of arrays) that cross to the renderer as ArrayBuffers.
 *
 * Encoding walks memory block by block rather than page by page: at a buddy or per-cpu free
 * head, or at an allocated head, it skips the whole `1 << order` block, so a machine that is
 * mostly free or made of large folios costs a few thousand steps even at 64 GiB. Only pages
 * allocated at order 0 are visited one by one (measured in cli/bench/memmapFrames.ts).
 *
 * Occupancy classes follow what compaction can do with a page (mm/compaction.c:
 * isolate_migratepages_block): LRU folios and non-LRU movable pages are "movable used";
 * everything else allocated (slab, kernel pages, unknown boot pages, long-term pinned folios)
 * is "unmovable used"; PG_reserved and PageOffline pages are outside the buddy allocator.
 */
// Engine modules are imported from their defining files (not engine/mm/index.ts): under
// sucrase's require hook (CLI) index re-exports become getters, slow in the per-block loops.
import { type Machine } from '../mm/machine'
import {
  GUP_PIN_COUNTING_BIAS,
  PAGE_ALLOC,
  PAGE_PCP,
  PAGE_TYPE_BUDDY,
  PAGE_TYPE_OFFLINE,
  PG_anon,
  PG_file,
  PG_head,
  PG_lru,
  PG_movable_ops,
  PG_reserved,
} from '../mm/memmap'
import { MIGRATE_ISOLATE } from '../mm/migratetype'

/** `pbFlags` bits of a frame: the stored migratetype (0-2) and markers. */
export const MF_MT_MASK = 7
/** `PB_migrate_skip` is set (compaction skips the block until the skip bits are reset). */
export const MF_SKIP = 8
/** The block is isolated (2025: `PB_migrate_isolate`; before: migratetype MIGRATE_ISOLATE). */
export const MF_ISOLATE = 16
/** The pageblock lies in no zone. */
export const MF_NO_ZONE = 32

export interface MapFrameZone {
  name: string
  nid: number
  startPfn: number
  endPfn: number
}

export interface MapFrame {
  nrPageblocks: number
  pageblockOrder: number
  maxOrder: number
  /** One past the highest pfn. */
  endPfn: number
  zones: MapFrameZone[]
  /** Per pageblock: stored migratetype | MF_SKIP | MF_ISOLATE | MF_NO_ZONE. */
  pbFlags: Uint8Array
  /**
   * Per pageblock: pages in buddy free blocks (PageBuddy), and free blocks compaction has
   * isolated for migration targets (refcount 0) while it runs.
   */
  freePages: Uint16Array
  /** Per pageblock: free pages sitting on per-cpu lists. */
  pcpPages: Uint16Array
  /** Per pageblock: allocated pages compaction could migrate (LRU, non-LRU movable). */
  movablePages: Uint16Array
  /** Per pageblock: other allocated pages (kernel, slab, pinned, boot placeholders). */
  unmovablePages: Uint16Array
  /** Per pageblock: PG_reserved and PageOffline pages (not managed by the buddy allocator). */
  reservedPages: Uint16Array
  /** Per pageblock: largest order of a buddy free block covering part of it, -1 if none. */
  maxFreeOrder: Int8Array
}

/** The frame's buffers, for a transfer list. */
export function frameBuffers(f: MapFrame): ArrayBuffer[] {
  return [
    f.pbFlags,
    f.freePages,
    f.pcpPages,
    f.movablePages,
    f.unmovablePages,
    f.reservedPages,
    f.maxFreeOrder,
  ].map((a) => a.buffer as ArrayBuffer)
}

/** Pages of a pageblock in use (allocated or reserved): everything not free. */
export function usedPages(f: MapFrame, pb: number): number {
  return f.movablePages[pb] + f.unmovablePages[pb] + f.reservedPages[pb]
}

/** True if an allocated head `h` with flags `flags` is a folio compaction could migrate. */
function isMovableHead(m: Machine, h: number, flags: number): boolean {
  if ((flags & (PG_lru | PG_movable_ops | PG_anon | PG_file)) === 0) return false
  // folio_maybe_dma_pinned(): pinned folios are not migrated (migrate_pages fails -EAGAIN).
  if ((flags & PG_head) !== 0) return m.pincount[h] === 0
  return m.refcount[h] < GUP_PIN_COUNTING_BIAS
}

/** Adds `nrPages` starting at `pfn` to `arr`, split at pageblock boundaries. */
function addSpan(arr: Uint16Array, pfn: number, nrPages: number, pbo: number): void {
  const pbNr = 1 << pbo
  if (nrPages <= pbNr && pfn >> pbo === (pfn + nrPages - 1) >> pbo) {
    arr[pfn >> pbo] += nrPages
    return
  }
  const end = pfn + nrPages
  for (let p = pfn; p < end;) {
    const next = Math.min(end, ((p >> pbo) + 1) << pbo)
    arr[p >> pbo] += next - p
    p = next
  }
}

/** Summarises the machine's memory per pageblock. */
export function pageblockFrame(m: Machine): MapFrame {
  const pbo = m.pageblockOrder
  const nrPb = m.pbFlags.length
  const f: MapFrame = {
    nrPageblocks: nrPb,
    pageblockOrder: pbo,
    maxOrder: m.maxOrder,
    endPfn: m.endPfn,
    zones: m.zones.map((z) => ({
      name: z.name,
      nid: z.nid,
      startPfn: z.startPfn,
      endPfn: z.endPfn,
    })),
    pbFlags: new Uint8Array(nrPb),
    freePages: new Uint16Array(nrPb),
    pcpPages: new Uint16Array(nrPb),
    movablePages: new Uint16Array(nrPb),
    unmovablePages: new Uint16Array(nrPb),
    reservedPages: new Uint16Array(nrPb),
    maxFreeOrder: new Int8Array(nrPb).fill(-1),
  }
  for (let i = 0; i < nrPb; i++) {
    const raw = m.pbFlags[i]
    let v = raw & (MF_MT_MASK | MF_SKIP)
    // get_pfnblock_migratetype(): either era's representation of isolation.
    if ((m.isolateBit && (raw & 16) !== 0) || (raw & 7) === MIGRATE_ISOLATE) v |= MF_ISOLATE
    if (m.pbZone[i] === 255) v |= MF_NO_ZONE
    f.pbFlags[i] = v
  }
  const pg = m.pg
  for (const z of m.zones) {
    let pfn = z.startPfn
    const end = z.endPfn
    while (pfn < end) {
      const flags = pg[pfn << 2]
      const order = pg[(pfn << 2) + 1] & 0xff
      if ((flags & PAGE_TYPE_BUDDY) !== 0) {
        const n = 1 << order
        addSpan(f.freePages, pfn, n, pbo)
        const last = Math.min(end, pfn + n) - 1
        for (let pb = pfn >> pbo; pb <= last >> pbo; pb++)
          if (f.maxFreeOrder[pb] < order) f.maxFreeOrder[pb] = order
        pfn += n
      } else if ((flags & PAGE_PCP) !== 0) {
        addSpan(f.pcpPages, pfn, 1 << order, pbo)
        pfn += 1 << order
      } else if ((flags & (PG_reserved | PAGE_TYPE_OFFLINE)) !== 0) {
        f.reservedPages[pfn >> pbo]++
        pfn++
      } else if ((flags & PAGE_ALLOC) !== 0) {
        const n = 1 << order
        // refcount 0: a free block compaction's free scanner took off the buddy lists
        // (isolate_freepages_block); nobody holds it, so the map shows it as free.
        const arr =
          m.refcount[pfn] === 0
            ? f.freePages
            : isMovableHead(m, pfn, flags)
              ? f.movablePages
              : f.unmovablePages
        addSpan(arr, pfn, n, pbo)
        pfn += n
      } else {
        // A page with no head marking: the tail of a block whose head changed state (e.g. a
        // non-compound block freed piecewise). Count it as an unmovable kernel page.
        f.unmovablePages[pfn >> pbo]++
        pfn++
      }
    }
  }
  return f
}
