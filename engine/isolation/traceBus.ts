/**
 * Tracepoints of the contiguous-allocation code (include/trace/events/page_isolation.h and
 * cma.h) on a side table keyed by the Machine: engine/mm's trace registry has a closed list of
 * kmem events, so these live here until they move there (see the report of issue 6).
 */
import { type Machine } from '../mm'

/** `test_pages_isolated`: start_pfn, end_pfn, fin_pfn; `ret` is "success" when fin_pfn >= end_pfn. */
export interface TestPagesIsolatedEvent {
  name: 'test_pages_isolated'
  start_pfn: number
  end_pfn: number
  fin_pfn: number
  ret: 'success' | 'fail'
}
/** `cma_alloc_start`: name, count, align. */
export interface CmaAllocStartEvent {
  name: 'cma_alloc_start'
  cma: string
  count: number
  align: number
}
/** `cma_alloc_finish` / `cma_alloc_busy_retry`: name, pfn, page, count, align (+ errorno, newer kernels). */
export interface CmaAllocFinishEvent {
  name: 'cma_alloc_finish' | 'cma_alloc_busy_retry'
  cma: string
  pfn: number
  page: string
  count: number
  align: number
  errorno: number
}
/** `cma_release`: name, pfn, page, count. */
export interface CmaReleaseEvent {
  name: 'cma_release'
  cma: string
  pfn: number
  page: string
  count: number
}

export type ContigTraceEvent =
  TestPagesIsolatedEvent | CmaAllocStartEvent | CmaAllocFinishEvent | CmaReleaseEvent
export type ContigTraceName = ContigTraceEvent['name']
export const CONTIG_TRACE_EVENT_NAMES: readonly ContigTraceName[] = [
  'test_pages_isolated',
  'cma_alloc_start',
  'cma_alloc_finish',
  'cma_alloc_busy_retry',
  'cma_release',
]

type Cb = (ev: ContigTraceEvent) => void
const subscribers = new WeakMap<Machine, Map<ContigTraceName, Cb[]>>()

/** Subscribe to one of these tracepoints; returns the unsubscribe function. */
export function contigTraceSubscribe<N extends ContigTraceName>(
  m: Machine,
  name: N,
  cb: (ev: Extract<ContigTraceEvent, { name: N }>) => void,
): () => void {
  let byName = subscribers.get(m)
  if (byName === undefined) {
    byName = new Map()
    subscribers.set(m, byName)
  }
  let list = byName.get(name)
  if (list === undefined) {
    list = []
    byName.set(name, list)
  }
  const fn = cb as Cb
  list.push(fn)
  return () => {
    const l = byName.get(name)
    const i = l ? l.indexOf(fn) : -1
    if (l && i >= 0) l.splice(i, 1)
  }
}

/** True if somebody listens (checked before building an event). */
export function contigTraceOn(m: Machine, name: ContigTraceName): boolean {
  const l = subscribers.get(m)?.get(name)
  return l !== undefined && l.length > 0
}

export function contigTraceEmit(m: Machine, ev: ContigTraceEvent): void {
  const l = subscribers.get(m)?.get(ev.name)
  if (l === undefined) return
  for (const cb of l.slice()) cb(ev)
}
