/**
 * The memory map's pixels, computed without a DOM: `drawMap` fills a Uint32Array view of a
 * canvas-sized RGBA buffer (an ImageData in the renderer, a plain buffer in the benchmark).
 *
 * Cost per call is one pass over the canvas pixels with per-column and per-row tables built
 * first, so it depends on the canvas size, never on the machine size: a 64 GiB machine pans as
 * fast as a 64 MiB one. Per-pageblock colours are computed once per frame (`pageblockColors`).
 *
 * Zoomed out, a pixel shows its pageblock: colour by migratetype, faded toward `empty` as the
 * block empties, with markers once cells are big enough (isolated: border; PB_migrate_skip: a
 * dot in the corner; CMA: hatching). Zoomed in to `PAGE_MODE_PX_PER_PAGE` and beyond, pixels
 * with page detail show each page's owner, and block (folio or free buddy) boundaries are drawn.
 */
import { MIGRATE_CMA, MIGRATE_ISOLATE } from '../mm/migratetype'
import { type PageDetail, PK_FREE, PK_PCP } from './detail'
import { MF_ISOLATE, MF_MT_MASK, MF_NO_ZONE, MF_SKIP, type MapFrame } from './frame'
import { type MapLayout, type Viewport } from './layout'
import { MIGRATETYPE_RGB, PAGE_KIND_RGB, type MapTheme, mixPacked, packRgb } from './palette'

/** From this many pixels per page on, pages are drawn individually. */
export const PAGE_MODE_PX_PER_PAGE = 3
/** From this many pixels per page on, block boundaries are drawn. */
const EDGE_PX_PER_PAGE = 4

/** Per-pageblock fill colours of a frame: migratetype, shaded by occupancy. */
export function pageblockColors(frame: MapFrame, theme: MapTheme, out?: Uint32Array): Uint32Array {
  const n = frame.nrPageblocks
  const res = out && out.length >= n ? out : new Uint32Array(n)
  const pbNr = 2 ** frame.pageblockOrder
  const bg = packRgb(theme.background)
  for (let i = 0; i < n; i++) {
    const f = frame.pbFlags[i]
    if ((f & MF_NO_ZONE) !== 0) {
      res[i] = bg
      continue
    }
    const mt = (f & MF_ISOLATE) !== 0 ? MIGRATE_ISOLATE : f & MF_MT_MASK
    const used = pbNr - frame.freePages[i] - frame.pcpPages[i]
    res[i] = mixPacked(theme.empty, MIGRATETYPE_RGB[mt], 0.2 + (0.8 * used) / pbNr)
  }
  return res
}

export interface DrawInput {
  layout: MapLayout
  view: Viewport
  frame: MapFrame
  /** `pageblockColors(frame, theme)`. */
  pbColor: Uint32Array
  theme: MapTheme
  /** Page detail of visible spans (any subset; pages without detail show their pageblock). */
  details?: readonly PageDetail[]
}

/** Scratch tables reused across calls of the same width/height. */
interface Tables {
  w: number
  h: number
  colCell: Int32Array
  colPage: Int32Array
  colPx: Int32Array
  colPagePx: Int32Array
  rowCell: Int32Array
  rowPage: Int32Array
  rowPx: Int32Array
  rowPagePx: Int32Array
  /** Per row: its marker class, or -1 for a row that repeats no other (a cell or page edge). */
  rowCls: Int32Array
  /** Per column: its marker class (grid, isolate border, skip dot), -1 outside the map. */
  colCls: Int32Array
}
let tables: Tables | null = null

function axisTables(
  n: number,
  origin: number,
  ppp: number,
  world: number,
  sub: number,
  cell: Int32Array,
  page: Int32Array,
  px: Int32Array,
  pagePx: Int32Array,
): void {
  for (let i = 0; i < n; i++) {
    const w = origin + (i + 0.5) / ppp
    if (!(w >= 0 && w < world)) {
      cell[i] = -1
      continue
    }
    const g = Math.floor(w)
    const c = Math.floor(g / sub)
    cell[i] = c
    page[i] = g - c * sub
    // Pixel offsets of this pixel's centre from its cell's and its page's first edge.
    px[i] = Math.floor(i + 0.5 - (c * sub - origin) * ppp)
    pagePx[i] = Math.floor(i + 0.5 - (g - origin) * ppp)
  }
}

/** Fills `out` (`view.widthPx × view.heightPx` RGBA pixels as Uint32) with the map. */
export function drawMap(out: Uint32Array, inp: DrawInput): void {
  const { layout: l, view: v, frame, pbColor, theme } = inp
  const W = v.widthPx | 0
  const H = v.heightPx | 0
  if (!tables || tables.w !== W || tables.h !== H) {
    tables = {
      w: W,
      h: H,
      colCell: new Int32Array(W),
      colPage: new Int32Array(W),
      colPx: new Int32Array(W),
      colPagePx: new Int32Array(W),
      rowCell: new Int32Array(H),
      rowPage: new Int32Array(H),
      rowPx: new Int32Array(H),
      rowPagePx: new Int32Array(H),
      rowCls: new Int32Array(H),
      colCls: new Int32Array(W),
    }
  }
  const t = tables
  const ppp = v.pxPerPage
  axisTables(W, v.originX, ppp, l.worldW, l.subCols, t.colCell, t.colPage, t.colPx, t.colPagePx)
  axisTables(H, v.originY, ppp, l.worldH, l.subRows, t.rowCell, t.rowPage, t.rowPx, t.rowPagePx)

  const bg = packRgb(theme.background)
  const grid = packRgb(theme.grid)
  const skip = packRgb(theme.skip)
  const isolate = packRgb(theme.isolate)
  const edge = packRgb(theme.folioEdge)
  const cellW = l.subCols * ppp
  const cellH = l.subRows * ppp
  const showGrid = cellW >= 8 && cellH >= 4
  const showMarkers = cellW >= 3 && cellH >= 2
  const border = Math.min(3, Math.max(1, Math.floor(Math.min(cellW, cellH) / 10)))
  const dot = cellH < 4 ? 1 : Math.min(6, Math.max(1, Math.floor(Math.min(cellW, cellH) / 4)))
  const dotAt = cellH < 4 ? 0 : 1
  const pageMode = ppp >= PAGE_MODE_PX_PER_PAGE
  const showEdges = ppp >= EDGE_PX_PER_PAGE
  const pbo = l.pageblockOrder
  const pbNr = 2 ** pbo
  const subCols = l.subCols
  const nrPb = l.nrPageblocks
  const cmaHatch = packRgb(theme.cma)
  // What a pixel's column contributes to the cell markers; with the cell and the page, it
  // decides the pixel at page zoom (see the column copy below).
  const colCls = t.colCls
  for (let x = 0; x < W; x++) {
    const cx = t.colPx[x]
    colCls[x] =
      t.colCell[x] < 0
        ? -1
        : (cx < 1 ? 1 : 0) |
          (cx < border || cx >= cellW - border ? 2 : 0) |
          (cx >= dotAt && cx < dotAt + dot ? 4 : 0)
  }

  // Page colours: free pages tinted by their pageblock's type, used pages by owner.
  const kindColor = PAGE_KIND_RGB.map(packRgb)
  const freeTint = MIGRATETYPE_RGB.map((c) => mixPacked(theme.empty, c, 0.25))
  const pcpTint = MIGRATETYPE_RGB.map((c) => mixPacked(theme.empty, c, 0.5))
  const detailByRow = new Map<number, PageDetail[]>()
  if (pageMode && inp.details) {
    for (const d of inp.details) {
      if (d.nrPages === 0) continue
      const row = Math.floor(d.startPfn / pbNr / l.cols)
      const list = detailByRow.get(row)
      if (list) list.push(d)
      else detailByRow.set(row, [d])
    }
  }

  // Pixel rows inside one cell row repeat: a row equals an earlier one when it shows the same
  // cell row (and page row, at page zoom) and the same kind of marker row. Copying it instead
  // of recomputing makes zoomed-in frames nearly free. CMA hatching repeats every 4 rows, so
  // then the row 4 above is the candidate.
  const hatchRows = cellW >= 6
  const back = hatchRows ? 4 : 1
  const rowCls = t.rowCls
  for (let y = 0; y < H; y++) {
    const base = y * W
    const rc = t.rowCell[y]
    if (rc < 0) {
      out.fill(bg, base, base + W)
      rowCls[y] = -1
      continue
    }
    const cy = t.rowPx[y]
    const rowPage = t.rowPage[y]
    const rowFirstPb = rc * l.cols
    const rowDetails = detailByRow.get(rc)
    const topEdge = cy < 1
    const cls =
      topEdge || (showEdges && t.rowPagePx[y] < 1)
        ? -1
        : (cy < border || cy >= cellH - border ? 1 : 0) |
          (cy >= dotAt && cy < dotAt + dot ? 2 : 0) |
          (hatchRows ? (cy & 3) << 2 : 0)
    rowCls[y] = cls
    const src = y - back
    if (
      cls >= 0 &&
      src >= 0 &&
      rowCls[src] === cls &&
      t.rowCell[src] === rc &&
      (rowDetails === undefined || t.rowPage[src] === rowPage)
    ) {
      out.copyWithin(base, src * W, src * W + W)
      continue
    }
    for (let x = 0; x < W; x++) {
      const cc = t.colCell[x]
      // At page zoom a page is several pixels wide, and they all show the same thing unless a
      // marker or a block edge falls on one: copy the left neighbour when it shows the same
      // page with the same column markers and neither is a page's first column (where block
      // edges are drawn). CMA hatching, which varies by pixel, is not drawn over page detail.
      if (
        rowDetails !== undefined &&
        x > 0 &&
        cc >= 0 &&
        t.colCell[x - 1] === cc &&
        t.colPage[x - 1] === t.colPage[x] &&
        colCls[x - 1] === colCls[x] &&
        t.colPagePx[x] >= 1 &&
        t.colPagePx[x - 1] >= 1
      ) {
        out[base + x] = out[base + x - 1]
        continue
      }
      const pb = rowFirstPb + cc
      if (cc < 0 || pb >= nrPb) {
        out[base + x] = bg
        continue
      }
      const f = frame.pbFlags[pb]
      const cx = t.colPx[x]
      if ((f & MF_NO_ZONE) !== 0) {
        out[base + x] = bg
        continue
      }
      if (showGrid && (cx < 1 || topEdge)) {
        out[base + x] = grid
        continue
      }
      if (
        (f & MF_ISOLATE) !== 0 &&
        showMarkers &&
        (cx < border || cy < border || cx >= cellW - border || cy >= cellH - border)
      ) {
        out[base + x] = isolate
        continue
      }
      if (
        (f & MF_SKIP) !== 0 &&
        showMarkers &&
        cx >= dotAt &&
        cx < dotAt + dot &&
        cy >= dotAt &&
        cy < dotAt + dot
      ) {
        out[base + x] = skip
        continue
      }
      let c = pbColor[pb]
      if (rowDetails) {
        const pfn = pb * pbNr + rowPage * subCols + t.colPage[x]
        for (let k = 0; k < rowDetails.length; k++) {
          const d = rowDetails[k]
          const i = pfn - d.startPfn
          if (i < 0 || i >= d.nrPages) continue
          const kind = d.kind[i]
          const mt = (f & MF_ISOLATE) !== 0 ? MIGRATE_ISOLATE : f & MF_MT_MASK
          c = kind === PK_FREE ? freeTint[mt] : kind === PK_PCP ? pcpTint[mt] : kindColor[kind]
          if (showEdges) {
            const head = d.headPfn[i]
            // Spans start on a pageblock, so the left and upper neighbours inside the same
            // cell are at i - 1 and i - subCols.
            const leftEdge = t.colPagePx[x] < 1 && (t.colPage[x] === 0 || d.headPfn[i - 1] !== head)
            const upEdge = t.rowPagePx[y] < 1 && (rowPage === 0 || d.headPfn[i - subCols] !== head)
            if (leftEdge || upEdge) c = edge
          }
          break
        }
      } else if ((f & MF_MT_MASK) === MIGRATE_CMA && cellW >= 6 && ((cx + cy) & 3) === 0) {
        c = cmaHatch
      }
      out[base + x] = c
    }
  }
}
