/** The trace log's filters: which pages an event names, and the pfn range the user types. */
import { describe, expect, it } from 'vitest'
import type { TraceRecord } from '../../../protocol/results/ftrace'
import { pagePointer } from '../../../protocol/results/ftraceFormats'
import {
  eventPfnRanges,
  filterTrace,
  matchesPfnRange,
  pageToPfn,
  parsePfnRange,
  taskId,
} from './traceFilter'

const rec = (
  name: string,
  fields: TraceRecord['fields'],
  task = 'w0',
  pid = 1000,
): TraceRecord => ({
  timeNs: 1000,
  task,
  pid,
  cpu: 0,
  name,
  fields,
})

describe('eventPfnRanges', () => {
  it('an mm_page_alloc of order 4 at pfn 0x1000 covers 16 pages', () => {
    expect(eventPfnRanges(rec('mm_page_alloc', { pfn: 0x1000, order: 4 }))).toEqual([
      { lo: 0x1000, hi: 0x100f },
    ])
  })

  it('a failed allocation (pfn -1, a NULL page) names no page', () => {
    expect(eventPfnRanges(rec('mm_page_alloc', { pfn: -1, order: 9 }))).toEqual([])
  })

  it('cma_alloc_finish covers count pages from pfn', () => {
    expect(
      eventPfnRanges(rec('cma_alloc_finish', { name: 'cma', pfn: 0x8000, count: 512 })),
    ).toEqual([{ lo: 0x8000, hi: 0x81ff }])
  })

  it('isolation scans cover [start_pfn, end_pfn): end excluded', () => {
    const r = rec('mm_compaction_isolate_migratepages', { start_pfn: 0x200, end_pfn: 0x400 })
    expect(eventPfnRanges(r)).toEqual([{ lo: 0x200, hi: 0x3ff }])
    expect(matchesPfnRange(r, { lo: 0x400, hi: 0x500 })).toBe(false)
    expect(matchesPfnRange(r, { lo: 0x3ff, hi: 0x3ff })).toBe(true)
  })

  it('compaction begin/end name the two scanners’ pfns', () => {
    const r = rec('mm_compaction_begin', {
      zone_start: 0x1000,
      migrate_pfn: 0x1200,
      free_pfn: 0x3fe00,
      zone_end: 0x40000,
    })
    expect(matchesPfnRange(r, { lo: 0x1200, hi: 0x1200 })).toBe(true)
    expect(matchesPfnRange(r, { lo: 0x3fe00, hi: 0x3ffff })).toBe(true)
    expect(matchesPfnRange(r, { lo: 0x2000, hi: 0x3000 })).toBe(false)
  })

  it('falls back to the struct page pointer (pfn_to_page in the x86_64 vmemmap)', () => {
    expect(pageToPfn(pagePointer(0x12345))).toBe(0x12345)
    expect(pageToPfn('0000000000000000')).toBeNull()
    expect(eventPfnRanges(rec('some_page_event', { page: pagePointer(77) }))).toEqual([
      { lo: 77, hi: 77 },
    ])
  })
})

describe('parsePfnRange', () => {
  it('reads hex and decimal ends, with - or ..', () => {
    expect(parsePfnRange('0x1000-0x1fff')).toEqual({ lo: 0x1000, hi: 0x1fff })
    expect(parsePfnRange('4096..8191')).toEqual({ lo: 4096, hi: 8191 })
    expect(parsePfnRange(' 0x10 - 32 ')).toEqual({ lo: 16, hi: 32 })
    expect(parsePfnRange('0x40')).toEqual({ lo: 64, hi: 64 })
    expect(parsePfnRange('')).toBeNull()
  })

  it('explains what is wrong with a malformed range', () => {
    expect(parsePfnRange('0x2000-0x1000')).toMatch(/below the start/)
    expect(parsePfnRange('zz')).toMatch(/hex|decimal/)
  })
})

describe('filterTrace', () => {
  const records = [
    rec('mm_page_alloc', { pfn: 0x1000, order: 0 }, 'w0', 1000),
    rec('mm_page_free', { pfn: 0x1000, order: 0 }, 'w0', 1000),
    rec('mm_page_alloc', { pfn: 0x5000, order: 9 }, 'w1', 1001),
    rec('mm_compaction_begin', { migrate_pfn: 0x5100, free_pfn: 0x9000 }, 'kcompactd0', 34),
    rec('mm_migrate_pages', { succeeded: 1 }, 'kcompactd0', 34),
  ]
  const all = { names: new Set<string>(), range: null, task: null }

  it('keeps everything with no filter', () => {
    expect(filterTrace(records, all)).toEqual([0, 1, 2, 3, 4])
  })

  it('combines tracepoint, pfn range and task', () => {
    expect(filterTrace(records, { ...all, names: new Set(['mm_page_alloc']) })).toEqual([0, 2])
    // 0x5000 order 9 spans 0x5000..0x51ff: 0x5100 is inside it, as is compaction's migrate_pfn
    expect(filterTrace(records, { ...all, range: { lo: 0x5100, hi: 0x5100 } })).toEqual([2, 3])
    expect(
      filterTrace(records, {
        names: new Set(['mm_page_alloc']),
        range: { lo: 0x5100, hi: 0x5100 },
        task: null,
      }),
    ).toEqual([2])
    expect(filterTrace(records, { ...all, task: 'kcompactd0-34' })).toEqual([3, 4])
    expect(taskId(records[2]!)).toBe('w1-1001')
  })

  it('an event without pfns never matches a pfn range', () => {
    expect(filterTrace(records, { ...all, range: { lo: 0, hi: 2 ** 40 } })).not.toContain(4)
  })

  it('looks only at the first `count` records (the rest are still arriving)', () => {
    expect(filterTrace(records, all, 2)).toEqual([0, 1])
  })
})
