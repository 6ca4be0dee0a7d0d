/**
 * Colours of the memory map as packed RGBA words for a Uint32Array view of ImageData (byte
 * order R, G, B, A in memory = 0xAABBGGRR on little-endian machines, which is every machine
 * Chromium and Node run on here).
 */
import {
  MIGRATE_CMA,
  MIGRATE_HIGHATOMIC,
  MIGRATE_ISOLATE,
  MIGRATE_MOVABLE,
  MIGRATE_RECLAIMABLE,
  MIGRATE_UNMOVABLE,
} from '../mm/migratetype'
import {
  PK_ANON,
  PK_BOOT,
  PK_FILE,
  PK_FREE,
  PK_KERNEL,
  PK_MOVABLE_OPS,
  PK_ISOLATED_FREE,
  PK_NO_ZONE,
  PK_OFFLINE,
  PK_PCP,
  PK_PINNED,
  PK_RESERVED,
  PK_SLAB,
} from './detail'

export type Rgb = readonly [number, number, number]

/** Migratetype colours, indexed by `enum migratetype` (legend uses MIGRATETYPE_NAMES). */
export const MIGRATETYPE_RGB: readonly Rgb[] = []
const mt: Rgb[] = MIGRATETYPE_RGB as Rgb[]
mt[MIGRATE_UNMOVABLE] = [214, 69, 65]
mt[MIGRATE_MOVABLE] = [52, 120, 219]
mt[MIGRATE_RECLAIMABLE] = [230, 140, 30]
mt[MIGRATE_HIGHATOMIC] = [142, 68, 173]
mt[MIGRATE_CMA] = [22, 160, 133]
mt[MIGRATE_ISOLATE] = [110, 110, 110]

/** Page owner colours at page zoom, indexed by PK_*. */
export const PAGE_KIND_RGB: readonly Rgb[] = []
const pk: Rgb[] = PAGE_KIND_RGB as Rgb[]
pk[PK_FREE] = [236, 240, 241]
pk[PK_PCP] = [200, 214, 229]
pk[PK_ANON] = [41, 128, 185]
pk[PK_FILE] = [39, 174, 96]
pk[PK_MOVABLE_OPS] = [26, 188, 156]
pk[PK_SLAB] = [192, 57, 43]
pk[PK_KERNEL] = [231, 76, 60]
pk[PK_PINNED] = [155, 89, 182]
pk[PK_BOOT] = [149, 165, 166]
pk[PK_RESERVED] = [52, 73, 94]
pk[PK_OFFLINE] = [44, 62, 80]
pk[PK_NO_ZONE] = [0, 0, 0]
pk[PK_ISOLATED_FREE] = [241, 196, 15]

export interface MapTheme {
  background: Rgb
  /** Colour a pageblock fades to as it empties. */
  empty: Rgb
  grid: Rgb
  /** PB_migrate_skip dot. */
  skip: Rgb
  /** Border of an isolated pageblock. */
  isolate: Rgb
  /** Hatching of CMA pageblocks. */
  cma: Rgb
  /** Folio / free block boundaries at page zoom. */
  folioEdge: Rgb
}

export const LIGHT_THEME: MapTheme = {
  background: [250, 250, 250],
  empty: [244, 246, 248],
  grid: [205, 210, 215],
  skip: [20, 20, 20],
  isolate: [241, 196, 15],
  cma: [255, 255, 255],
  folioEdge: [40, 40, 40],
}

export const DARK_THEME: MapTheme = {
  background: [30, 30, 30],
  empty: [48, 52, 56],
  grid: [70, 74, 78],
  skip: [250, 250, 250],
  isolate: [241, 196, 15],
  cma: [20, 20, 20],
  folioEdge: [230, 230, 230],
}

/** Packs an opaque colour for a Uint32Array view of RGBA bytes (little-endian). */
export function packRgb(c: Rgb): number {
  return ((255 << 24) | (c[2] << 16) | (c[1] << 8) | c[0]) >>> 0
}

/** `a` blended toward `b` by t in 0..1, packed. */
export function mixPacked(a: Rgb, b: Rgb, t: number): number {
  const u = 1 - t
  return packRgb([
    Math.round(a[0] * u + b[0] * t),
    Math.round(a[1] * u + b[1] * t),
    Math.round(a[2] * u + b[2] * t),
  ])
}

/** CSS colour of an Rgb, for legends. */
export function cssRgb(c: Rgb): string {
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`
}
