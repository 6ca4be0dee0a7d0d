/**
 * The per-machine state registry. Every mechanism outside engine/mm's own typed arrays
 * (compaction's cached pfns, the LRU lists, the swap device, kswapd, writeback in flight, CMA
 * areas, contig chart series, ...) keeps its state on the Machine through this registry, never
 * in a module-level table, so that `snapshot(m)` finds all of it and any number of machines can
 * live in one process.
 *
 * Two kinds of per-machine things, kept apart:
 * - **State** (`defineMachineState`): plain data only (numbers, strings, booleans, null,
 *   undefined, arrays, plain objects, typed arrays, Map, Set), in `m.ext[key]`. Snapshotted by
 *   the generic codec (snapshotCodec.ts) and restored as data; the functions that act on it sit
 *   beside it in the defining module.
 * - **Observers** (`defineMachineObservers`): subscriber lists and callbacks (migration's
 *   folio-moved/split observers, reclaim's folio-unmapped observers). In `m.observers[key]`; never
 *   snapshotted. Whoever subscribes re-subscribes on a restored machine: a state definition's
 *   `attach` hook runs when its state is created or adopted from a snapshot, so a mechanism that
 *   follows folios through observers (the LRU, writeback) re-attaches when `restoreSnapshot`
 *   adopts its state (in key order: observers must not depend on their order).
 *
 * Keys are global and unique (`'compaction'`, `'reclaim.lru'`, ...): one module defines each
 * (a module evaluated again, e.g. by hot reload, replaces its definition).
 */
import { type Machine } from './machine'

interface StateDef {
  create: (m: Machine) => unknown
  attach?: (m: Machine, state: unknown) => void
  adopt: (m: Machine) => unknown
}

const stateDefs = new Map<string, StateDef>()
const observerKeys = new Set<string>()

export interface MachineStateOptions<T> {
  /**
   * Subscribe the observers this state needs (e.g. `onFolioMoved`) once the state exists on a
   * machine: after `create`, and after adopting the state from a restored snapshot.
   */
  attach?: (m: Machine, state: T) => void
}

/**
 * Register a kind of per-machine state under `key`; returns its getter. The getter creates the
 * state with `create(m)` on first use (or adopts what a restored snapshot carried), then returns
 * the same object: one property load on the fast path.
 */
export function defineMachineState<T>(
  key: string,
  create: (m: Machine) => T,
  opts: MachineStateOptions<T> = {},
): (m: Machine) => T {
  const attach = opts.attach as StateDef['attach']
  const slow = (m: Machine): T => {
    let s: unknown
    if (Object.prototype.hasOwnProperty.call(m.restored, key)) {
      s = m.restored[key]
      delete m.restored[key]
    } else s = create(m)
    m.ext[key] = s
    attach?.(m, s)
    return s as T
  }
  stateDefs.set(key, { create, attach, adopt: slow })
  return (m: Machine): T => {
    const s = m.ext[key]
    return s !== undefined ? (s as T) : slow(m)
  }
}

/**
 * Adopt every restored state whose kind is defined (its module was imported), in key order, so
 * that their `attach` hooks subscribe at once: a mechanism that follows folios by observers
 * (the LRU) must see the first migration after a restore, not only those after its first use.
 * States of kinds not defined stay in `m.restored` (and in the next snapshot) until defined.
 */
export function adoptRestoredStates(m: Machine): void {
  for (const key of Object.keys(m.restored).sort()) stateDefs.get(key)?.adopt(m)
}

/**
 * Register per-machine observers (callbacks, never snapshotted) under `key`; returns the getter,
 * which creates them with `create(m)` on first use.
 */
export function defineMachineObservers<T>(
  key: string,
  create: (m: Machine) => T,
): (m: Machine) => T {
  observerKeys.add(key)
  return (m: Machine): T => {
    let o = m.observers[key] as T | undefined
    if (o === undefined) {
      o = create(m)
      m.observers[key] = o
    }
    return o
  }
}

/** The observers registered under `key` if any were created on `m` (no creation). */
export function peekMachineObservers<T>(m: Machine, key: string): T | undefined {
  return m.observers[key] as T | undefined
}

/**
 * The state under `key` if this machine has it (created, or carried by a restored snapshot and
 * not yet adopted), without creating it: for read-only queries, so that a query alone never adds
 * an empty state to the machine's snapshot.
 */
export function peekMachineState<T>(m: Machine, key: string): T | undefined {
  if (Object.prototype.hasOwnProperty.call(m.ext, key)) return m.ext[key] as T
  if (Object.prototype.hasOwnProperty.call(m.restored, key)) return m.restored[key] as T
  return undefined
}

/**
 * Every state a snapshot must carry, sorted by key: the live states and those a restore left
 * for a getter not called yet.
 */
export function machineStates(m: Machine): [key: string, state: unknown][] {
  const all = new Map<string, unknown>()
  for (const k of Object.keys(m.restored)) all.set(k, m.restored[k])
  for (const k of Object.keys(m.ext)) all.set(k, m.ext[k])
  return [...all.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
}

/** Keys of every state kind defined so far (modules register when imported). */
export function definedMachineStateKeys(): string[] {
  return [...stateDefs.keys()].sort()
}
