/**
 * The trace registry: subscription and emission for every tracepoint of the engine
 * (traceTypes.ts). Emitters check `m.traceOn[id]` (one typed-array load) before building an
 * event object, so tracing costs nothing when nobody listens:
 *
 *   if (m.traceOn[TP_MM_COMPACTION_BEGIN] !== 0)
 *     emitTrace(m, TP_MM_COMPACTION_BEGIN, { name: 'mm_compaction_begin', ... })
 */
import { type Machine } from './machine'
import {
  type TraceCallback,
  type TraceEvent,
  type TraceEventName,
  type TraceEventOf,
  TRACE_EVENT_NAMES,
  TP_MM_PAGE_ALLOC,
  TP_MM_PAGE_ALLOC_EXTFRAG,
  TP_MM_PAGE_ALLOC_ZONE_LOCKED,
  TP_MM_PAGE_FREE,
  TP_MM_PAGE_PCPU_DRAIN,
} from './traceTypes'
import { getPfnblockMigratetype } from './pageblock'

const VMEMMAP_BASE = 0xffffea0000000000n

/** The `struct page *` a kernel trace would print for `pfn` (x86_64 vmemmap, 64-byte pages). */
export function pageAddress(pfn: number): string {
  if (pfn < 0) return '0000000000000000'
  return (VMEMMAP_BASE + BigInt(pfn) * 64n).toString(16)
}

/**
 * Subscribe to a tracepoint (any name in TRACE_EVENT_NAMES: kmem, migrate, page_isolation,
 * cma, compaction). Returns the unsubscribe function (calling it twice is harmless).
 * @example traceSubscribe(m, 'mm_page_alloc', (ev) => console.log(ev.pfn, ev.order))
 */
export function traceSubscribe<N extends TraceEventName>(
  m: Machine,
  name: N,
  cb: (ev: TraceEventOf<N>) => void,
): () => void {
  const id = TRACE_EVENT_NAMES.indexOf(name)
  if (id < 0) throw new Error(`unknown trace event ${String(name)}`)
  const fn = cb as TraceCallback
  // Copy on write: a delivery in progress keeps iterating the list it started with.
  m.traceSubs[id] = [...m.traceSubs[id], fn]
  m.traceOn[id] = 1
  let subscribed = true
  return () => {
    if (!subscribed) return
    subscribed = false
    const subs = m.traceSubs[id].slice()
    const i = subs.indexOf(fn)
    if (i >= 0) subs.splice(i, 1)
    m.traceSubs[id] = subs
    m.traceOn[id] = subs.length > 0 ? 1 : 0
  }
}

/** Subscribe to every tracepoint the engine emits. */
export function traceSubscribeAll(m: Machine, cb: (ev: TraceEvent) => void): () => void {
  const offs = TRACE_EVENT_NAMES.map((n) => traceSubscribe(m, n, cb))
  return () => {
    for (const off of offs) off()
  }
}

/**
 * Deliver `ev` to the subscribers of tracepoint `id` (a `TP_*` constant; `ev.name` must be
 * `TRACE_EVENT_NAMES[id]`, checked when `m.debugVm`). Callers test `m.traceOn[id] !== 0`
 * first so that no event object is built when nobody listens. A subscriber that subscribes or
 * unsubscribes during delivery does not change this delivery (the lists are copy-on-write).
 */
export function emitTrace(m: Machine, id: number, ev: TraceEvent): void {
  if (m.debugVm && TRACE_EVENT_NAMES[id] !== ev.name)
    throw new Error(`emitTrace: event ${ev.name} emitted as tracepoint ${TRACE_EVENT_NAMES[id]}`)
  const subs = m.traceSubs[id]
  for (let i = 0; i < subs.length; i++) subs[i](ev)
}

/** True if somebody subscribed to tracepoint `id` (the same test as `m.traceOn[id] !== 0`). */
export function traceEnabled(m: Machine, id: number): boolean {
  return m.traceOn[id] !== 0
}

export function traceMmPageAlloc(
  m: Machine,
  pfn: number,
  order: number,
  gfp: number,
  mt: number,
): void {
  emitTrace(m, TP_MM_PAGE_ALLOC, {
    name: 'mm_page_alloc',
    page: pageAddress(pfn),
    pfn,
    order,
    gfp_flags: gfp,
    migratetype: mt,
  })
}

export function traceMmPageFree(m: Machine, pfn: number, order: number): void {
  emitTrace(m, TP_MM_PAGE_FREE, { name: 'mm_page_free', page: pageAddress(pfn), pfn, order })
}

export function traceZoneLocked(
  m: Machine,
  pfn: number,
  order: number,
  mt: number,
  percpuRefill: boolean,
): void {
  emitTrace(m, TP_MM_PAGE_ALLOC_ZONE_LOCKED, {
    name: 'mm_page_alloc_zone_locked',
    page: pageAddress(pfn),
    pfn,
    order,
    migratetype: mt,
    percpu_refill: percpuRefill,
  })
}

export function traceExtfrag(
  m: Machine,
  pfn: number,
  allocOrder: number,
  fallbackOrder: number,
  allocMt: number,
  fallbackMt: number,
): void {
  emitTrace(m, TP_MM_PAGE_ALLOC_EXTFRAG, {
    name: 'mm_page_alloc_extfrag',
    page: pageAddress(pfn),
    pfn,
    alloc_order: allocOrder,
    fallback_order: fallbackOrder,
    pageblock_order: m.pageblockOrder,
    alloc_migratetype: allocMt,
    fallback_migratetype: fallbackMt,
    fragmenting: fallbackOrder < m.pageblockOrder,
    change_ownership: pfn >= 0 && getPfnblockMigratetype(m, pfn) === allocMt,
  })
}

export function tracePcpuDrain(m: Machine, pfn: number, order: number, mt: number): void {
  emitTrace(m, TP_MM_PAGE_PCPU_DRAIN, {
    name: 'mm_page_pcpu_drain',
    page: pageAddress(pfn),
    pfn,
    order,
    migratetype: mt,
  })
}
