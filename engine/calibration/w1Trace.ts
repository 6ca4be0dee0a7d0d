/**
 * The `mm_compaction_begin` / `mm_compaction_end` lines of a calibration run, as ftrace prints
 * them (include/trace/events/compaction.h, `TP_printk`).
 */
import { type Machine } from '../mm/machine'
import { traceSubscribe } from '../mm/trace'

/** One mm_compaction_begin/end pair, with the kernel's fields. */
export interface W1TraceLine {
  event: 'mm_compaction_begin' | 'mm_compaction_end'
  zoneStart: number
  migratePfn: number
  freePfn: number
  zoneEnd: number
  mode: 'sync' | 'async'
  status?: string
}

/** ftrace's text for a trace line, as in the kernel's output (`TP_printk`). */
export function formatW1Trace(t: W1TraceLine): string {
  const hex = (n: number) => '0x' + n.toString(16)
  const base =
    `${t.event} zone_start=${hex(t.zoneStart)} migrate_pfn=${hex(t.migratePfn)} ` +
    `free_pfn=${hex(t.freePfn)} zone_end=${hex(t.zoneEnd)}, mode=${t.mode}`
  return t.status === undefined ? base : `${base} status=${t.status}`
}

/** Collects the compaction begin/end lines into `trace`; returns the unsubscribe function. */
export function traceCompaction(m: Machine, trace: W1TraceLine[]): () => void {
  const line = (ev: Record<string, number | string | boolean>, end: boolean): W1TraceLine => ({
    event: end ? 'mm_compaction_end' : 'mm_compaction_begin',
    zoneStart: ev.zone_start as number,
    migratePfn: ev.migrate_pfn as number,
    freePfn: ev.free_pfn as number,
    zoneEnd: ev.zone_end as number,
    mode: ev.sync ? 'sync' : 'async',
    ...(end ? { status: ev.status as string } : {}),
  })
  const offBegin = traceSubscribe(m, 'mm_compaction_begin', (ev) => trace.push(line(ev, false)))
  const offEnd = traceSubscribe(m, 'mm_compaction_end', (ev) => trace.push(line(ev, true)))
  return () => {
    offBegin()
    offEnd()
  }
}
