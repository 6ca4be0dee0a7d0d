/**
 * Packing free buddy blocks below pageblock order into pageblocks so that none of them would
 * merge (mm/page_alloc.c:__free_one_page merges a block with its buddy when the buddy is a free
 * block of the same order).
 *
 * Every block of order o goes into a "pair slot": an aligned 2^(o+1) region whose first half is
 * the free block and whose second half becomes a region that only hosts smaller blocks. A
 * region that is never used stays allocated, and every pair slot's second half bottoms out in at
 * least one allocated page, so no free block's buddy is ever wholly free. Blocks are placed from
 * the highest order down, each in the smallest region that can hold its pair slot (best fit):
 * with power-of-two sizes this never wastes space a later, smaller block could have used. An
 * order-0 block costs two pages, so a pageblock of 512 holds 256 of them, the most any
 * non-merging layout can.
 */

/** mm/internal.h:__find_buddy_pfn, without XOR so that pfns above 2^31 stay exact. */
export function buddyPfn(pfn: number, order: number): number {
  const size = 2 ** order
  return pfn % (2 * size) === 0 ? pfn + size : pfn - size
}

/** Regions available to one packing, as stacks of start pfns per order. */
export class RegionPool {
  private readonly byOrder: number[][]
  /** Called when no region is big enough; returns a fresh region or undefined. */
  private readonly supply: ((order: number) => [pfn: number, order: number] | undefined) | undefined

  constructor(
    maxRegionOrder: number,
    supply?: (order: number) => [pfn: number, order: number] | undefined,
  ) {
    this.byOrder = Array.from({ length: maxRegionOrder + 1 }, () => [])
    this.supply = supply
  }

  add(pfn: number, order: number): void {
    this.byOrder[order].push(pfn)
  }

  /** Adds the maximal aligned power-of-two regions covering [startPfn, endPfn). */
  addRange(startPfn: number, endPfn: number): void {
    let pfn = startPfn
    while (pfn < endPfn) {
      let order = 0
      while (
        order + 1 < this.byOrder.length &&
        pfn % 2 ** (order + 1) === 0 &&
        pfn + 2 ** (order + 1) <= endPfn
      ) {
        order++
      }
      this.add(pfn, order)
      pfn += 2 ** order
    }
  }

  /**
   * Places one free block of `order` and returns its pfn, or -1 when no region can hold its
   * pair slot.
   */
  place(order: number): number {
    const slotOrder = order + 1
    let r = slotOrder
    while (r < this.byOrder.length && this.byOrder[r].length === 0) r++
    let pfn: number
    if (r < this.byOrder.length) {
      pfn = this.byOrder[r].pop()!
    } else {
      const fresh = this.supply?.(slotOrder)
      if (!fresh) return -1
      ;[pfn, r] = fresh
    }
    // Split down to the pair slot; the upper halves stay available.
    while (r > slotOrder) {
      r--
      this.add(pfn + 2 ** r, r)
    }
    // The pair slot's second half may only host smaller blocks.
    this.add(pfn + 2 ** order, order)
    return pfn
  }
}

/**
 * Places `counts[order]` blocks of each order below `pageblockOrder` into `pool`, largest first.
 * Returns the [pfn, order] pairs placed and, per order, how many did not fit.
 */
export function packSmallBlocks(
  pool: RegionPool,
  counts: readonly number[],
  pageblockOrder: number,
): { placed: [number, number][]; overflow: number[] } {
  const placed: [number, number][] = []
  const overflow = new Array<number>(counts.length).fill(0)
  for (let order = Math.min(pageblockOrder, counts.length) - 1; order >= 0; order--) {
    for (let k = 0; k < counts[order]; k++) {
      const pfn = pool.place(order)
      if (pfn < 0) {
        overflow[order] = counts[order] - k
        break
      }
      placed.push([pfn, order])
    }
  }
  return { placed, overflow }
}

/** How many whole pageblocks `packSmallBlocks` needs for these counts. */
export function pageblocksNeeded(counts: readonly number[], pageblockOrder: number): number {
  let used = 0
  const pool = new RegionPool(pageblockOrder, () => [used++ * 2 ** pageblockOrder, pageblockOrder])
  packSmallBlocks(pool, counts, pageblockOrder)
  return used
}
