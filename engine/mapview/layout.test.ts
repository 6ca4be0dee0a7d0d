import { describe, expect, it } from 'vitest'
import {
  fitViewport,
  mapLayout,
  panBy,
  pfnToPixelRect,
  pfnToWorld,
  pixelToPfn,
  visibleSpans,
  worldToPfn,
  zoomAt,
} from './layout'

describe('map layout', () => {
  it('the worked example of the header comment', () => {
    const l = { ...mapLayout(8, 9), cols: 4, rows: 2, worldW: 128, worldH: 32 }
    expect(pfnToWorld(l, 1000)).toEqual({ x: 40, y: 15 })
    expect(worldToPfn(l, 40.5, 15.5)).toBe(1000)
  })

  it('pageblock order 9 cells are 32 x 16 pages; a 64 GiB machine is 32768 cells in power-of-two rows', () => {
    const l = mapLayout(32768, 9)
    expect([l.subCols, l.subRows]).toEqual([32, 16])
    expect(Math.log2(l.cols) % 1).toBe(0)
    expect(l.cols * l.rows).toBeGreaterThanOrEqual(32768)
  })

  it('world position and pfn are inverse for every pfn of a small map', () => {
    const l = mapLayout(37, 9)
    for (let pfn = 0; pfn < 37 * 512; pfn += 7) {
      const w = pfnToWorld(l, pfn)
      expect(worldToPfn(l, w.x + 0.5, w.y + 0.5)).toBe(pfn)
    }
    expect(worldToPfn(l, -1, 0)).toBe(-1)
    expect(worldToPfn(l, l.worldW, 0)).toBe(-1)
  })

  it('hit-testing: the centre pixel of a page rectangle maps back to the page, at any zoom and pan', () => {
    const l = mapLayout(32768, 9)
    let v = fitViewport(l, 1200, 700)
    v = zoomAt(l, v, 600, 350, 40)
    v = panBy(v, -123, 77)
    for (const pfn of [0, 511, 512, 123457, 32768 * 512 - 1, 9_000_001]) {
      const target = pfnToWorld(l, pfn)
      // centre the page, then hit-test its rectangle's centre
      const cv = {
        ...v,
        originX: target.x - 600 / v.pxPerPage,
        originY: target.y - 350 / v.pxPerPage,
      }
      const r = pfnToPixelRect(l, cv, pfn)
      expect(pixelToPfn(l, cv, r.x + r.w / 2, r.y + r.h / 2)).toBe(pfn)
    }
  })

  it('zoomAt keeps the world point under the cursor', () => {
    const l = mapLayout(2048, 9)
    const v = fitViewport(l, 800, 400)
    const z = zoomAt(l, v, 300, 200, 8)
    expect(z.pxPerPage).toBeCloseTo(v.pxPerPage * 8)
    expect(z.originX + 300 / z.pxPerPage).toBeCloseTo(v.originX + 300 / v.pxPerPage, 9)
    expect(z.originY + 200 / z.pxPerPage).toBeCloseTo(v.originY + 200 / v.pxPerPage, 9)
  })

  it('visibleSpans covers only cells on screen, one span per cell row', () => {
    const l = mapLayout(32768, 9)
    const v = { widthPx: 640, heightPx: 320, pxPerPage: 10, originX: 64 * 32, originY: 16 * 20 }
    const spans = visibleSpans(l, v)
    // 320 px / 10 px = 32 pages tall = 2 cell rows; 640 px / 10 = 64 pages wide = 2 cells
    expect(spans).toEqual([
      { startPfn: (20 * l.cols + 64) * 512, nrPages: 2 * 512 },
      { startPfn: (21 * l.cols + 64) * 512, nrPages: 2 * 512 },
    ])
  })
})
