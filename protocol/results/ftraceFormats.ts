/**
 * The TP_printk format of each memory-management tracepoint the engine emits, so that a trace
 * reads exactly like `cat /sys/kernel/tracing/trace` on a real kernel.
 *
 * Field names are the kernel's TP_STRUCT__entry names (`zone_start`, `nr_taken`, ...).
 * Symbolic fields (`mode`, `reason`, `status`, `zone`, ...) take the string the kernel prints
 * (`"MIGRATE_ASYNC"`, `"compaction"`, `"success"`, `"Normal"`); where the kernel's enum values
 * are stable, a number is translated through the kernel's table as `__print_symbolic` does,
 * and an unknown number prints as `0x%lx`, again as `__print_symbolic` does.
 *
 * Pointers (`page=%p`) are printed unhashed, as with `no_hash_pointers` or the tracing
 * `hash-ptr` option off, at the struct page address of the pfn in the default x86_64 vmemmap
 * (0xffffea0000000000 + pfn * 64), so a reader can map them back to pfns.
 */

/** A tracepoint's fields, as the engine records them. */
export type TraceFields = Record<string, number | string | boolean>

/** A record lacks a field its format needs; the caller falls back to `k=v` output. */
export class MissingTraceField extends Error {
  override name = 'MissingTraceField'
}

/** Typed access to a record's fields, throwing MissingTraceField for absent ones. */
export class FieldReader {
  constructor(readonly fields: TraceFields) {}

  has(name: string): boolean {
    return this.fields[name] !== undefined
  }

  /** The first of `names` that is present, as a number (booleans as 0/1, like C). */
  num(...names: string[]): number {
    for (const n of names) {
      const v = this.fields[n]
      if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v)
      if (typeof v === 'boolean') return v ? 1 : 0
    }
    throw new MissingTraceField(`missing numeric field ${names.join('|')}`)
  }

  str(...names: string[]): string {
    for (const n of names) {
      const v = this.fields[n]
      if (typeof v === 'string') return v
    }
    throw new MissingTraceField(`missing string field ${names.join('|')}`)
  }

  /** `__print_symbolic(value, table)`: strings pass through, numbers go through `table`. */
  sym(table: readonly string[], ...names: string[]): string {
    for (const n of names) {
      const v = this.fields[n]
      if (typeof v === 'string') return v
      if (typeof v === 'number') return table[v] ?? hex(v)
    }
    throw new MissingTraceField(`missing symbolic field ${names.join('|')}`)
  }
}

/** `0x%lx` (negative values wrap to 64 bits like an unsigned long). */
export function hex(v: number): string {
  return '0x' + BigInt.asUintN(64, BigInt(Math.trunc(v))).toString(16)
}

/** `%lu` / `%u`: unsigned decimal (negative values wrap to 64 bits). */
function dec(v: number): string {
  return v < 0 ? BigInt.asUintN(64, BigInt(v)).toString() : String(v)
}

/** x86_64 `vmemmap_base` without KASLR; struct page is 64 bytes. */
const VMEMMAP_BASE = 0xffffea0000000000n
const STRUCT_PAGE_BYTES = 64n

/** `%p` of `pfn_to_page(pfn)`, or of NULL for a negative pfn (a failed allocation). */
export function pagePointer(pfn: number): string {
  if (pfn < 0) return '0000000000000000'
  return (VMEMMAP_BASE + BigInt(pfn) * STRUCT_PAGE_BYTES).toString(16).padStart(16, '0')
}

/** `migratetype_names` order = `enum migratetype` (include/linux/mmzone.h). */
const MIGRATETYPE_BY_NAME: Record<string, number> = {
  Unmovable: 0,
  Movable: 1,
  Reclaimable: 2,
  HighAtomic: 3,
  CMA: 4,
  Isolate: 5,
}

/** A migratetype printed as `%d`: numbers as they are, names through `enum migratetype`. */
function migratetype(f: FieldReader, name: string): string {
  const v = f.fields[name]
  if (typeof v === 'string' && v in MIGRATETYPE_BY_NAME) return String(MIGRATETYPE_BY_NAME[v])
  return String(f.num(name))
}

/** `show_gfp_flags()` (include/trace/events/mmflags.h): "none" for 0, else the flag names. */
function gfp(f: FieldReader, ...names: string[]): string {
  for (const n of names) {
    const v = f.fields[n]
    if (typeof v === 'string') return v === '' ? 'none' : v
    if (typeof v === 'number') return v === 0 ? 'none' : hex(v)
  }
  throw new MissingTraceField(`missing gfp field ${names.join('|')}`)
}

/** ZONE_TYPE (include/trace/events/mmflags.h) on x86_64: DMA, DMA32, Normal, Movable. */
const ZONE_TYPE = ['DMA', 'DMA32', 'Normal', 'Movable']
/** MIGRATE_MODE (include/trace/events/migrate.h). */
const MIGRATE_MODE = ['MIGRATE_ASYNC', 'MIGRATE_SYNC_LIGHT', 'MIGRATE_SYNC']
/** MIGRATE_REASON (include/trace/events/migrate.h), in `enum migrate_reason` order. */
const MIGRATE_REASON = [
  'compaction',
  'memory_failure',
  'memory_hotplug',
  'syscall_or_cpuset',
  'mempolicy_mbind',
  'numa_misplaced',
  'contig_range',
  'longterm_pin',
  'demotion',
]
/** COMPACTION_PRIORITY (include/trace/events/mmflags.h), in `enum compact_priority` order. */
const COMPACTION_PRIORITY = [
  'COMPACT_PRIO_SYNC_FULL',
  'COMPACT_PRIO_SYNC_LIGHT',
  'COMPACT_PRIO_ASYNC',
]
/** COMPACTION_FEEDBACK: COMPACTION_FAILED = 1, WITHDRAWN = 2, PROGRESS = 3. */
const COMPACTION_FEEDBACK = ['', 'failed', 'withdrawn', 'progress']

/** `sync ? "sync" : "async"` from a boolean `sync`, or a `mode` string as given. */
function syncMode(f: FieldReader): string {
  if (typeof f.fields.sync === 'boolean') return f.fields.sync ? 'sync' : 'async'
  return f.str('mode')
}

/** `%-8s` */
const pad8 = (s: string): string => s.padEnd(8)

/** compaction.h: mm_compaction_isolate_template */
const isolateTemplate = (f: FieldReader): string =>
  `range=(${hex(f.num('start_pfn'))} ~ ${hex(f.num('end_pfn'))}) ` +
  `nr_scanned=${dec(f.num('nr_scanned'))} nr_taken=${dec(f.num('nr_taken'))}`

/** compaction.h: mm_compaction_begin; mm_compaction_end adds status. */
const compactionRange = (f: FieldReader): string =>
  `zone_start=${hex(f.num('zone_start'))} migrate_pfn=${hex(f.num('migrate_pfn'))} ` +
  `free_pfn=${hex(f.num('free_pfn'))} zone_end=${hex(f.num('zone_end'))}, mode=${syncMode(f)}`

/** compaction.h: mm_compaction_suitable_template */
const suitableTemplate = (f: FieldReader): string =>
  `node=${f.num('node', 'nid')} zone=${pad8(f.sym(ZONE_TYPE, 'zone', 'idx'))} ` +
  `order=${f.num('order')} ret=${f.str('ret')}`

/** compaction.h: mm_compaction_defer_template; `limit` is 1UL << compact_defer_shift. */
const deferTemplate = (f: FieldReader): string => {
  const limit = f.has('limit') ? f.num('limit') : 2 ** f.num('defer_shift')
  return (
    `node=${f.num('node', 'nid')} zone=${pad8(f.sym(ZONE_TYPE, 'zone', 'idx'))} ` +
    `order=${f.num('order')} order_failed=${f.num('order_failed')} ` +
    `consider=${dec(f.num('consider', 'considered'))} limit=${dec(limit)}`
  )
}

/** compaction.h: kcompactd_wake_template (classzone_idx kept for ABI, holds highest_zoneidx). */
const kcompactdWakeTemplate = (f: FieldReader): string =>
  `nid=${f.num('nid')} order=${f.num('order')} ` +
  `classzone_idx=${pad8(f.sym(ZONE_TYPE, 'classzone_idx', 'highest_zoneidx'))}`

/** Formats of TP_printk by tracepoint name. */
export const TRACEPOINT_FORMATS: Record<string, (f: FieldReader) => string> = {
  // kmem.h: "page=%p pfn=0x%lx order=%d migratetype=%d gfp_flags=%s"; a failed allocation
  // (pfn -1UL) prints a NULL page and pfn 0.
  mm_page_alloc: (f) => {
    const pfn = f.num('pfn')
    return (
      `page=${pagePointer(pfn)} pfn=${hex(Math.max(pfn, 0))} order=${f.num('order')} ` +
      `migratetype=${migratetype(f, 'migratetype')} gfp_flags=${gfp(f, 'gfp_flags')}`
    )
  },
  // kmem.h (class mm_page): "page=%p pfn=0x%lx order=%u migratetype=%d percpu_refill=%d"
  mm_page_alloc_zone_locked: (f) => {
    const pfn = f.num('pfn')
    return (
      `page=${pagePointer(pfn)} pfn=${hex(Math.max(pfn, 0))} order=${f.num('order')} ` +
      `migratetype=${f.num('migratetype')} percpu_refill=${f.num('percpu_refill')}`
    )
  },
  // kmem.h: "page=%p pfn=0x%lx order=%d migratetype=%d"
  mm_page_pcpu_drain: (f) =>
    `page=${pagePointer(f.num('pfn'))} pfn=${hex(f.num('pfn'))} order=${f.num('order')} ` +
    `migratetype=${f.num('migratetype')}`,
  // kmem.h: "page=%p pfn=0x%lx order=%d"
  mm_page_free: (f) =>
    `page=${pagePointer(f.num('pfn'))} pfn=${hex(f.num('pfn'))} order=${f.num('order')}`,
  // kmem.h: "page=%p pfn=0x%lx alloc_order=%d fallback_order=%d pageblock_order=%d
  // alloc_migratetype=%d fallback_migratetype=%d fragmenting=%d change_ownership=%d";
  // fragmenting is computed in TP_printk as fallback_order < pageblock_order.
  mm_page_alloc_extfrag: (f) => {
    const pfn = f.num('pfn')
    const pageblockOrder = f.has('pageblock_order') ? f.num('pageblock_order') : 9
    const fallbackOrder = f.num('fallback_order')
    return (
      `page=${pagePointer(pfn)} pfn=${hex(pfn)} alloc_order=${f.num('alloc_order')} ` +
      `fallback_order=${fallbackOrder} pageblock_order=${pageblockOrder} ` +
      `alloc_migratetype=${migratetype(f, 'alloc_migratetype')} ` +
      `fallback_migratetype=${migratetype(f, 'fallback_migratetype')} ` +
      `fragmenting=${fallbackOrder < pageblockOrder ? 1 : 0} change_ownership=${f.num('change_ownership')}`
    )
  },
  // compaction.h: "range=(0x%lx ~ 0x%lx) nr_scanned=%lu nr_taken=%lu"
  mm_compaction_isolate_migratepages: isolateTemplate,
  mm_compaction_isolate_freepages: isolateTemplate,
  mm_compaction_fast_isolate_freepages: isolateTemplate,
  // compaction.h: "nr_migrated=%lu nr_failed=%lu"
  mm_compaction_migratepages: (f) =>
    `nr_migrated=${dec(f.num('nr_migrated'))} nr_failed=${dec(f.num('nr_failed'))}`,
  // compaction.h: "zone_start=0x%lx migrate_pfn=0x%lx free_pfn=0x%lx zone_end=0x%lx, mode=%s"
  mm_compaction_begin: compactionRange,
  // compaction.h: the same, then " status=%s" (__print_symbolic COMPACTION_STATUS)
  mm_compaction_end: (f) => `${compactionRange(f)} status=${f.str('status')}`,
  // compaction.h: "order=%d gfp_mask=%s priority=%d"
  mm_compaction_try_to_compact_pages: (f) =>
    `order=${f.num('order')} gfp_mask=${gfp(f, 'gfp_mask')} priority=${f.num('priority', 'prio')}`,
  // compaction.h: "node=%d zone=%-8s order=%d ret=%s"
  mm_compaction_finished: suitableTemplate,
  mm_compaction_suitable: suitableTemplate,
  // compaction.h: "node=%d zone=%-8s order=%d order_failed=%d consider=%u limit=%lu"
  mm_compaction_deferred: deferTemplate,
  mm_compaction_defer_compaction: deferTemplate,
  mm_compaction_defer_reset: deferTemplate,
  // compaction.h: "nid=%d"
  mm_compaction_kcompactd_sleep: (f) => `nid=${f.num('nid')}`,
  // compaction.h: "nid=%d order=%d classzone_idx=%-8s"
  mm_compaction_wakeup_kcompactd: kcompactdWakeTemplate,
  mm_compaction_kcompactd_wake: kcompactdWakeTemplate,
  // oom.h: "order=%d priority=%s compaction_result=%s retries=%d max_retries=%d
  // should_retry=%d"; compaction_result is the feedback (failed/withdrawn/progress) that
  // TP_fast_assign derives with compact_result_to_feedback().
  compact_retry: (f) =>
    `order=${f.num('order')} priority=${f.sym(COMPACTION_PRIORITY, 'priority')} ` +
    `compaction_result=${f.sym(COMPACTION_FEEDBACK, 'compaction_result', 'result')} ` +
    `retries=${f.num('retries')} max_retries=${f.num('max_retries')} ` +
    `should_retry=${f.num('should_retry', 'ret')}`,
  // migrate.h: "nr_succeeded=%lu nr_failed=%lu nr_thp_succeeded=%lu nr_thp_failed=%lu
  // nr_thp_split=%lu [nr_split=%lu] mode=%s reason=%s"; nr_split (large folios split) exists
  // since 6.3 and is printed only when the record has it, matching older eras otherwise.
  mm_migrate_pages: (f) =>
    `nr_succeeded=${dec(f.num('nr_succeeded'))} nr_failed=${dec(f.num('nr_failed'))} ` +
    `nr_thp_succeeded=${dec(f.num('nr_thp_succeeded'))} nr_thp_failed=${dec(f.num('nr_thp_failed'))} ` +
    `nr_thp_split=${dec(f.num('nr_thp_split'))} ` +
    (f.has('nr_split') ? `nr_split=${dec(f.num('nr_split'))} ` : '') +
    `mode=${f.sym(MIGRATE_MODE, 'mode')} reason=${f.sym(MIGRATE_REASON, 'reason')}`,
  // migrate.h: "mode=%s reason=%s"
  mm_migrate_pages_start: (f) =>
    `mode=${f.sym(MIGRATE_MODE, 'mode')} reason=${f.sym(MIGRATE_REASON, 'reason')}`,
  // cma.h: "name=%s count=%lu align=%u" in the kernels kernel-model.md describes; the newest
  // print "name=%s request_count=%lu available_count=%lu total_count=%lu align=%u", chosen
  // here when the record has request_count.
  cma_alloc_start: (f) =>
    f.has('request_count')
      ? `name=${f.str('name')} request_count=${dec(f.num('request_count'))} ` +
        `available_count=${dec(f.num('available_count'))} total_count=${dec(f.num('total_count'))} ` +
        `align=${dec(f.num('align'))}`
      : `name=${f.str('name')} count=${dec(f.num('count'))} align=${dec(f.num('align'))}`,
  // cma.h: "name=%s pfn=0x%lx page=%p count=%lu align=%u errorno=%d"; older kernels lack
  // errorno, so it is printed only when the record has it.
  cma_alloc_finish: (f) =>
    `name=${f.str('name')} pfn=${hex(f.num('pfn'))} page=${pagePointer(f.num('pfn'))} ` +
    `count=${dec(f.num('count'))} align=${dec(f.num('align'))}` +
    (f.has('errorno') ? ` errorno=${f.num('errorno')}` : ''),
  // cma.h: "name=%s pfn=0x%lx page=%p count=%lu align=%u"
  cma_alloc_busy_retry: (f) =>
    `name=${f.str('name')} pfn=${hex(f.num('pfn'))} page=${pagePointer(f.num('pfn'))} ` +
    `count=${dec(f.num('count'))} align=${dec(f.num('align'))}`,
  // cma.h: "name=%s pfn=0x%lx page=%p count=%lu"
  cma_release: (f) =>
    `name=${f.str('name')} pfn=${hex(f.num('pfn'))} page=${pagePointer(f.num('pfn'))} ` +
    `count=${dec(f.num('count'))}`,
  // page_isolation.h: "start_pfn=0x%lx end_pfn=0x%lx fin_pfn=0x%lx ret=%s", where ret is
  // computed in TP_printk: end_pfn <= fin_pfn ? "success" : "fail".
  test_pages_isolated: (f) => {
    const endPfn = f.num('end_pfn')
    const finPfn = f.num('fin_pfn')
    return (
      `start_pfn=${hex(f.num('start_pfn'))} end_pfn=${hex(endPfn)} fin_pfn=${hex(finPfn)} ` +
      `ret=${endPfn <= finPfn ? 'success' : 'fail'}`
    )
  },
}
