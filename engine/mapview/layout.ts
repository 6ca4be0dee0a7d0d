/**
 * Geometry of the memory map: where each page and pageblock sits, and which pfn a pixel shows.
 *
 * World coordinates are in pages. A pageblock is a cell of `subCols × subRows` pages laid out
 * row-major (pageblock order 9: 32 × 16), so every naturally aligned buddy block inside it is
 * a rectangle (a run within a row up to order 5, whole rows above). Cells are placed row-major,
 * `cols` (a power of two, so rows start at large-block boundaries) per row.
 *
 * Worked example, pageblock order 9 (subCols 32), cols 4: pfn 1000 is in pageblock 1
 * (1000 >> 9), page 488 of it (1000 & 511) = row 15, column 8 of the cell; the cell is at
 * column 1, row 0, so the page's world position is x = 1·32 + 8 = 40, y = 0·16 + 15 = 15.
 */

export interface MapLayout {
  nrPageblocks: number
  pageblockOrder: number
  /** Pageblock cells per row (a power of two) and rows of cells. */
  cols: number
  rows: number
  /** Pages per row and rows of pages inside one pageblock cell. */
  subCols: number
  subRows: number
  /** World size in pages. */
  worldW: number
  worldH: number
}

/** Target world width / height: a landscape map fits a landscape panel. */
const TARGET_ASPECT = 2

export function mapLayout(nrPageblocks: number, pageblockOrder: number): MapLayout {
  const subCols = 1 << Math.ceil(pageblockOrder / 2)
  const subRows = 1 << Math.floor(pageblockOrder / 2)
  // cols·subCols / (rows·subRows) ≈ TARGET_ASPECT with rows = nrPageblocks / cols.
  const ideal = Math.sqrt((TARGET_ASPECT * nrPageblocks * subRows) / subCols)
  const cols = Math.max(1, Math.min(2 ** Math.round(Math.log2(Math.max(1, ideal))), 1 << 30))
  const rows = Math.max(1, Math.ceil(nrPageblocks / cols))
  return {
    nrPageblocks,
    pageblockOrder,
    cols,
    rows,
    subCols,
    subRows,
    worldW: cols * subCols,
    worldH: rows * subRows,
  }
}

/** World position (top-left corner, in pages) of the page `pfn`. */
export function pfnToWorld(l: MapLayout, pfn: number): { x: number; y: number } {
  const pb = Math.floor(pfn / 2 ** l.pageblockOrder)
  const inPb = pfn - pb * 2 ** l.pageblockOrder
  return {
    x: (pb % l.cols) * l.subCols + (inPb % l.subCols),
    y: Math.floor(pb / l.cols) * l.subRows + Math.floor(inPb / l.subCols),
  }
}

/** The pfn at world position (x, y), or -1 outside the map. */
export function worldToPfn(l: MapLayout, x: number, y: number): number {
  if (!(x >= 0 && y >= 0 && x < l.worldW && y < l.worldH)) return -1
  const px = Math.floor(x)
  const py = Math.floor(y)
  const cellX = Math.floor(px / l.subCols)
  const cellY = Math.floor(py / l.subRows)
  const pb = cellY * l.cols + cellX
  if (pb >= l.nrPageblocks) return -1
  return (
    pb * 2 ** l.pageblockOrder + (py - cellY * l.subRows) * l.subCols + (px - cellX * l.subCols)
  )
}

/** What the canvas shows: world point at its top-left pixel and the zoom. */
export interface Viewport {
  widthPx: number
  heightPx: number
  /** World position (pages) of the canvas's top-left corner. */
  originX: number
  originY: number
  /** Pixels per page along each axis. */
  pxPerPage: number
}

/** Zoom limits: the whole map fits at least a quarter of the panel; at most 64 px per page. */
export const MAX_PX_PER_PAGE = 64

/** The viewport that shows the whole map centred. */
export function fitViewport(l: MapLayout, widthPx: number, heightPx: number): Viewport {
  const pxPerPage = Math.min(widthPx / l.worldW, heightPx / l.worldH)
  return {
    widthPx,
    heightPx,
    pxPerPage,
    originX: (l.worldW - widthPx / pxPerPage) / 2,
    originY: (l.worldH - heightPx / pxPerPage) / 2,
  }
}

/** World x of the centre of pixel column `px` (pixel centres decide what a pixel shows). */
export function pixelToWorldX(v: Viewport, px: number): number {
  return v.originX + (px + 0.5) / v.pxPerPage
}

export function pixelToWorldY(v: Viewport, py: number): number {
  return v.originY + (py + 0.5) / v.pxPerPage
}

/** The pfn the pixel (px, py) shows, or -1 for background. */
export function pixelToPfn(l: MapLayout, v: Viewport, px: number, py: number): number {
  return worldToPfn(l, pixelToWorldX(v, Math.floor(px)), pixelToWorldY(v, Math.floor(py)))
}

/** Canvas rectangle of the page `pfn` (may lie outside the canvas). */
export function pfnToPixelRect(
  l: MapLayout,
  v: Viewport,
  pfn: number,
  nrPages = 1,
): { x: number; y: number; w: number; h: number } {
  const w = pfnToWorld(l, pfn)
  const across = Math.min(nrPages, l.subCols)
  const down = Math.max(1, Math.ceil(nrPages / l.subCols))
  return {
    x: (w.x - v.originX) * v.pxPerPage,
    y: (w.y - v.originY) * v.pxPerPage,
    w: across * v.pxPerPage,
    h: Math.min(down, l.subRows) * v.pxPerPage,
  }
}

/** Zoom by `factor` keeping the world point under pixel (px, py) fixed. */
export function zoomAt(
  l: MapLayout,
  v: Viewport,
  px: number,
  py: number,
  factor: number,
): Viewport {
  const minPx = fitViewport(l, v.widthPx, v.heightPx).pxPerPage / 4
  const pxPerPage = Math.min(MAX_PX_PER_PAGE, Math.max(minPx, v.pxPerPage * factor))
  const wx = v.originX + px / v.pxPerPage
  const wy = v.originY + py / v.pxPerPage
  return { ...v, pxPerPage, originX: wx - px / pxPerPage, originY: wy - py / pxPerPage }
}

/** Pan by a drag of (dxPx, dyPx) pixels. */
export function panBy(v: Viewport, dxPx: number, dyPx: number): Viewport {
  return { ...v, originX: v.originX - dxPx / v.pxPerPage, originY: v.originY - dyPx / v.pxPerPage }
}

/**
 * The pfn spans the viewport shows, one per visible row of pageblock cells (from its first to
 * its last visible cell), for requesting page detail of only what is on screen.
 */
export function visibleSpans(l: MapLayout, v: Viewport): { startPfn: number; nrPages: number }[] {
  const top = Math.max(0, Math.floor(v.originY / l.subRows))
  const bottom = Math.min(l.rows, Math.ceil((v.originY + v.heightPx / v.pxPerPage) / l.subRows))
  const left = Math.max(0, Math.floor(v.originX / l.subCols))
  const right = Math.min(l.cols, Math.ceil((v.originX + v.widthPx / v.pxPerPage) / l.subCols))
  const pbNr = 2 ** l.pageblockOrder
  const out: { startPfn: number; nrPages: number }[] = []
  if (right <= left) return out
  for (let row = top; row < bottom; row++) {
    const first = row * l.cols + left
    const last = Math.min(l.nrPageblocks, row * l.cols + right)
    if (last > first) out.push({ startPfn: first * pbNr, nrPages: (last - first) * pbNr })
  }
  return out
}
