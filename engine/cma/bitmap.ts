/**
 * The CMA allocation bitmap: lib/bitmap.c `bitmap_find_next_zero_area_off` and the
 * mm/cma.c helpers that translate pages and alignment into bits.
 */
import { type CmaArea } from './cmaArea'

/** `cma_bitmap_maxno`. */
export function cmaBitmapMaxno(cma: CmaArea): number {
  return cma.count >> cma.orderPerBit
}

/** `cma_bitmap_aligned_mask(cma, align_order)`. */
export function cmaBitmapAlignedMask(cma: CmaArea, alignOrder: number): number {
  if (alignOrder <= cma.orderPerBit) return 0
  return (1 << (alignOrder - cma.orderPerBit)) - 1
}

/** `cma_bitmap_aligned_offset(cma, align_order)`: the base pfn's misalignment, in bits. */
export function cmaBitmapAlignedOffset(cma: CmaArea, alignOrder: number): number {
  return (cma.basePfn & ((1 << alignOrder) - 1)) >> cma.orderPerBit
}

/** `cma_bitmap_pages_to_bits`: pages rounded up to whole bits. */
export function cmaBitmapPagesToBits(cma: CmaArea, pages: number): number {
  const unit = 1 << cma.orderPerBit
  return Math.ceil(pages / unit)
}

/**
 * `bitmap_find_next_zero_area_off(map, size, start, nr, align_mask, align_offset)`: the first
 * index ≥ `start` such that `index + offset` is aligned to `mask + 1` and bits
 * `[index, index + nr)` are all clear. Returns a value > `size` when there is none.
 */
export function bitmapFindNextZeroAreaOff(
  map: Uint8Array,
  size: number,
  start: number,
  nr: number,
  alignMask: number,
  alignOffset: number,
): number {
  for (;;) {
    let index = start
    while (index < size && map[index] !== 0) index++
    index = ((index + alignOffset + alignMask) & ~alignMask) - alignOffset
    const end = index + nr
    if (end > size) return end
    let i = index
    while (i < end && map[i] === 0) i++
    if (i >= end) return index
    start = i + 1
  }
}

export function bitmapSet(map: Uint8Array, start: number, nr: number): void {
  map.fill(1, start, start + nr)
}

export function bitmapClear(map: Uint8Array, start: number, nr: number): void {
  map.fill(0, start, start + nr)
}
