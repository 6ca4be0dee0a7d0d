/**
 * Where the guest's reserved memory sits: an import plan says which pfns are free and which are
 * used, but /proc/buddyinfo and /proc/pagetypeinfo do not say where. engine/proc's planner puts
 * the big free blocks at the top of the zone and every used or reserved pfn below them. The
 * guest's own allocations say otherwise: its fill (W1 step 2) took the order-10 blocks in
 * address order (`__rmqueue_smallest` takes the head of a list that `memblock_free_all` filled in
 * ascending pfn order, FPI_TO_TAIL) and began at pageblock 52 (`pageblock_maps.filled`), while
 * the importer's lowest order-10 block is at pageblock 60. The 8 pageblocks of reserved pfns in
 * between are, in the guest, at the top of DMA32: memblock allocates top-down
 * (mm/memblock.c:memblock_find_in_range_node with `bottom_up` false), which is where the
 * memmap, the direct map's page tables and other early allocations go.
 *
 * `moveReservedToTop` swaps those pageblocks in the plan: the top run of pageblocks made of
 * free blocks of pageblock order or more moves down below the lowest such block, and the fully
 * used pageblocks there move up. Counts per order, per type and per zone are unchanged.
 */
import { type ImportPlan } from '../proc'

/**
 * Swap `nrPageblocks` (even, so order-10 blocks stay aligned) fully used pageblocks just below
 * the lowest free block of order ≥ pageblock_order with the highest `nrPageblocks` pageblocks
 * wholly made of such free blocks. Returns a new plan; throws if the zone does not have that
 * shape (the used pageblocks must be full and of the same migratetype as the free ones).
 */
export function moveReservedToTop(
  plan: ImportPlan,
  zoneIndex: number,
  nrPageblocks: number,
): ImportPlan {
  const zp = plan.zones[zoneIndex]
  const pbOrder = plan.pageblockOrder
  const pbPages = 2 ** pbOrder
  const firstPb = zp.firstPageblockPfn / pbPages
  const nPb = zp.pageblockMigratetype.length
  if (nrPageblocks === 0) return plan
  if (nrPageblocks % 2 !== 0) throw new RangeError('moveReservedToTop: nrPageblocks must be even')

  // Per pageblock: pages covered by big free blocks, and pages used.
  const bigFree = new Int32Array(nPb)
  const used = new Int32Array(nPb)
  for (let k = 0; k < zp.freePfn.length; k++) {
    if (zp.freeOrder[k] < pbOrder) continue
    const b = zp.freePfn[k] / pbPages - firstPb
    for (let i = 0; i < 2 ** (zp.freeOrder[k] - pbOrder); i++) bigFree[b + i] = pbPages
  }
  for (let k = 0; k < zp.usedPfn.length; k++)
    used[Math.floor(zp.usedPfn[k] / pbPages) - firstPb] += zp.usedNrPages[k]

  let lowest = -1
  for (let b = 0; b < nPb && lowest < 0; b++) if (bigFree[b] === pbPages) lowest = b
  let top = -1
  for (let b = nPb - 1; b >= nrPageblocks - 1 && top < 0; b--) {
    let ok = (b - nrPageblocks + 1 + firstPb) % 2 === 0
    for (let i = 0; i < nrPageblocks && ok; i++) ok = bigFree[b - i] === pbPages
    if (ok) top = b - nrPageblocks + 1
  }
  const low = lowest - nrPageblocks
  if (lowest < 0 || top < 0 || low < 0 || top <= lowest)
    throw new Error('moveReservedToTop: no run of free pageblocks above the used ones')
  if ((low + firstPb) % 2 !== 0 || (top + firstPb) % 2 !== 0)
    throw new Error('moveReservedToTop: pageblocks not aligned for order-10 blocks')
  for (let i = 0; i < nrPageblocks; i++) {
    if (used[low + i] !== pbPages)
      throw new Error(`moveReservedToTop: pageblock ${low + i + firstPb} is not fully used`)
    if (zp.pageblockMigratetype[low + i] !== zp.pageblockMigratetype[top + i])
      throw new Error('moveReservedToTop: pageblock types differ')
  }
  const delta = (top - low) * pbPages
  const lowStart = (low + firstPb) * pbPages
  const topStart = (top + firstPb) * pbPages
  const span = nrPageblocks * pbPages

  const free = Array.from(zp.freePfn, (pfn, k) => ({
    pfn: pfn >= topStart && pfn < topStart + span ? pfn - delta : pfn,
    order: zp.freeOrder[k],
    mt: zp.freeMigratetype[k],
  })).sort((a, b) => a.pfn - b.pfn)
  const usedRuns = Array.from(zp.usedPfn, (pfn, k) => ({
    pfn: pfn >= lowStart && pfn < lowStart + span ? pfn + delta : pfn,
    n: zp.usedNrPages[k],
  })).sort((a, b) => a.pfn - b.pfn)

  const moved = {
    ...zp,
    freePfn: Uint32Array.from(free, (f) => f.pfn),
    freeOrder: Uint8Array.from(free, (f) => f.order),
    freeMigratetype: Uint8Array.from(free, (f) => f.mt),
    usedPfn: Uint32Array.from(usedRuns, (u) => u.pfn),
    usedNrPages: Uint32Array.from(usedRuns, (u) => u.n),
  }
  return { ...plan, zones: plan.zones.map((z, i) => (i === zoneIndex ? moved : z)) }
}

/**
 * Pages of the fill's first pageblock that the guest's mapping did not get, from its own
 * per-pageblock map (`pageblock_maps.filled`): when the mapping is one physically contiguous run
 * (every pageblock strictly between the lowest and the highest holding mapping pages is wholly
 * the mapping's), it began `pbPages − filled[first]` pages into its lowest pageblock (W4: 176
 * pages in pageblock 49, so at offset 336), the pages below being the guest's other memory
 * taken first. Returns 0 when the run starts on a pageblock boundary or the map is not one run
 * (a fill that began in scattered small free blocks, as W1's and W3's order-0 fills did).
 */
export function fillLeadPages(filled: readonly number[], pbPages: number): number {
  const first = filled.findIndex((n) => n !== 0)
  let last = filled.length - 1
  while (last > first && filled[last] === 0) last--
  if (first < 0 || last - first < 2) return 0
  for (let b = first + 1; b < last; b++) if (filled[b] !== pbPages) return 0
  if (!(filled[first] > 0 && filled[first] <= pbPages))
    throw new RangeError(`fillLeadPages: pageblock ${first} holds ${filled[first]} pages`)
  return pbPages - filled[first]
}
