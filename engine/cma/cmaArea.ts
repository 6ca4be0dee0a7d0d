/**
 * CMA areas (mm/cma.c, mm/cma.h): `cma_init_reserved_mem` (name, base_pfn, count,
 * order_per_bit, CMA_MIN_ALIGNMENT_PAGES) and `cma_activate_area` (every pageblock becomes
 * MIGRATE_CMA and is freed at pageblock order: engine/mm's `init_cma_reserved_pageblock`,
 * which keeps `zone->cma_pages`). Areas and their sysfs counters are kept per machine in the
 * state registry (engine/mm/machineState.ts); `totalcma_pages` and the /proc/vmstat counters
 * are engine/mm's.
 */
import { initCmaReservedPageblock } from '../mm/cma'
import { type Machine, pfnZone } from '../mm/machine'
import { defineMachineState } from '../mm/machineState'
import { VM_CMA_ALLOC_FAIL, VM_CMA_ALLOC_SUCCESS } from '../mm/vmstatItems'
import { reserveRangeFromBuddy } from '../contig/placement'

/** `MAX_CMA_AREAS` (CONFIG_CMA_AREAS default 19 on x86_64 with NUMA off; the model allows 64). */
export const MAX_CMA_AREAS = 64

/** `struct cma`. The bitmap has one byte per bit (`count >> order_per_bit` bits). */
export interface CmaArea {
  name: string
  basePfn: number
  count: number
  orderPerBit: number
  bitmap: Uint8Array
  /** sysfs `alloc_pages_success` / `alloc_pages_fail` (CONFIG_CMA_SYSFS), in pages. */
  nrPagesSucceeded: number
  nrPagesFailed: number
}

export interface CmaState {
  areas: CmaArea[]
}

export const cmaState = defineMachineState('cma', (): CmaState => ({ areas: [] }))

/** `CMA_MIN_ALIGNMENT_PAGES`: pageblock_nr_pages [5.19+]; max(MAX_ORDER_NR_PAGES, pageblock) before. */
export function cmaMinAlignmentPages(m: Machine, alignment: 'max-order' | 'pageblock'): number {
  return alignment === 'pageblock'
    ? m.pageblockNrPages
    : Math.max(1 << m.maxOrder, m.pageblockNrPages)
}

export interface CmaSpec {
  name?: string
  basePfn: number
  nrPages: number
  /** Default 0 (one bit per page, as the default `cma=` area). */
  orderPerBit?: number
}

/**
 * `cma_init_reserved_mem` + `cma_activate_area` for each spec, right after boot (before any
 * workload runs): checks alignment (base and size multiples of CMA_MIN_ALIGNMENT_PAGES), a
 * single zone, and frees every pageblock as MIGRATE_CMA. Returns the areas.
 */
export function cmaReserve(
  m: Machine,
  specs: CmaSpec[],
  alignment: 'max-order' | 'pageblock' = 'pageblock',
): CmaArea[] {
  const st = cmaState(m)
  const minAlign = cmaMinAlignmentPages(m, alignment)
  const out: CmaArea[] = []
  for (const spec of specs) {
    if (st.areas.length >= MAX_CMA_AREAS)
      throw new RangeError('cma: not enough slots for CMA reserved regions')
    const name = spec.name ?? `cma${st.areas.length}`
    const { basePfn, nrPages } = spec
    const orderPerBit = spec.orderPerBit ?? 0
    if (nrPages <= 0 || basePfn % minAlign !== 0 || nrPages % minAlign !== 0) {
      throw new RangeError(
        `cma ${name}: base ${basePfn} and size ${nrPages} must be multiples of CMA_MIN_ALIGNMENT_PAGES (${minAlign})`,
      )
    }
    if (1 << orderPerBit > nrPages || nrPages % (1 << orderPerBit) !== 0)
      throw new RangeError(`cma ${name}: order_per_bit ${orderPerBit} does not divide the area`)
    const z = pfnZone(m, basePfn)
    if (z === undefined || basePfn + nrPages > z.endPfn)
      throw new RangeError(`cma ${name}: the area must lie in one zone`)
    if (st.areas.some((a) => basePfn < a.basePfn + a.count && a.basePfn < basePfn + nrPages))
      throw new RangeError(`cma ${name}: overlaps another area`)
    // memblock reservation: the area's pages leave the buddy as PAGE_BOOT placeholders.
    reserveRangeFromBuddy(m, basePfn, basePfn + nrPages, 0)
    const area: CmaArea = {
      name,
      basePfn,
      count: nrPages,
      orderPerBit,
      bitmap: new Uint8Array(nrPages >> orderPerBit),
      nrPagesSucceeded: 0,
      nrPagesFailed: 0,
    }
    for (let pfn = basePfn; pfn < basePfn + nrPages; pfn += m.pageblockNrPages)
      initCmaReservedPageblock(m, pfn)
    st.areas.push(area)
    m.totalcmaPages += nrPages
    out.push(area)
  }
  return out
}

/** The area holding `pfn`, or undefined. */
export function cmaAreaOf(m: Machine, pfn: number): CmaArea | undefined {
  return cmaState(m).areas.find((a) => pfn >= a.basePfn && pfn < a.basePfn + a.count)
}

/** Look an area up by name (`cma_for_each_area`). */
export function cmaAreaByName(m: Machine, name: string): CmaArea | undefined {
  return cmaState(m).areas.find((a) => a.name === name)
}

/** /proc/vmstat lines of CMA (engine/mm's counters; `vmstat(m)` prints them among all others). */
export function cmaVmstat(m: Machine): [name: string, value: number][] {
  return [
    ['cma_alloc_success', m.vmEvents[VM_CMA_ALLOC_SUCCESS]],
    ['cma_alloc_fail', m.vmEvents[VM_CMA_ALLOC_FAIL]],
  ]
}

/** /sys/kernel/mm/cma/<name>/{alloc_pages_success,alloc_pages_fail}. */
export function cmaSysfs(
  m: Machine,
): Record<string, { alloc_pages_success: number; alloc_pages_fail: number }> {
  const out: Record<string, { alloc_pages_success: number; alloc_pages_fail: number }> = {}
  for (const a of cmaState(m).areas)
    out[a.name] = { alloc_pages_success: a.nrPagesSucceeded, alloc_pages_fail: a.nrPagesFailed }
  return out
}
