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
 * The `test_pages_isolated` tracepoint (and CMA's `cma_*`) are in engine/mm's registry:
 * subscribe with `traceSubscribe(m, 'test_pages_isolated', cb)`.
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
