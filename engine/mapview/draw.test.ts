import { describe, expect, it } from 'vitest'
import {
  __GFP_COMP,
  allocPages,
  folioSetFlags,
  GFP_HIGHUSER_MOVABLE,
  MIGRATE_CMA,
  MIGRATE_MOVABLE,
  MIGRATE_UNMOVABLE,
  PG_anon,
  PG_lru,
} from '../mm'
import { testMachine } from '../mm/testing'
import { pageDetail, PK_ANON } from './detail'
import { drawMap, pageblockColors } from './draw'
import { MF_ISOLATE, MF_SKIP, pageblockFrame, type MapFrame } from './frame'
import { mapLayout, pfnToPixelRect, pixelToPfn, type Viewport } from './layout'
import { LIGHT_THEME, MIGRATETYPE_RGB, mixPacked, packRgb, PAGE_KIND_RGB } from './palette'

/** 32 pageblocks of order 9, all free MOVABLE unless a test changes them. */
function syntheticFrame(): MapFrame {
  const n = 32
  return {
    nrPageblocks: n,
    pageblockOrder: 9,
    maxOrder: 10,
    endPfn: n * 512,
    zones: [{ name: 'Normal', nid: 0, startPfn: 0, endPfn: n * 512 }],
    pbFlags: new Uint8Array(n).fill(MIGRATE_MOVABLE),
    freePages: new Uint16Array(n).fill(512),
    pcpPages: new Uint16Array(n),
    movablePages: new Uint16Array(n),
    unmovablePages: new Uint16Array(n),
    reservedPages: new Uint16Array(n),
    maxFreeOrder: new Int8Array(n).fill(10),
  }
}

function render(frame: MapFrame, view: Viewport, details = []) {
  const layout = mapLayout(frame.nrPageblocks, frame.pageblockOrder)
  const out = new Uint32Array(view.widthPx * view.heightPx)
  const pbColor = pageblockColors(frame, LIGHT_THEME)
  drawMap(out, { layout, view, frame, pbColor, theme: LIGHT_THEME, details })
  return { out, layout, at: (x: number, y: number) => out[y * view.widthPx + x] }
}

describe('drawMap, pageblock cells', () => {
  // 32 blocks → 8 cells per row, 4 rows; a quarter pixel per page makes each cell 8 × 4 px.
  const view: Viewport = { widthPx: 64, heightPx: 16, originX: 0, originY: 0, pxPerPage: 0.25 }

  it('colours by migratetype and fades with free space', () => {
    const f = syntheticFrame()
    f.pbFlags[0] = MIGRATE_UNMOVABLE
    f.freePages[0] = 0
    f.unmovablePages[0] = 512
    f.pbFlags[2] = MIGRATE_CMA
    f.freePages[2] = 256
    f.movablePages[2] = 256
    const { at } = render(f, view)
    expect(at(4, 2)).toBe(packRgb(MIGRATETYPE_RGB[MIGRATE_UNMOVABLE])) // full: the pure colour
    expect(at(12, 2)).toBe(mixPacked(LIGHT_THEME.empty, MIGRATETYPE_RGB[MIGRATE_MOVABLE], 0.2))
    expect(at(21, 2)).toBe(mixPacked(LIGHT_THEME.empty, MIGRATETYPE_RGB[MIGRATE_CMA], 0.6))
    expect(at(0, 2)).toBe(packRgb(LIGHT_THEME.grid)) // cell edge
  })

  it('marks isolated blocks with a border and skip-flagged blocks with a dot', () => {
    const f = syntheticFrame()
    f.pbFlags[1] |= MF_ISOLATE
    f.pbFlags[3] |= MF_SKIP
    const { at } = render(f, view)
    expect(at(15, 2)).toBe(packRgb(LIGHT_THEME.isolate)) // right edge of cell 1
    expect(at(8 + 4, 3)).toBe(packRgb(LIGHT_THEME.isolate)) // bottom edge
    expect(at(24 + 1, 1)).toBe(packRgb(LIGHT_THEME.skip))
    expect(at(24 + 4, 2)).not.toBe(packRgb(LIGHT_THEME.skip))
  })

  it('pixels outside the map are background, and hit-testing agrees with what is drawn', () => {
    const f = syntheticFrame()
    f.pbFlags[9] = MIGRATE_UNMOVABLE
    f.freePages[9] = 0
    f.unmovablePages[9] = 512
    const wide: Viewport = { ...view, widthPx: 80, heightPx: 20 }
    const { at, layout } = render(f, wide)
    expect(at(70, 2)).toBe(packRgb(LIGHT_THEME.background))
    expect(at(10, 18)).toBe(packRgb(LIGHT_THEME.background))
    // pageblock 9 is the second cell of row 1: pixels 8..15, 4..7
    expect(pixelToPfn(layout, wide, 12, 6) >> 9).toBe(9)
    expect(at(12, 6)).toBe(packRgb(MIGRATETYPE_RGB[MIGRATE_UNMOVABLE]))
  })
})

describe('drawMap, page zoom', () => {
  it('draws page owners and folio boundaries from page detail', () => {
    const m = testMachine()
    // two folios: the second does not start on a pageblock's edge (where the grid is drawn)
    allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 3)
    const head = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 3)
    expect(head % 32).not.toBe(0)
    folioSetFlags(m, head, PG_lru | PG_anon, true)
    const frame = pageblockFrame(m)
    const layout = mapLayout(frame.nrPageblocks, frame.pageblockOrder)
    const pb = head >> 9
    const details = [pageDetail(m, pb * 512, 512)]
    const probe: Viewport = { widthPx: 400, heightPx: 200, originX: 0, originY: 0, pxPerPage: 8 }
    const r0 = pfnToPixelRect(layout, probe, head)
    // put the folio's head near the top-left corner of the canvas
    const view = { ...probe, originX: (r0.x - 40) / 8, originY: (r0.y - 40) / 8 }
    const out = new Uint32Array(400 * 200)
    const pbColor = pageblockColors(frame, LIGHT_THEME)
    drawMap(out, { layout, view, frame, pbColor, theme: LIGHT_THEME, details })
    const at = (x: number, y: number) => out[Math.floor(y) * 400 + Math.floor(x)]
    const anon = packRgb(PAGE_KIND_RGB[PK_ANON])
    const edge = packRgb(LIGHT_THEME.folioEdge)
    for (const p of [head, head + 3, head + 7]) {
      const r = pfnToPixelRect(layout, view, p)
      expect(at(r.x + 4, r.y + 4), `inside page ${p}`).toBe(anon)
    }
    const h = pfnToPixelRect(layout, view, head)
    expect(at(h.x, h.y + 4)).toBe(edge) // the folio starts here
    const t = pfnToPixelRect(layout, view, head + 3)
    expect(at(t.x, t.y + 4)).toBe(anon) // no boundary between pages of one folio
    const after = pfnToPixelRect(layout, view, head + 8)
    expect(at(after.x, after.y + 4)).toBe(edge) // the next block starts here
  })

  it('keeps the isolate border and the PB_migrate_skip dot on their own pixels over page detail', () => {
    const m = testMachine()
    const frame = pageblockFrame(m)
    frame.pbFlags[0] |= MF_SKIP // compaction will pass over pageblock 0
    frame.pbFlags[1] |= MF_ISOLATE // pageblock 1 is isolated (start_isolate_page_range)
    const layout = mapLayout(frame.nrPageblocks, frame.pageblockOrder)
    expect(layout.cols).toBeGreaterThan(1)
    const details = [pageDetail(m, 0, 1024)]
    // 8 px per page: a cell is 256 x 128 px; the border is 3 px, the dot 6 px from pixel 1
    const view: Viewport = { widthPx: 600, heightPx: 200, originX: 0, originY: 0, pxPerPage: 8 }
    const out = new Uint32Array(600 * 200)
    drawMap(out, {
      layout,
      view,
      frame,
      pbColor: pageblockColors(frame, LIGHT_THEME),
      theme: LIGHT_THEME,
      details,
    })
    const at = (x: number, y: number) => out[y * 600 + x]
    const skip = packRgb(LIGHT_THEME.skip)
    const isolate = packRgb(LIGHT_THEME.isolate)
    for (let x = 1; x <= 6; x++) expect(at(x, 3), `dot column ${x}`).toBe(skip)
    expect(at(7, 3)).not.toBe(skip) // the page goes on past the dot
    expect(at(7, 3)).toBe(at(5, 10)) // ... in the colour of the same page below the dot
    expect(at(3, 7)).not.toBe(skip)
    for (const x of [257, 258, 509, 510, 511]) expect(at(x, 40), `border column ${x}`).toBe(isolate)
    for (const x of [259, 300, 508]) expect(at(x, 40), `inside, column ${x}`).not.toBe(isolate)
  })
})
