/**
 * # engine/isolation: pageblock isolation (mm/page_isolation.c)
 *
 * `startIsolatePageRange` / `undoIsolatePageRange` / `testPagesIsolated` over a pfn range,
 * `setMigratetypeIsolate` / `unsetMigratetypeIsolate` per pageblock, `hasUnmovablePages`, and
 * the boundary handling of 5.19+ (`isolateSinglePageblock`, `splitFreePage` [5.19–6.9],
 * `splitLargeBuddy` [6.10+]). Variant `isolation.representation` ('migratetype' | 'flag') is in
 * representation.ts; `boundarySplit: false` models the pre-v7 patch series of Zi Yan's
 * pageblock-alignment work, where a free MAX_ORDER page could stay half isolated.
 *
 * Tracepoints of this and the contig/CMA folders (`test_pages_isolated`, `cma_*`) are on a
 * side-table bus (`contigTraceSubscribe`), since engine/mm's trace list is closed.
 */
export { hasUnmovablePages, MEMORY_OFFLINE, REPORT_FAILURE } from './hasUnmovablePages'
export {
  EBUSY,
  setMigratetypeIsolate,
  unsetMigratetypeIsolate,
  findLargeBuddy,
  splitLargeBuddy,
  type IsolationVariant,
} from './migratetypeIsolate'
export {
  type IsolateCtx,
  newIsolateCtx,
  splitFreePage,
  isolateSinglePageblock,
  startIsolatePageRange,
  undoIsolatePageRange,
  testPagesIsolated,
} from './isolateRange'
export {
  type IsolationRepresentation,
  defaultRepresentation,
  isolatedOriginalMigratetype,
  markPageblockIsolated,
  clearPageblockIsolated,
} from './representation'
export {
  type ContigTraceEvent,
  type ContigTraceName,
  type TestPagesIsolatedEvent,
  type CmaAllocStartEvent,
  type CmaAllocFinishEvent,
  type CmaReleaseEvent,
  CONTIG_TRACE_EVENT_NAMES,
  contigTraceSubscribe,
  contigTraceOn,
  contigTraceEmit,
} from './traceBus'
