/**
 * Folio handles that follow their folio. A workload keeps `Folio` handles the way page tables
 * keep PTEs: when migration moves a folio (remove_migration_ptes rewrites every mapping to the
 * destination) or splits it (the PMD mapping becomes PTEs to each piece), the handle, the
 * default process's mapping and every simulated process's mapping follow. Handles are numbered;
 * the guest reads a handle's current pfn through `handlePfn(id)`.
 *
 * Also tracked here: which folios the default process maps. A movable allocation made by a
 * workload is a fault on anonymous memory in that process, and its one reference is the
 * mapping's (see kernel.ts).
 *
 * Reclaim that swaps a folio out (try_to_unmap: the PTE becomes a swap entry) turns its handles
 * and the default process's mapping into swap entries: keys `-(slot + 1)` stand for "the swap
 * entry at `slot`" where a pfn would be, so split groups keep them. A swap-in (a fault on the
 * entry) maps the new pages where the entry was.
 */
import { onFolioMoved, onFolioSplit } from '../migrate'
import type { Machine } from '../mm'

export class FolioHandles {
  /** Handle id → current head pfn, or a swap key `-(slot + 1)` while swapped out. */
  private readonly pfnOf: number[] = []
  /** Swap key → the handle ids naming the swapped folio. */
  private readonly idsAtSwap = new Map<number, number[]>()
  /** Swap key → base pages of the swapped folio, for every entry the default process maps. */
  readonly defaultSwapped = new Map<number, number>()
  /** Swap key → base pages of the entry, while a handle names it. */
  private readonly swapNr = new Map<number, number>()
  /** Handle ids whose swapped folio was freed (munmap of a swap entry). */
  private readonly released = new Set<number>()
  /** Head pfn → handle ids naming that folio. */
  private readonly idsAt = new Map<number, number[]>()
  /** Head pfns mapped once by the default process. */
  readonly defaultMapped = new Set<number>()
  /**
   * Split large folios of the default process: every piece (by current pfn) → its group, the
   * pieces of one original folio. Dropping the allocation's reference of any piece unmaps the
   * whole original range, as munmap of the mapping would.
   */
  private readonly groupOf = new Map<number, number>()
  private readonly groups = new Map<number, Set<number>>()
  private nextGroup = 0
  /** Destination pfn → the source it was migrated from (latest move), for lock-hold lookups. */
  readonly movedFrom = new Map<number, number>()
  private readonly listeners: ((src: number, dst: number) => void)[] = []
  private readonly splitListeners: ((head: number, pieces: readonly number[]) => void)[] = []
  private readonly offs: (() => void)[] = []

  constructor(m: Machine) {
    this.offs.push(onFolioMoved(m, (src, dst) => this.moved(src, dst)))
    this.offs.push(onFolioSplit(m, (head, pieces) => this.split(head, pieces)))
  }

  /** Also tell `fn` about every move (process page tables). */
  onMoved(fn: (src: number, dst: number) => void): void {
    this.listeners.push(fn)
  }

  onSplit(fn: (head: number, pieces: readonly number[]) => void): void {
    this.splitListeners.push(fn)
  }

  /** A fresh handle for the folio at `pfn`. */
  create(pfn: number): number {
    const id = this.pfnOf.length
    this.pfnOf.push(pfn)
    const ids = this.idsAt.get(pfn)
    if (ids) ids.push(id)
    else this.idsAt.set(pfn, [id])
    return id
  }

  /** A newly allocated folio at `pfn`: handles of an earlier folio there stay where they were. */
  allocated(pfn: number): void {
    this.idsAt.delete(pfn)
    this.movedFrom.delete(pfn)
  }

  pfn(id: number): number {
    const pfn = this.pfnOf[id]
    if (pfn === undefined) throw new RangeError(`no folio handle ${id}`)
    return pfn < 0 ? -1 : pfn
  }

  /** The swap key of a swapped-out handle (`-(slot + 1)`), or 0 when it is resident. */
  swapKey(id: number): number {
    const pfn = this.swapKey0(id)
    if (this.released.has(id)) throw new Error('the swapped-out folio has been freed')
    return pfn < 0 ? pfn : 0
  }

  /**
   * try_to_unmap of an anon folio into swap: handles, the default process's mapping and split
   * groups now hold the swap entry. `slot` < 0 (a file folio): the mapping is simply gone.
   */
  unmapped(head: number, nrPages: number, slot: number): void {
    const key = -(slot + 1)
    const ids = this.idsAt.get(head)
    if (ids && slot >= 0) {
      this.idsAt.delete(head)
      for (const id of ids) this.pfnOf[id] = key
      this.idsAtSwap.set(key, [...(this.idsAtSwap.get(key) ?? []), ...ids])
      this.swapNr.set(key, nrPages)
    }
    if (!this.defaultMapped.delete(head)) return
    if (slot >= 0) this.defaultSwapped.set(key, nrPages)
    const g = this.groupOf.get(head)
    if (g === undefined) return
    this.groupOf.delete(head)
    const set = this.groups.get(g) as Set<number>
    set.delete(head)
    if (slot >= 0) {
      set.add(key)
      this.groupOf.set(key, g)
    }
  }

  /**
   * do_swap_page of every page of the swap entry `key` into `pfns` (order-0 folios, as swap-in
   * is in 6.1): handles name the first page; the default mapping covers all of them, grouped
   * so that freeing the handle unmaps every piece.
   */
  swappedIn(key: number, pfns: readonly number[]): void {
    const ids = this.idsAtSwap.get(key) ?? []
    this.idsAtSwap.delete(key)
    this.swapNr.delete(key)
    for (const id of ids) this.pfnOf[id] = pfns[0]
    if (ids.length > 0) this.idsAt.set(pfns[0], [...(this.idsAt.get(pfns[0]) ?? []), ...ids])
    if (!this.defaultSwapped.delete(key)) return
    let g = this.groupOf.get(key)
    if (g === undefined && pfns.length > 1) {
      g = this.nextGroup++
      this.groups.set(g, new Set())
    }
    if (g !== undefined) {
      this.groupOf.delete(key)
      const set = this.groups.get(g) as Set<number>
      set.delete(key)
      for (const p of pfns) {
        set.add(p)
        this.groupOf.set(p, g)
      }
    }
    for (const p of pfns) this.defaultMapped.add(p)
  }

  /** The handle's swapped folio was freed by the workload: later uses are errors. */
  release(id: number): void {
    this.released.add(id)
  }

  /**
   * The pieces (pfns, or swap keys while swapped) of the default process's allocation that `k`
   * (a pfn or swap key) belongs to: every piece of a split folio, or `k` alone.
   */
  rangeOf(k: number): number[] {
    const g = this.groupOf.get(k)
    return g === undefined ? [k] : [...(this.groups.get(g) as Set<number>)]
  }

  /** True while the handle names a swap entry. */
  isSwapped(id: number): boolean {
    return this.swapKey0(id) < 0
  }

  /** Base pages of the swap entry `key`. */
  swapNrPages(key: number): number {
    return this.swapNr.get(key) ?? this.defaultSwapped.get(key) ?? 1
  }

  /** The swap entry was freed (its last mapping went): its handles name a freed folio. */
  dropSwap(key: number): void {
    for (const id of this.idsAtSwap.get(key) ?? []) this.released.add(id)
    this.idsAtSwap.delete(key)
    this.swapNr.delete(key)
  }

  private swapKey0(id: number): number {
    const pfn = this.pfnOf[id]
    if (pfn === undefined) throw new RangeError(`no folio handle ${id}`)
    return pfn
  }

  private moved(src: number, dst: number): void {
    const ids = this.idsAt.get(src)
    if (ids) {
      for (const id of ids) this.pfnOf[id] = dst
      this.idsAt.delete(src)
      const at = this.idsAt.get(dst)
      if (at) at.push(...ids)
      else this.idsAt.set(dst, ids)
    }
    if (this.defaultMapped.delete(src)) this.defaultMapped.add(dst)
    const g = this.groupOf.get(src)
    if (g !== undefined) {
      this.groupOf.delete(src)
      this.groupOf.set(dst, g)
      const set = this.groups.get(g) as Set<number>
      set.delete(src)
      set.add(dst)
    }
    this.movedFrom.set(dst, src)
    for (const fn of this.listeners) fn(src, dst)
  }

  private split(head: number, pieces: readonly number[]): void {
    // Handles keep naming the head page, now an order-0 (or smaller) folio of its own.
    if (this.defaultMapped.has(head)) {
      let g = this.groupOf.get(head)
      if (g === undefined) {
        g = this.nextGroup++
        this.groups.set(g, new Set([head]))
        this.groupOf.set(head, g)
      }
      const set = this.groups.get(g) as Set<number>
      for (const p of pieces) {
        this.defaultMapped.add(p)
        this.groupOf.set(p, g)
        set.add(p)
      }
    }
    for (const fn of this.splitListeners) fn(head, pieces)
  }

  /**
   * The folios the default process maps for the allocation that `head` came from: `head`
   * itself, or every piece still mapped when the original folio was split; swapped pieces
   * appear as their swap keys. Forgets the group.
   */
  takeDefaultRange(head: number): number[] {
    const g = this.groupOf.get(head)
    const mapped = (k: number): boolean =>
      k < 0 ? this.defaultSwapped.has(k) : this.defaultMapped.has(k)
    if (g === undefined) return mapped(head) ? [head] : []
    const set = this.groups.get(g) as Set<number>
    this.groups.delete(g)
    const out: number[] = []
    for (const p of set) {
      this.groupOf.delete(p)
      if (mapped(p)) out.push(p)
    }
    return out
  }

  dispose(): void {
    for (const off of this.offs) off()
  }
}
