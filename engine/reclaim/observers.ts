/**
 * Observers told when reclaim unmaps a folio (`try_to_unmap`): whoever keeps the workload's
 * "page tables" (engine/api's folio handles) learns that its mappings of `head` are gone, and for
 * anon folios which swap slots now back them (`swapSlot` .. `swapSlot + nrPages - 1`; -1 for
 * file folios, which refault from the file). Per-machine observers of engine/mm/machineState.ts
 * (subscribers only, never snapshotted).
 */
import { type Machine } from '../mm/machine'
import { defineMachineObservers, peekMachineObservers } from '../mm/machineState'

export type FolioUnmappedObserver = (head: number, nrPages: number, swapSlot: number) => void

const OBSERVERS = 'reclaim.unmapped'
const observersOf = defineMachineObservers(OBSERVERS, (): FolioUnmappedObserver[] => [])

/** Subscribe; returns the unsubscribe function. */
export function onFolioUnmapped(m: Machine, fn: FolioUnmappedObserver): () => void {
  const list = observersOf(m)
  list.push(fn)
  return () => {
    const i = list.indexOf(fn)
    if (i >= 0) list.splice(i, 1)
  }
}

export function notifyUnmapped(m: Machine, head: number, nrPages: number, swapSlot: number): void {
  const list = peekMachineObservers<FolioUnmappedObserver[]>(m, OBSERVERS)
  if (list) for (const fn of list.slice()) fn(head, nrPages, swapSlot)
}
