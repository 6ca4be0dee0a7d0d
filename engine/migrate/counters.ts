/**
 * Migration's counters and tracepoints, kept beside the Machine (a WeakMap side table) until
 * engine/mm has slots for them:
 * - /proc/vmstat events `pgmigrate_success`, `pgmigrate_fail`, `thp_migration_success`,
 *   `thp_migration_fail`, `thp_migration_split` (mm/migrate.c:migrate_pages count_vm_events),
 *   `thp_split_page` (mm/huge_memory.c:split_huge_page_to_list), and the node gauges
 *   `nr_isolated_anon` / `nr_isolated_file` (NR_ISOLATED_ANON + folio_is_file_lru).
 * - Tracepoints `mm_migrate_pages_start` and `mm_migrate_pages` (include/trace/events/migrate.h)
 *   with the kernel's field names.
 * - Observers told when a folio moved (the rmap walk of remove_migration_ptes), so whoever keeps
 *   handles to folios (the workload API's "page tables") can follow them.
 */
import { type Machine } from '../mm'
import { MIGRATE_MODE_NAMES, type MigrateMode, type MigrateReason } from './types'

export interface MigrateVmEvents {
  pgmigrate_success: number
  pgmigrate_fail: number
  thp_migration_success: number
  thp_migration_fail: number
  thp_migration_split: number
  thp_split_page: number
}

export interface MmMigratePagesStartEvent {
  name: 'mm_migrate_pages_start'
  mode: string
  reason: MigrateReason
}

export interface MmMigratePagesEvent {
  name: 'mm_migrate_pages'
  nr_succeeded: number
  nr_failed: number
  nr_thp_succeeded: number
  nr_thp_failed: number
  nr_thp_split: number
  mode: string
  reason: MigrateReason
}

export type MigrateTraceEvent = MmMigratePagesStartEvent | MmMigratePagesEvent
export type MigrateTraceEventName = MigrateTraceEvent['name']

/** Called after a folio moved from `src` to `dst` (both head pfns), before `src` is freed. */
export type FolioMovedObserver = (src: number, dst: number, nrPages: number) => void
/** Called after a large folio was split: `pieces` are the new head pfns (including `head`). */
export type FolioSplitObserver = (head: number, pieces: readonly number[]) => void

interface MigrateSide {
  ev: MigrateVmEvents
  /** Per node: [isolated anon, isolated file] in pages. */
  isolated: number[][]
  subs: Map<MigrateTraceEventName, ((ev: MigrateTraceEvent) => void)[]>
  moved: FolioMovedObserver[]
  split: FolioSplitObserver[]
}

const side = new WeakMap<Machine, MigrateSide>()

function sideOf(m: Machine): MigrateSide {
  let s = side.get(m)
  if (!s) {
    s = {
      ev: {
        pgmigrate_success: 0,
        pgmigrate_fail: 0,
        thp_migration_success: 0,
        thp_migration_fail: 0,
        thp_migration_split: 0,
        thp_split_page: 0,
      },
      isolated: Array.from({ length: m.cfg.nrNodes }, () => [0, 0]),
      subs: new Map(),
      moved: [],
      split: [],
    }
    side.set(m, s)
  }
  return s
}

/** The migration vm events of a machine (live object: read, do not write). */
export function migrateVmEvents(m: Machine): Readonly<MigrateVmEvents> {
  return sideOf(m).ev
}

/** Internal: add to a counter. */
export function countMigrateEvent(m: Machine, item: keyof MigrateVmEvents, n: number): void {
  sideOf(m).ev[item] += n
}

/** `nr_isolated_anon` / `nr_isolated_file` of node `nid`, in pages. */
export function nrIsolated(m: Machine, nid: number): { anon: number; file: number } {
  const a = sideOf(m).isolated[nid]
  return { anon: a[0], file: a[1] }
}

/** Internal: `mod_node_page_state(NR_ISOLATED_ANON + file, delta)`. */
export function modIsolated(m: Machine, nid: number, file: boolean, delta: number): void {
  sideOf(m).isolated[nid][file ? 1 : 0] += delta
}

/** /proc/vmstat lines for migration, in vmstat_text order (node items first, then events). */
export function migrateVmstat(m: Machine): [name: string, value: number][] {
  const s = sideOf(m)
  let anon = 0
  let file = 0
  for (const [a, f] of s.isolated) {
    anon += a
    file += f
  }
  return [
    ['nr_isolated_anon', anon],
    ['nr_isolated_file', file],
    ['pgmigrate_success', s.ev.pgmigrate_success],
    ['pgmigrate_fail', s.ev.pgmigrate_fail],
    ['thp_migration_success', s.ev.thp_migration_success],
    ['thp_migration_fail', s.ev.thp_migration_fail],
    ['thp_migration_split', s.ev.thp_migration_split],
    ['thp_split_page', s.ev.thp_split_page],
  ]
}

/** Subscribe to a migration tracepoint; returns the unsubscribe function. */
export function migrateTraceSubscribe<N extends MigrateTraceEventName>(
  m: Machine,
  name: N,
  cb: (ev: Extract<MigrateTraceEvent, { name: N }>) => void,
): () => void {
  const s = sideOf(m)
  let list = s.subs.get(name)
  if (!list) s.subs.set(name, (list = []))
  const fn = cb as (ev: MigrateTraceEvent) => void
  list.push(fn)
  return () => {
    const l = s.subs.get(name)
    const i = l ? l.indexOf(fn) : -1
    if (l && i >= 0) l.splice(i, 1)
  }
}

function emit(m: Machine, ev: MigrateTraceEvent): void {
  const list = side.get(m)?.subs.get(ev.name)
  if (list) for (const fn of list.slice()) fn(ev)
}

export function traceMmMigratePagesStart(
  m: Machine,
  mode: MigrateMode,
  reason: MigrateReason,
): void {
  emit(m, { name: 'mm_migrate_pages_start', mode: MIGRATE_MODE_NAMES[mode], reason })
}

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
  emit(m, {
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
  const list = sideOf(m).moved
  list.push(fn)
  return () => {
    const i = list.indexOf(fn)
    if (i >= 0) list.splice(i, 1)
  }
}

/** Follow large folios as migration splits them; returns the unsubscribe function. */
export function onFolioSplit(m: Machine, fn: FolioSplitObserver): () => void {
  const list = sideOf(m).split
  list.push(fn)
  return () => {
    const i = list.indexOf(fn)
    if (i >= 0) list.splice(i, 1)
  }
}

export function notifyMoved(m: Machine, src: number, dst: number, nrPages: number): void {
  const list = side.get(m)?.moved
  if (list) for (const fn of list.slice()) fn(src, dst, nrPages)
}

export function notifySplit(m: Machine, head: number, pieces: readonly number[]): void {
  const list = side.get(m)?.split
  if (list) for (const fn of list.slice()) fn(head, pieces)
}
