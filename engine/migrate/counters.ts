/**
 * Migration's counters and tracepoints, through engine/mm's registry:
 * - /proc/vmstat events `pgmigrate_success`, `pgmigrate_fail`, `thp_migration_success`,
 *   `thp_migration_fail`, `thp_migration_split` (mm/migrate.c:migrate_pages count_vm_events),
 *   `thp_split_page` (mm/huge_memory.c:split_huge_page_to_list): `countVmEvent` slots.
 * - Node gauges `nr_isolated_anon` / `nr_isolated_file` (NR_ISOLATED_ANON + folio_is_file_lru):
 *   `modNodePageState`.
 * - Tracepoints `mm_migrate_pages_start` and `mm_migrate_pages` (include/trace/events/migrate.h):
 *   `emitTrace`; subscribe with engine/mm's `traceSubscribe`.
 * - Observers told when a folio moved (the rmap walk of remove_migration_ptes), so whoever keeps
 *   handles to folios (the workload API's "page tables") can follow them. These are per machine
 *   observers of engine/mm/machineState.ts (subscribers, not state: never snapshotted).
 */
import { type Machine } from '../mm/machine'
import { defineMachineObservers, peekMachineObservers } from '../mm/machineState'
import { emitTrace } from '../mm/trace'
import { TP_MM_MIGRATE_PAGES, TP_MM_MIGRATE_PAGES_START } from '../mm/traceTypes'
import { modNodePageState, nodePageState } from '../mm/vmstat'
import {
  NR_ISOLATED_ANON,
  NR_ISOLATED_FILE,
  VM_PGMIGRATE_FAIL,
  VM_PGMIGRATE_SUCCESS,
  VM_THP_MIGRATION_FAIL,
  VM_THP_MIGRATION_SPLIT,
  VM_THP_MIGRATION_SUCCESS,
  VM_THP_SPLIT_PAGE,
} from '../mm/vmstatItems'
import { MIGRATE_MODE_NAMES, type MigrateMode, type MigrateReason } from './types'

export type { MmMigratePagesEvent, MmMigratePagesStartEvent } from '../mm/traceTypesMigrate'

/** The migration vm events of a machine, read from engine/mm's counters. */
export interface MigrateVmEvents {
  pgmigrate_success: number
  pgmigrate_fail: number
  thp_migration_success: number
  thp_migration_fail: number
  thp_migration_split: number
  thp_split_page: number
}

/** Called after a folio moved from `src` to `dst` (both head pfns), before `src` is freed. */
export type FolioMovedObserver = (src: number, dst: number, nrPages: number) => void
/** Called after a large folio was split: `pieces` are the new head pfns (including `head`). */
export type FolioSplitObserver = (head: number, pieces: readonly number[]) => void

interface MigrateObservers {
  moved: FolioMovedObserver[]
  split: FolioSplitObserver[]
}

const OBSERVERS = 'migrate.observers'
const observersOf = defineMachineObservers(OBSERVERS, (): MigrateObservers => ({
  moved: [],
  split: [],
}))

/** The migration vm events of a machine (a copy of engine/mm's counters). */
export function migrateVmEvents(m: Machine): Readonly<MigrateVmEvents> {
  const ev = m.vmEvents
  return {
    pgmigrate_success: ev[VM_PGMIGRATE_SUCCESS],
    pgmigrate_fail: ev[VM_PGMIGRATE_FAIL],
    thp_migration_success: ev[VM_THP_MIGRATION_SUCCESS],
    thp_migration_fail: ev[VM_THP_MIGRATION_FAIL],
    thp_migration_split: ev[VM_THP_MIGRATION_SPLIT],
    thp_split_page: ev[VM_THP_SPLIT_PAGE],
  }
}

/** `nr_isolated_anon` / `nr_isolated_file` of node `nid`, in pages. */
export function nrIsolated(m: Machine, nid: number): { anon: number; file: number } {
  return {
    anon: nodePageState(m, nid, NR_ISOLATED_ANON),
    file: nodePageState(m, nid, NR_ISOLATED_FILE),
  }
}

/**
 * Migration's /proc/vmstat lines, in vmstat_text order (node items first, then events). The
 * same values `vmstat(m)` prints among all others; for callers that want only these.
 */
export function migrateVmstat(m: Machine): [name: string, value: number][] {
  let anon = 0
  let file = 0
  for (let nid = 0; nid < m.cfg.nrNodes; nid++) {
    anon += nodePageState(m, nid, NR_ISOLATED_ANON)
    file += nodePageState(m, nid, NR_ISOLATED_FILE)
  }
  const ev = migrateVmEvents(m)
  return [
    ['nr_isolated_anon', anon],
    ['nr_isolated_file', file],
    ['pgmigrate_success', ev.pgmigrate_success],
    ['pgmigrate_fail', ev.pgmigrate_fail],
    ['thp_migration_success', ev.thp_migration_success],
    ['thp_migration_fail', ev.thp_migration_fail],
    ['thp_migration_split', ev.thp_migration_split],
    ['thp_split_page', ev.thp_split_page],
  ]
}

/** `mod_node_page_state(pgdat, NR_ISOLATED_ANON + file, delta)`. */
export function modIsolated(m: Machine, nid: number, file: boolean, delta: number): void {
  modNodePageState(m, nid, file ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, delta)
}

/** `trace_mm_migrate_pages_start(mode, reason)`. */
export function traceMmMigratePagesStart(
  m: Machine,
  mode: MigrateMode,
  reason: MigrateReason,
): void {
  if (m.traceOn[TP_MM_MIGRATE_PAGES_START] === 0) return
  emitTrace(m, TP_MM_MIGRATE_PAGES_START, {
    name: 'mm_migrate_pages_start',
    mode: MIGRATE_MODE_NAMES[mode],
    reason,
  })
}

/** `trace_mm_migrate_pages(...)` at the end of migrate_pages. */
export function traceMmMigratePages(
  m: Machine,
  s: {
    nrSucceeded: number
    nrFailedPages: number
    nrThpSucceeded: number
    nrThpFailed: number
    nrThpSplit: number
  },
  mode: MigrateMode,
  reason: MigrateReason,
): void {
  if (m.traceOn[TP_MM_MIGRATE_PAGES] === 0) return
  emitTrace(m, TP_MM_MIGRATE_PAGES, {
    name: 'mm_migrate_pages',
    nr_succeeded: s.nrSucceeded,
    nr_failed: s.nrFailedPages,
    nr_thp_succeeded: s.nrThpSucceeded,
    nr_thp_failed: s.nrThpFailed,
    nr_thp_split: s.nrThpSplit,
    mode: MIGRATE_MODE_NAMES[mode],
    reason,
  })
}

/** Follow folios as migration moves them; returns the unsubscribe function. */
export function onFolioMoved(m: Machine, fn: FolioMovedObserver): () => void {
  const list = observersOf(m).moved
  list.push(fn)
  return () => {
    const i = list.indexOf(fn)
    if (i >= 0) list.splice(i, 1)
  }
}

/** Follow large folios as migration splits them; returns the unsubscribe function. */
export function onFolioSplit(m: Machine, fn: FolioSplitObserver): () => void {
  const list = observersOf(m).split
  list.push(fn)
  return () => {
    const i = list.indexOf(fn)
    if (i >= 0) list.splice(i, 1)
  }
}

export function notifyMoved(m: Machine, src: number, dst: number, nrPages: number): void {
  const list = peekMachineObservers<MigrateObservers>(m, OBSERVERS)?.moved
  if (list) for (const fn of list.slice()) fn(src, dst, nrPages)
}

export function notifySplit(m: Machine, head: number, pieces: readonly number[]): void {
  const list = peekMachineObservers<MigrateObservers>(m, OBSERVERS)?.split
  if (list) for (const fn of list.slice()) fn(head, pieces)
}
