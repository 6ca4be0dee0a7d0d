import { describe, expect, it } from 'vitest'
import { formatFtrace, formatTraceFields, formatTraceLine, type TraceRecord } from './ftrace'
import { hex, pagePointer, TRACEPOINT_FORMATS } from './ftraceFormats'

const rec = (
  name: string,
  fields: TraceRecord['fields'],
  extra: Partial<TraceRecord> = {},
): TraceRecord => ({
  timeNs: 1_500_000,
  task: 'kcompactd0',
  pid: 34,
  cpu: 1,
  name,
  fields,
  ...extra,
})

describe('formatTraceLine', () => {
  it('lays out the context like trace_print_context: %16s-%-7d [%03d] flags %5lu.%06lu', () => {
    expect(formatTraceLine(rec('mm_compaction_kcompactd_sleep', { nid: 0 }))).toBe(
      '      kcompactd0-34      [001] .....     0.001500: mm_compaction_kcompactd_sleep: nid=0',
    )
  })

  it('rounds ns to the nearest microsecond like ns2usecs and carries into seconds', () => {
    const at = (timeNs: number): string =>
      formatTraceLine(rec('x', {}, { timeNs }))
        .split('..... ')[1]
        .split(':')[0]
    expect(at(1499)).toBe('    0.000001')
    expect(at(1500)).toBe('    0.000002')
    expect(at(999_999_500)).toBe('    1.000000')
    expect(at(123_456_789_012_345)).toBe('123456.789012')
  })

  it('truncates comm to TASK_COMM_LEN - 1 and keeps long pids and cpus aligned as the kernel does', () => {
    const line = formatTraceLine(
      rec('x', { a: 1 }, { task: 'a-very-long-task-name', pid: 12345678, cpu: 12, timeNs: 0 }),
    )
    expect(line).toBe(' a-very-long-tas-12345678 [012] .....     0.000000: x: a=1')
  })
})

describe('TP_printk formats', () => {
  it('mm_page_alloc: page=%p pfn=0x%lx order=%d migratetype=%d gfp_flags=%s', () => {
    expect(
      formatTraceFields('mm_page_alloc', {
        pfn: 0x48d,
        order: 2,
        migratetype: 'Movable',
        gfp_flags: 'GFP_HIGHUSER_MOVABLE|__GFP_COMP',
      }),
    ).toBe(
      'page=ffffea0000012340 pfn=0x48d order=2 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP',
    )
    // A failed allocation: NULL page, pfn 0; gfp 0 prints "none".
    expect(
      formatTraceFields('mm_page_alloc', { pfn: -1, order: 9, migratetype: 0, gfp_flags: 0 }),
    ).toBe('page=0000000000000000 pfn=0x0 order=9 migratetype=0 gfp_flags=none')
  })

  it('mm_page_alloc_zone_locked and mm_page_pcpu_drain print pfn in hex (kmem.h class mm_page, mm_page_pcpu_drain)', () => {
    expect(
      formatTraceFields('mm_page_alloc_zone_locked', {
        pfn: 103380,
        order: 3,
        migratetype: 1,
        percpu_refill: true,
      }),
    ).toBe('page=ffffea000064f500 pfn=0x193d4 order=3 migratetype=1 percpu_refill=1')
    expect(formatTraceFields('mm_page_pcpu_drain', { pfn: 4096, order: 0, migratetype: 2 })).toBe(
      'page=ffffea0000040000 pfn=0x1000 order=0 migratetype=2',
    )
  })

  it('mm_page_free and mm_page_alloc_extfrag compute fragmenting from pageblock_order', () => {
    expect(formatTraceFields('mm_page_free', { pfn: 4096, order: 0 })).toBe(
      'page=ffffea0000040000 pfn=0x1000 order=0',
    )
    expect(
      formatTraceFields('mm_page_alloc_extfrag', {
        pfn: 0x200,
        alloc_order: 0,
        fallback_order: 3,
        alloc_migratetype: 'Unmovable',
        fallback_migratetype: 'Movable',
        change_ownership: false,
      }),
    ).toBe(
      'page=ffffea0000008000 pfn=0x200 alloc_order=0 fallback_order=3 pageblock_order=9 ' +
        'alloc_migratetype=0 fallback_migratetype=1 fragmenting=1 change_ownership=0',
    )
  })

  it('mm_compaction_begin/end print hex pfns and the sync mode', () => {
    const range = { zone_start: 0x1000, migrate_pfn: 0x1200, free_pfn: 0x7e00, zone_end: 0x8000 }
    expect(formatTraceFields('mm_compaction_begin', { ...range, sync: false })).toBe(
      'zone_start=0x1000 migrate_pfn=0x1200 free_pfn=0x7e00 zone_end=0x8000, mode=async',
    )
    expect(
      formatTraceFields('mm_compaction_end', { ...range, mode: 'sync', status: 'success' }),
    ).toBe(
      'zone_start=0x1000 migrate_pfn=0x1200 free_pfn=0x7e00 zone_end=0x8000, mode=sync status=success',
    )
  })

  it('the isolate template prints range=(0x%lx ~ 0x%lx)', () => {
    for (const name of ['mm_compaction_isolate_migratepages', 'mm_compaction_isolate_freepages']) {
      expect(
        formatTraceFields(name, {
          start_pfn: 0x1000,
          end_pfn: 0x1200,
          nr_scanned: 512,
          nr_taken: 32,
        }),
      ).toBe('range=(0x1000 ~ 0x1200) nr_scanned=512 nr_taken=32')
    }
  })

  it('suitable/defer templates pad the zone name to %-8s and print limit = 1 << shift', () => {
    expect(
      formatTraceFields('mm_compaction_suitable', {
        nid: 0,
        zone: 'Normal',
        order: 9,
        ret: 'continue',
      }),
    ).toBe('node=0 zone=Normal   order=9 ret=continue')
    expect(
      formatTraceFields('mm_compaction_defer_compaction', {
        node: 0,
        idx: 1,
        order: 9,
        order_failed: 9,
        considered: 0,
        defer_shift: 3,
      }),
    ).toBe('node=0 zone=DMA32    order=9 order_failed=9 consider=0 limit=8')
    expect(
      formatTraceFields('mm_compaction_kcompactd_wake', { nid: 0, order: 4, highest_zoneidx: 2 }),
    ).toBe('nid=0 order=4 classzone_idx=Normal  ')
  })

  it('compact_retry and the migrate events translate enums like __print_symbolic', () => {
    expect(
      formatTraceFields('compact_retry', {
        order: 9,
        priority: 1,
        compaction_result: 'withdrawn',
        retries: 2,
        max_retries: 16,
        should_retry: true,
      }),
    ).toBe(
      'order=9 priority=COMPACT_PRIO_SYNC_LIGHT compaction_result=withdrawn retries=2 max_retries=16 should_retry=1',
    )
    const counts = {
      nr_succeeded: 30,
      nr_failed: 2,
      nr_thp_succeeded: 0,
      nr_thp_failed: 0,
      nr_thp_split: 0,
    }
    expect(
      formatTraceFields('mm_migrate_pages', { ...counts, mode: 0, reason: 'compaction' }),
    ).toBe(
      'nr_succeeded=30 nr_failed=2 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 mode=MIGRATE_ASYNC reason=compaction',
    )
    expect(
      formatTraceFields('mm_migrate_pages', { ...counts, nr_split: 1, mode: 2, reason: 6 }),
    ).toBe(
      'nr_succeeded=30 nr_failed=2 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 nr_split=1 mode=MIGRATE_SYNC reason=contig_range',
    )
    // An unknown enum value prints as 0x%lx, as __print_symbolic does.
    expect(formatTraceFields('mm_migrate_pages_start', { mode: 7, reason: 'longterm_pin' })).toBe(
      'mode=0x7 reason=longterm_pin',
    )
  })

  it('cma events and test_pages_isolated compute ret from end_pfn <= fin_pfn', () => {
    expect(formatTraceFields('cma_alloc_start', { name: 'reserved', count: 512, align: 9 })).toBe(
      'name=reserved count=512 align=9',
    )
    expect(
      formatTraceFields('cma_alloc_finish', {
        name: 'reserved',
        pfn: 0x10000,
        count: 512,
        align: 9,
        errorno: 0,
      }),
    ).toBe('name=reserved pfn=0x10000 page=ffffea0000400000 count=512 align=9 errorno=0')
    expect(
      formatTraceFields('cma_alloc_busy_retry', { name: 'r', pfn: 0x10000, count: 1, align: 0 }),
    ).toBe('name=r pfn=0x10000 page=ffffea0000400000 count=1 align=0')
    expect(formatTraceFields('cma_release', { name: 'r', pfn: 0x10000, count: 1 })).toBe(
      'name=r pfn=0x10000 page=ffffea0000400000 count=1',
    )
    expect(
      formatTraceFields('test_pages_isolated', {
        start_pfn: 0x100,
        end_pfn: 0x200,
        fin_pfn: 0x200,
      }),
    ).toBe('start_pfn=0x100 end_pfn=0x200 fin_pfn=0x200 ret=success')
    expect(
      formatTraceFields('test_pages_isolated', {
        start_pfn: 0x100,
        end_pfn: 0x200,
        fin_pfn: 0x180,
      }),
    ).toBe('start_pfn=0x100 end_pfn=0x200 fin_pfn=0x180 ret=fail')
  })

  it('falls back to k=v for unknown tracepoints and for records missing a field', () => {
    expect(formatTraceFields('my_event', { a: 1, b: 'x', c: true })).toBe('a=1 b=x c=1')
    expect(formatTraceFields('mm_page_free', { pfn: 1 })).toBe('pfn=1')
  })

  it('covers every tracepoint of kernel-model.md §8', () => {
    const names = [
      'mm_page_alloc',
      'mm_page_free',
      'mm_page_alloc_extfrag',
      'mm_compaction_begin',
      'mm_compaction_end',
      'mm_compaction_isolate_migratepages',
      'mm_compaction_isolate_freepages',
      'mm_compaction_fast_isolate_freepages',
      'mm_compaction_migratepages',
      'mm_compaction_try_to_compact_pages',
      'mm_compaction_finished',
      'mm_compaction_suitable',
      'mm_compaction_deferred',
      'mm_compaction_defer_compaction',
      'mm_compaction_defer_reset',
      'mm_compaction_wakeup_kcompactd',
      'mm_compaction_kcompactd_wake',
      'mm_compaction_kcompactd_sleep',
      'compact_retry',
      'mm_migrate_pages',
      'mm_migrate_pages_start',
      'cma_alloc_start',
      'cma_alloc_finish',
      'cma_alloc_busy_retry',
      'cma_release',
      'test_pages_isolated',
    ]
    // §8's list, plus kmem.h's per-cpu tracepoints that engine/mm also emits.
    const extra = ['mm_page_alloc_zone_locked', 'mm_page_pcpu_drain']
    expect(Object.keys(TRACEPOINT_FORMATS).sort()).toEqual([...names, ...extra].sort())
  })

  it('prints pointers and hex like the kernel', () => {
    expect(pagePointer(0)).toBe('ffffea0000000000')
    expect(pagePointer(-1)).toBe('0000000000000000')
    expect(hex(-1)).toBe('0xffffffffffffffff')
    expect(hex(255)).toBe('0xff')
  })
})

describe('formatFtrace', () => {
  it('writes the kernel header, then lines merged by time', () => {
    const text = formatFtrace([
      rec('mm_compaction_kcompactd_sleep', { nid: 0 }, { timeNs: 2000, cpu: 0 }),
      rec('mm_page_free', { pfn: 16, order: 0 }, { timeNs: 1000, task: 'alloc', pid: 101 }),
    ])
    expect(text).toBe(
      [
        '# tracer: nop',
        '#',
        '# entries-in-buffer/entries-written: 2/2   #P:2',
        '#',
        '#                                _-----=> irqs-off/BH-disabled',
        '#                               / _----=> need-resched',
        '#                              | / _---=> hardirq/softirq',
        '#                              || / _--=> preempt-depth',
        '#                              ||| / _-=> migrate-disable',
        '#                              |||| /     delay',
        '#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION',
        '#              | |         |   |||||     |         |',
        '           alloc-101     [001] .....     0.000001: mm_page_free: page=ffffea0000000400 pfn=0x10 order=0',
        '      kcompactd0-34      [000] .....     0.000002: mm_compaction_kcompactd_sleep: nid=0',
        '',
      ].join('\n'),
    )
  })

  it('columns of the header line up with the event lines', () => {
    const lines = formatFtrace([rec('x', {})]).split('\n')
    const header = lines.find((l) => l.includes('TASK-PID'))!
    const event = lines[lines.length - 2]
    expect(event.indexOf('.....')).toBe(header.indexOf('|||||'))
    expect(event.indexOf('[')).toBe(header.indexOf('CPU#'))
  })

  it('reports overruns and an explicit CPU count', () => {
    expect(formatFtrace([], { nrCpus: 4, entriesWritten: 10 })).toContain(
      '# entries-in-buffer/entries-written: 0/10   #P:4',
    )
  })
})
