/**
 * Benchmark `memmap-64g` (issue 7, item 3): memory-map frame times for a 64 GiB machine.
 *
 * The machine (one 64 GiB ZONE_NORMAL, 32768 pageblocks) is fragmented deterministically
 * (xorshift64 seeded with 1): compound allocations of order 0 (70%), 2 (10%), 4 (10%) and 9
 * (10%), half movable LRU anon folios and half GFP_KERNEL, until 80% of memory is in use; then
 * every third live block is freed. A few pageblocks get PB_migrate_skip and isolation so the
 * markers are drawn.
 * - `encode_ms`: one `pageblockFrame` (engine side, per streamed frame), median of 5.
 * - `colors_ms`: `pageblockColors` (renderer side, once per frame shown).
 * - `draw_ms_p50/p95`: `drawMap` into a 1280×800 buffer while panning 240 steps across the
 *   whole map zoomed out, then 240 steps at page zoom (8 px per page) with page detail of the
 *   visible spans (`pageDetail` time reported apart as `detail_ms_p50`).
 * - `fps_equiv`: 1000 / draw_ms_p95.
 */
import { allocPagesFlags } from '../../engine/mm/alloc'
import { ALLOC_CMA, ALLOC_NO_WATERMARKS } from '../../engine/mm/allocFlags'
import { createMachine } from '../../engine/mm/boot'
import { parseMachineConfig } from '../../engine/mm/config'
import { folioSetFlags } from '../../engine/mm/folio'
import { freePages } from '../../engine/mm/free'
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL, __GFP_COMP } from '../../engine/mm/gfp'
import { NO_PAGE, PG_anon, PG_lru } from '../../engine/mm/memmap'
import { MIGRATE_MOVABLE } from '../../engine/mm/migratetype'
import { setPageblockIsolate, setPageblockSkip } from '../../engine/mm/pageblock'
import { pageDetail, type PageDetail } from '../../engine/mapview/detail'
import { drawMap, pageblockColors } from '../../engine/mapview/draw'
import { pageblockFrame } from '../../engine/mapview/frame'
import { fitViewport, mapLayout, visibleSpans, type Viewport } from '../../engine/mapview/layout'
import { LIGHT_THEME } from '../../engine/mapview/palette'
import { Xorshift64 } from './xorshift64'

export interface MemmapFramesResult {
  bench: 'memmap-64g'
  nr_pageblocks: number
  canvas: string
  /** Allocated blocks live when the frame was encoded. */
  live_blocks: number
  encode_ms: number
  frame_bytes: number
  colors_ms: number
  draw_ms_p50: number
  draw_ms_p95: number
  draw_ms_max: number
  detail_ms_p50: number
  fps_equiv: number
}

function drawOrder(u: number): number {
  if (u < 0.7) return 0
  if (u < 0.8) return 2
  if (u < 0.9) return 4
  return 9
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

const round = (x: number): number => Math.round(x * 1000) / 1000

export function runMemmapFrames(widthPx = 1280, heightPx = 800): MemmapFramesResult {
  const m = createMachine(
    parseMachineConfig({ zones: [{ type: 'Normal', sizeMiB: 65536 }], pcp: false, nrCpus: 1 }),
  )
  const rng = new Xorshift64(1)
  const target = Math.floor(m.endPfn * 0.8)
  const livePfn: number[] = []
  const liveOrder: number[] = []
  let used = 0
  const flags = ALLOC_NO_WATERMARKS | ALLOC_CMA
  while (used < target) {
    const order = drawOrder(rng.nextDouble())
    const movable = rng.nextDouble() < 0.5
    const pfn = allocPagesFlags(
      m,
      (movable ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL) | __GFP_COMP,
      order,
      flags,
    )
    if (pfn === NO_PAGE) break
    if (movable) folioSetFlags(m, pfn, PG_lru | PG_anon, true)
    livePfn.push(pfn)
    liveOrder.push(order)
    used += 1 << order
  }
  let live = livePfn.length
  for (let i = 0; i < livePfn.length; i += 3) {
    folioSetFlags(m, livePfn[i], PG_lru | PG_anon, false)
    freePages(m, livePfn[i], liveOrder[i])
    live--
  }
  for (let pb = 0; pb < m.pbFlags.length; pb += 97)
    setPageblockSkip(m, pb << m.pageblockOrder, true)
  for (let pb = 50; pb < m.pbFlags.length; pb += 1031)
    setPageblockIsolate(m, pb << m.pageblockOrder, true, MIGRATE_MOVABLE)

  const encodes: number[] = []
  let frame = pageblockFrame(m)
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    frame = pageblockFrame(m)
    encodes.push(performance.now() - t0)
  }
  encodes.sort((a, b) => a - b)
  const frameBytes =
    frame.pbFlags.byteLength +
    frame.freePages.byteLength +
    frame.pcpPages.byteLength +
    frame.movablePages.byteLength +
    frame.unmovablePages.byteLength +
    frame.reservedPages.byteLength +
    frame.maxFreeOrder.byteLength

  const c0 = performance.now()
  const pbColor = pageblockColors(frame, LIGHT_THEME)
  const colorsMs = performance.now() - c0

  const layout = mapLayout(frame.nrPageblocks, frame.pageblockOrder)
  const out = new Uint32Array(widthPx * heightPx)
  const draws: number[] = []
  const details: number[] = []
  const fit = fitViewport(layout, widthPx, heightPx)
  const STEPS = 240
  // Zoomed out: pan the whole map across the canvas and back.
  for (let i = 0; i < STEPS; i++) {
    const s = Math.sin((i / STEPS) * Math.PI * 2)
    const view: Viewport = { ...fit, originX: fit.originX + s * layout.worldW * 0.5 }
    const t0 = performance.now()
    drawMap(out, { layout, view, frame, pbColor, theme: LIGHT_THEME })
    draws.push(performance.now() - t0)
  }
  // Page zoom: 8 px per page, panning diagonally through the map.
  let detailCache: PageDetail[] = []
  let detailKey = ''
  for (let i = 0; i < STEPS; i++) {
    const view: Viewport = {
      widthPx,
      heightPx,
      pxPerPage: 8,
      originX: (i / STEPS) * (layout.worldW - widthPx / 8),
      originY: (i / STEPS) * (layout.worldH - heightPx / 8),
    }
    const spans = visibleSpans(layout, view)
    const key = spans.map((s) => s.startPfn).join(',')
    if (key !== detailKey) {
      const t0 = performance.now()
      detailCache = spans.map((s) => pageDetail(m, s.startPfn, s.nrPages))
      details.push(performance.now() - t0)
      detailKey = key
    }
    const t0 = performance.now()
    drawMap(out, { layout, view, frame, pbColor, theme: LIGHT_THEME, details: detailCache })
    draws.push(performance.now() - t0)
  }
  draws.sort((a, b) => a - b)
  details.sort((a, b) => a - b)
  const p95 = quantile(draws, 0.95)
  return {
    bench: 'memmap-64g',
    nr_pageblocks: frame.nrPageblocks,
    canvas: `${widthPx}x${heightPx}`,
    live_blocks: live,
    encode_ms: round(quantile(encodes, 0.5)),
    frame_bytes: frameBytes,
    colors_ms: round(colorsMs),
    draw_ms_p50: round(quantile(draws, 0.5)),
    draw_ms_p95: round(p95),
    draw_ms_max: round(draws[draws.length - 1]),
    detail_ms_p50: round(details.length ? quantile(details, 0.5) : 0),
    fps_equiv: Math.round(1000 / p95),
  }
}
