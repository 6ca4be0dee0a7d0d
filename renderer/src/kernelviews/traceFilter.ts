/**
 * Which physical pages a trace event is about, and the trace log's filters.
 *
 * The pfns come from the fields as the kernel's tracepoints record them:
 * - `pfn` with `order` (mm_page_alloc, mm_page_free, mm_page_pcpu_drain,
 *   mm_page_alloc_extfrag): the 2^order pages of the block; with `count` (cma_alloc_*,
 *   cma_release): `count` pages; a negative pfn is a failed allocation and names no page;
 * - `start_pfn`..`end_pfn` (mm_compaction_isolate_*, test_pages_isolated): that range;
 * - the compaction scanners' `migrate_pfn` and `free_pfn` (mm_compaction_begin/end): those
 *   single pages;
 * - otherwise `page`, the struct page address, which `pfn_to_page` maps back: (address −
 *   vmemmap base) / sizeof(struct page) in the default x86_64 layout the model prints.
 */
import type { TraceRecord } from '../../../protocol/results/ftrace'

/** x86_64 `vmemmap_base` without KASLR; struct page is 64 bytes (as ftraceFormats.ts). */
const VMEMMAP_BASE = 0xffffea0000000000n
const STRUCT_PAGE_BYTES = 64n

/** A pfn range, both ends included. */
export interface PfnRange {
  lo: number
  hi: number
}

/** The pfn of a `page=` pointer, or null when it is NULL or outside the vmemmap. */
export function pageToPfn(page: string): number | null {
  if (!/^(0x)?[0-9a-f]{1,16}$/i.test(page)) return null
  const addr = BigInt(page.startsWith('0x') ? page : `0x${page}`)
  if (addr < VMEMMAP_BASE) return null
  const off = addr - VMEMMAP_BASE
  if (off % STRUCT_PAGE_BYTES !== 0n) return null
  return Number(off / STRUCT_PAGE_BYTES)
}

function num(f: TraceRecord['fields'], k: string): number | null {
  const v = f[k]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

/** The pfn ranges an event names (inclusive), empty when it names none. */
export function eventPfnRanges(r: TraceRecord): PfnRange[] {
  const f = r.fields
  const pfn = num(f, 'pfn')
  if (pfn !== null) {
    if (pfn < 0) return []
    const order = num(f, 'order')
    const count = num(f, 'count')
    const nr = order !== null && order >= 0 ? 2 ** order : count !== null && count > 0 ? count : 1
    return [{ lo: pfn, hi: pfn + nr - 1 }]
  }
  const start = num(f, 'start_pfn')
  const end = num(f, 'end_pfn')
  if (start !== null && end !== null) return end > start ? [{ lo: start, hi: end - 1 }] : []
  const out: PfnRange[] = []
  for (const k of ['migrate_pfn', 'free_pfn']) {
    const p = num(f, k)
    if (p !== null && p >= 0) out.push({ lo: p, hi: p })
  }
  if (out.length > 0) return out
  if (typeof f.page === 'string') {
    const p = pageToPfn(f.page)
    if (p !== null) return [{ lo: p, hi: p }]
  }
  return []
}

/** A pfn typed by the user: `0x1a00` (hex) or `6656` (decimal); null when it is neither. */
export function parsePfn(text: string): number | null {
  const t = text.trim().toLowerCase()
  if (/^0x[0-9a-f]+$/.test(t)) return parseInt(t.slice(2), 16)
  if (/^\d+$/.test(t)) return Number(t)
  return null
}

/**
 * A range typed by the user: `start-end`, `start..end` or one pfn, each hex or decimal.
 * Returns null for an empty text, an error message for a malformed one.
 */
export function parsePfnRange(text: string): PfnRange | null | string {
  const t = text.trim()
  if (t === '') return null
  const parts = t.split(/\s*(?:\.\.|-|–)\s*/)
  if (parts.length > 2) return 'use start-end, e.g. 0x1000-0x1fff'
  const lo = parsePfn(parts[0]!)
  const hi = parts.length === 2 ? parsePfn(parts[1]!) : lo
  if (lo === null || hi === null) return 'pfns are hex (0x1a00) or decimal (6656)'
  if (hi < lo) return 'the end is below the start'
  return { lo, hi }
}

export interface TraceFilter {
  /** Tracepoints to show; empty shows all. */
  names: ReadonlySet<string>
  range: PfnRange | null
  /** Task (comm-pid) to show, or null for all. */
  task: string | null
}

/** How the task column and the task filter name a task: `comm-pid`, as ftrace prints it. */
export function taskId(r: TraceRecord): string {
  return `${r.task}-${r.pid}`
}

export function matchesPfnRange(r: TraceRecord, range: PfnRange): boolean {
  return eventPfnRanges(r).some((e) => e.lo <= range.hi && e.hi >= range.lo)
}

/** Indices of the records the filter keeps, in order. */
export function filterTrace(
  records: readonly TraceRecord[],
  f: TraceFilter,
  count = records.length,
): number[] {
  const out: number[] = []
  for (let i = 0; i < count; i++) {
    const r = records[i]!
    if (f.names.size > 0 && !f.names.has(r.name)) continue
    if (f.task !== null && taskId(r) !== f.task) continue
    if (f.range && !matchesPfnRange(r, f.range)) continue
    out.push(i)
  }
  return out
}
