/**
 * Observers told when reclaim unmaps a folio (`try_to_unmap`): whoever keeps the workload's
 * "page tables" (engine/api's folio handles) learns that its mappings of `head` are gone, and for
 * anon folios which swap slots now back them (`swapSlot` .. `swapSlot + nrPages - 1`; -1 for
 * file folios, which refault from the file). Per machine on a side table (subscribers only).
 */
import { type Machine } from '../mm/machine'

export type FolioUnmappedObserver = (head: number, nrPages: number, swapSlot: number) => void

const observers = new WeakMap<Machine, FolioUnmappedObserver[]>()

/** Subscribe; returns the unsubscribe function. */
export function onFolioUnmapped(m: Machine, fn: FolioUnmappedObserver): () => void {
  const list = observers.get(m) ?? []
  list.push(fn)
  observers.set(m, list)
  return () => {
    const i = list.indexOf(fn)
    if (i >= 0) list.splice(i, 1)
  }
}

export function notifyUnmapped(m: Machine, head: number, nrPages: number, swapSlot: number): void {
  const list = observers.get(m)
  if (list) for (const fn of list.slice()) fn(head, nrPages, swapSlot)
}
