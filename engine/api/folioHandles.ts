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
 */
import { onFolioMoved, onFolioSplit } from '../migrate'
import type { Machine } from '../mm'

export class FolioHandles {
  /** Handle id → current head pfn. */
  private readonly pfnOf: number[] = []
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
   * itself, or every piece still mapped when the original folio was split. Forgets the group.
   */
  takeDefaultRange(head: number): number[] {
    const g = this.groupOf.get(head)
    if (g === undefined) return this.defaultMapped.has(head) ? [head] : []
    const set = this.groups.get(g) as Set<number>
    this.groups.delete(g)
    const out: number[] = []
    for (const p of set) {
      this.groupOf.delete(p)
      if (this.defaultMapped.has(p)) out.push(p)
    }
    return out
  }

  dispose(): void {
    for (const off of this.offs) off()
  }
}
