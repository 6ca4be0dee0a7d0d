/**
 * Planning one zone of an import (see importPlan.ts for the whole picture).
 */
import { MIGRATETYPE_NAMES, MIGRATE_CMA, MIGRATE_ISOLATE, MIGRATE_TYPES } from '../mm/migratetype'
import { buddyPfn, pageblocksNeeded, packSmallBlocks, RegionPool } from './importPack'

/** Where a zone lies: the files do not say, so it is derived or given. */
export interface ZoneGeometry {
  nid: number
  name: string
  startPfn: number
  spannedPages: number
}

export interface ImportZonePlan extends ZoneGeometry {
  /** pfn of the first pageblock that overlaps the zone (startPfn aligned down). */
  firstPageblockPfn: number
  /** Migratetype of each pageblock from `firstPageblockPfn` on, to the zone's end. */
  pageblockMigratetype: Uint8Array
  /** Free blocks sorted by pfn (struct of arrays): start pfn, order, free list (migratetype). */
  freePfn: Uint32Array
  freeOrder: Uint8Array
  freeMigratetype: Uint8Array
  /** Allocated runs sorted by pfn; a run never crosses a pageblock boundary. */
  usedPfn: Uint32Array
  usedNrPages: Uint32Array
  /** The exact free counts [migratetype][order] the plan realises. */
  nrFreeByType: number[][]
  /** [migratetype][order]: the file printed ">100000" here. */
  capped: boolean[][]
  /** "Number of blocks type" of the file. */
  nrPageblocksByType: number[]
}

export interface PlanZoneInput {
  geometry: ZoneGeometry
  /** Exact free counts [migratetype][order] (capped cells already resolved). */
  nrFreeByType: number[][]
  capped: boolean[][]
  nrPageblocksByType: readonly number[]
  pageblockOrder: number
  nrOrders: number
  /** Let Unmovable/Movable/Reclaimable/HighAtomic free blocks sit in other such pageblocks. */
  mixedLists: boolean
  /**
   * pfn ranges whose pageblocks are known to be of one type (a CMA area from `cma=` or the
   * device tree: `cma_activate_area` makes exactly its pageblocks MIGRATE_CMA). Every pageblock
   * of that type must lie in its ranges; its free blocks are placed there, top down.
   */
  pinned?: readonly { migratetype: number; startPfn: number; nrPages: number }[]
}

/** Whole pageblocks go to the remaining types in this order, from low pfns up. */
const FILL_ORDER = [0, 2, 3, 5, 4, 1]
/** Big free blocks take the top of the zone, Movable highest. */
const BIG_ORDER = [1, 4, 2, 3, 0, 5]
/** Pools that take other types' blocks in mixed-lists mode, in order of preference. */
const HOST_ORDER = [1, 0, 2, 3]
/** CMA and isolated pageblocks only ever hold free blocks of their own list. */
const strictType = (mt: number) => mt === MIGRATE_CMA || mt === MIGRATE_ISOLATE

/**
 * 1. Free blocks of pageblock order or more take aligned runs of whole pageblocks from the top
 *    of the zone down and give them their type; no two of one order are buddies.
 * 2. The other pageblocks receive the remaining "Number of blocks type" counts: pageblocks cut
 *    by the zone edge to the types with the most room to spare, whole ones in address order
 *    Unmovable, Reclaimable, HighAtomic, Isolate, CMA, Movable.
 * 3. Smaller free blocks are packed into pageblocks of their own type (importPack.ts). With
 *    `mixedLists` (kernels before 6.10 leave blocks on the list of the allocation that split
 *    them), what does not fit goes to pageblocks of another mergeable type.
 * 4. Every other pfn of the zone is allocated.
 */
export function planZone(input: PlanZoneInput): ImportZonePlan {
  const { geometry: g, nrFreeByType, pageblockOrder, nrOrders, mixedLists } = input
  const fail = (why: string): never => {
    throw new Error(`import: Node ${g.nid}, zone ${g.name}: ${why}`)
  }
  const hint = mixedLists ? '' : ' (a file from a kernel before 6.10 may need mixedLists)'
  const pbPages = 2 ** pageblockOrder
  const endPfn = g.startPfn + g.spannedPages
  const firstPb = Math.floor(g.startPfn / pbPages)
  const nrPb = Math.floor((endPfn - 1) / pbPages) - firstPb + 1
  const fileBlocks = input.nrPageblocksByType.reduce((a, c) => a + c, 0)
  // pagetypeinfo_showblockcount_print visits start_pfn, start_pfn + pageblock_nr_pages, ...
  if (g.spannedPages <= 0 || Math.ceil(g.spannedPages / pbPages) !== nrPb || nrPb !== fileBlocks) {
    fail(`pfn ${g.startPfn}..${endPfn} holds ${nrPb} pageblocks but the file counts ${fileBlocks}`)
  }
  const pbStart = (b: number) => Math.max((firstPb + b) * pbPages, g.startPfn)
  const pbEnd = (b: number) => Math.min((firstPb + b + 1) * pbPages, endPfn)
  const isWhole = (b: number) => pbEnd(b) - pbStart(b) === pbPages
  const UNSET = 255
  const types = new Uint8Array(nrPb).fill(UNSET)
  const left = [...input.nrPageblocksByType]
  const placed: { pfn: number[]; order: number[]; mt: number[] } = { pfn: [], order: [], mt: [] }
  const place = (pfn: number, order: number, mt: number) => {
    placed.pfn.push(pfn)
    placed.order.push(order)
    placed.mt.push(mt)
  }
  const freeAt = new Set<string>()
  const bigFree = new Uint8Array(nrPb)
  const pinnedMt = pinPageblocks(input, firstPb, nrPb, types, left, fail)
  const pinnedTypes = new Set(pinnedMt.filter((t) => t !== UNSET))
  // A pageblock may take a big free block of list `mt`: pinned ones only their own type's.
  const takes = (b: number, mt: number) =>
    pinnedMt[b] === UNSET
      ? types[b] === UNSET && !pinnedTypes.has(mt)
      : pinnedMt[b] === mt && bigFree[b] === 0

  // 1. Big blocks.
  for (let order = nrOrders - 1; order >= pageblockOrder; order--) {
    const span = 2 ** (order - pageblockOrder)
    for (const mt of BIG_ORDER) {
      let count = nrFreeByType[mt][order]
      if (!pinnedTypes.has(mt) && count * span > left[mt] && (!mixedLists || strictType(mt))) {
        fail(
          `${count} free ${MIGRATETYPE_NAMES[mt]} order-${order} blocks need ${count * span} ` +
            `${MIGRATETYPE_NAMES[mt]} pageblocks, the file has ${left[mt]} left${hint}`,
        )
      }
      let top = Math.floor((firstPb + nrPb) / span) * span - firstPb - span
      while (count > 0) {
        if (top < 0) fail(`no room for ${count} more free order-${order} blocks`)
        const pfn = (firstPb + top) * pbPages
        let ok = order === nrOrders - 1 || !freeAt.has(`${buddyPfn(pfn, order)}:${order}`)
        for (let b = top; ok && b < top + span; b++) ok = takes(b, mt) && isWhole(b)
        if (ok && pinnedMt[top] === mt) {
          bigFree.fill(1, top, top + span)
          place(pfn, order, mt)
          freeAt.add(`${pfn}:${order}`)
          count--
        } else if (ok) {
          let pbType = mt
          if (left[mt] < span) {
            pbType = HOST_ORDER.reduce((best, t) => (left[t] > left[best] ? t : best))
            if (left[pbType] < span) fail(`no pageblocks left for free order-${order} blocks`)
          }
          types.fill(pbType, top, top + span)
          bigFree.fill(1, top, top + span)
          left[pbType] -= span
          place(pfn, order, mt)
          freeAt.add(`${pfn}:${order}`)
          count--
        }
        top -= span
      }
    }
  }

  // 2. Type the rest.
  const smallCounts = (mt: number) => nrFreeByType[mt].map((n, o) => (o < pageblockOrder ? n : 0))
  const slack = nrFreeByType.map(
    (_, mt) => left[mt] - pageblocksNeeded(smallCounts(mt), pageblockOrder),
  )
  const untyped = [...types.keys()].filter((b) => types[b] === UNSET)
  for (const b of untyped.filter((b) => !isWhole(b))) {
    let best = -1
    for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
      if (left[mt] > 0 && (best < 0 || slack[mt] > slack[best])) best = mt
    }
    types[b] = best
    left[best]--
    slack[best]--
  }
  let k = 0
  for (const b of untyped.filter((b) => isWhole(b))) {
    while (left[FILL_ORDER[k]] === 0) k++
    types[b] = FILL_ORDER[k]
    left[FILL_ORDER[k]]--
  }

  // 3. Small blocks, lowest pfns first.
  const pools: RegionPool[] = []
  const overflow: number[][] = []
  for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
    const pool = new RegionPool(pageblockOrder)
    for (let b = nrPb - 1; b >= 0; b--) {
      if (types[b] === mt && !bigFree[b]) pool.addRange(pbStart(b), pbEnd(b))
    }
    const res = packSmallBlocks(pool, smallCounts(mt), pageblockOrder)
    for (const [pfn, order] of res.placed) place(pfn, order, mt)
    pools.push(pool)
    overflow.push(res.overflow)
  }
  for (let order = pageblockOrder - 1; order >= 0; order--) {
    for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
      for (let n = overflow[mt][order]; n > 0; n--) {
        const host = mixedLists && !strictType(mt) ? HOST_ORDER.filter((t) => t !== mt) : []
        let pfn = -1
        for (let h = 0; h < host.length && pfn < 0; h++) pfn = pools[host[h]].place(order)
        if (pfn < 0) {
          fail(
            `the ${input.nrPageblocksByType[mt]} ${MIGRATETYPE_NAMES[mt]} pageblocks cannot hold ` +
              `its free blocks without merges (${n} of order ${order} left over)${hint}`,
          )
        }
        place(pfn, order, mt)
      }
    }
  }

  return finishZone(input, firstPb * pbPages, types, placed, pbPages)
}

/** Types the pinned pageblocks (`PlanZoneInput.pinned`); returns each pageblock's pinned type. */
function pinPageblocks(
  input: PlanZoneInput,
  firstPb: number,
  nrPb: number,
  types: Uint8Array,
  left: number[],
  fail: (why: string) => never,
): Uint8Array {
  const pbPages = 2 ** input.pageblockOrder
  const pinned = new Uint8Array(nrPb).fill(255)
  for (const r of input.pinned ?? []) {
    const name = MIGRATETYPE_NAMES[r.migratetype]
    if (r.startPfn % pbPages !== 0 || r.nrPages % pbPages !== 0 || r.nrPages <= 0)
      fail(`pinned ${name} range at pfn ${r.startPfn} is not whole pageblocks`)
    const b0 = r.startPfn / pbPages - firstPb
    const n = r.nrPages / pbPages
    if (b0 < 0 || b0 + n > nrPb) fail(`pinned ${name} range at pfn ${r.startPfn} is outside the zone`)
    if (n > left[r.migratetype])
      fail(`pinned ${name} range has ${n} pageblocks, the file counts ${left[r.migratetype]}`)
    for (let b = b0; b < b0 + n; b++) {
      if (pinned[b] !== 255) fail(`pinned ranges overlap at pageblock ${b + firstPb}`)
      pinned[b] = r.migratetype
      types[b] = r.migratetype
    }
    left[r.migratetype] -= n
  }
  for (const r of input.pinned ?? []) {
    if (left[r.migratetype] !== 0) {
      fail(
        `${left[r.migratetype]} ${MIGRATETYPE_NAMES[r.migratetype]} pageblocks of the file lie ` +
          'outside the pinned ranges',
      )
    }
  }
  return pinned
}

function finishZone(
  input: PlanZoneInput,
  firstPageblockPfn: number,
  types: Uint8Array,
  placed: { pfn: number[]; order: number[]; mt: number[] },
  pbPages: number,
): ImportZonePlan {
  const g = input.geometry
  const idx = [...placed.pfn.keys()].sort((a, b) => placed.pfn[a] - placed.pfn[b])
  const freePfn = Uint32Array.from(idx, (i) => placed.pfn[i])
  const freeOrder = Uint8Array.from(idx, (i) => placed.order[i])
  const usedPfn: number[] = []
  const usedNrPages: number[] = []
  const addUsed = (from: number, to: number) => {
    for (let pfn = from; pfn < to;) {
      const stop = Math.min(to, (Math.floor(pfn / pbPages) + 1) * pbPages)
      usedPfn.push(pfn)
      usedNrPages.push(stop - pfn)
      pfn = stop
    }
  }
  let cursor = g.startPfn
  for (let i = 0; i < freePfn.length; i++) {
    addUsed(cursor, freePfn[i])
    cursor = freePfn[i] + 2 ** freeOrder[i]
  }
  addUsed(cursor, g.startPfn + g.spannedPages)
  return {
    nid: g.nid,
    name: g.name,
    startPfn: g.startPfn,
    spannedPages: g.spannedPages,
    firstPageblockPfn,
    pageblockMigratetype: types,
    freePfn,
    freeOrder,
    freeMigratetype: Uint8Array.from(idx, (i) => placed.mt[i]),
    usedPfn: Uint32Array.from(usedPfn),
    usedNrPages: Uint32Array.from(usedNrPages),
    nrFreeByType: input.nrFreeByType,
    capped: input.capped,
    nrPageblocksByType: [...input.nrPageblocksByType],
  }
}

/** Whether a free block of list `mt` may sit in a pageblock of type `pbType` under `mixedLists`. */
export function mixedListAllowed(mt: number, pbType: number): boolean {
  return mt === pbType || (!strictType(mt) && !strictType(pbType))
}
