/**
 * # engine/cma: the Contiguous Memory Allocator (mm/cma.c)
 *
 * `cmaReserve(m, specs)` declares and activates named areas right after boot (base pfn, size,
 * `order_per_bit`; base and size aligned to CMA_MIN_ALIGNMENT_PAGES of the era: pageblock
 * [5.19+], MAX_ORDER before); each pageblock becomes MIGRATE_CMA and is freed to the buddy,
 * where movable allocations may use it (engine/mm's `__rmqueue` CMA rules). `cmaAlloc(m, area,
 * count, align, env, variant?)` searches the bitmap and calls alloc_contig_range, retrying on
 * -EBUSY one alignment unit further on; `cmaRelease` frees. Tracepoints `cma_alloc_start`,
 * `cma_alloc_finish`, `cma_alloc_busy_retry`, `cma_release` and the counters
 * `cma_alloc_success`/`cma_alloc_fail` are engine/mm's (`traceSubscribe`, `vmstat`; `cmaVmstat`
 * picks the two lines out); per-area `alloc_pages_success`/`alloc_pages_fail` are `cmaSysfs`.
 * `totalcma_pages` is `m.totalcmaPages`, `zone->cma_pages` is `zone.cmaPages`.
 *
 * ## Where the model departs from the kernel
 * - Areas are reserved by taking their pages out of an already booted buddy allocator, not by
 *   memblock before it; call `cmaReserve` before any workload allocates.
 * - One range per area (multi-range areas are 6.14+); `cma_mutex` serialises nothing since
 *   engine calls are synchronous. The bitmap has one byte per bit.
 */
export {
  type CmaArea,
  type CmaSpec,
  type CmaState,
  MAX_CMA_AREAS,
  cmaReserve,
  cmaState,
  cmaMinAlignmentPages,
  cmaAreaOf,
  cmaAreaByName,
  cmaVmstat,
  cmaSysfs,
} from './cmaArea'
export { type CmaAllocRecord, cmaAlloc, cmaRelease } from './cmaAlloc'
export {
  bitmapFindNextZeroAreaOff,
  cmaBitmapAlignedMask,
  cmaBitmapAlignedOffset,
  cmaBitmapMaxno,
  cmaBitmapPagesToBits,
} from './bitmap'
