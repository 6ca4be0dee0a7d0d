/**
 * The memory map: physical memory as one cell per pageblock, coloured by migratetype and
 * shaded by occupancy, with isolate / skip / CMA markers; wheel zooms down to pages (folio
 * boundaries and orders, from `mappage` detail), drag pans, hover explains a pfn, and the
 * scrubber replays the run's snapshots.
 *
 * Drawing: `drawMap` (engine/mapview/draw.ts) fills an ImageData the size of the canvas in one
 * pass over its pixels, independent of machine size; it runs in a requestAnimationFrame only
 * when something changed. Page detail is fetched for the visible spans once the zoom reaches
 * page level, only for the last frame (the host keeps the machine as the run left it).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { PageDetail } from '../../../engine/mapview/detail'
import { drawMap, PAGE_MODE_PX_PER_PAGE, pageblockColors } from '../../../engine/mapview/draw'
import {
  fitViewport,
  mapLayout,
  panBy,
  pixelToPfn,
  visibleSpans,
  zoomAt,
  type Viewport,
} from '../../../engine/mapview/layout'
import { DARK_THEME, LIGHT_THEME } from '../../../engine/mapview/palette'
import type { MapFrameMsg } from '../../../protocol/mapview'
import { describePfn } from './describe'
import { recordDraw } from './drawStats'
import type { FetchPages } from './frameStore'
import { MapLegend } from './MapLegend'
import { drawOrderLabels } from './orderLabels'
import { Scrubber } from './Scrubber'

export interface MemoryMapProps {
  /** Frames of the current run, in the order they arrived. */
  frames: readonly MapFrameMsg[]
  /** Page detail of the run's machine; without it the map stops at pageblocks. */
  fetchPages?: FetchPages
  dark?: boolean
  /**
   * A moment to show (from the trace log): the scrubber moves to the last frame at or before
   * it whenever `focusSeq` changes.
   */
  focusTimeNs?: number | null
  focusSeq?: number
}

/** Canvas height bounds; between them the height follows the map's aspect. */
const MIN_HEIGHT_PX = 300
const MAX_HEIGHT_PX = 520
/** Most pages fetched for one view (visible spans beyond this are left at pageblock level). */
const MAX_DETAIL_PAGES = 1 << 20

export function MemoryMap({
  frames,
  fetchPages,
  dark = false,
  focusTimeNs = null,
  focusSeq = 0,
}: MemoryMapProps) {
  const wrapRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const [widthPx, setWidthPx] = useState(800)
  const [index, setIndex] = useState(-1)
  const [follow, setFollow] = useState(true)
  const [view, setView] = useState<Viewport | null>(null)
  const [hover, setHover] = useState<{ x: number; y: number; pfn: number } | null>(null)
  const [details, setDetails] = useState<PageDetail[]>([])
  const drag = useRef<{ x: number; y: number } | null>(null)
  const imageRef = useRef<ImageData | null>(null)

  // jump to a focused moment once per focus (later scrubbing is the user's)
  const framesRef = useRef(frames)
  framesRef.current = frames
  useEffect(() => {
    if (focusTimeNs === null) return
    const fs = framesRef.current
    if (fs.length === 0) return
    let i = 0
    while (i + 1 < fs.length && fs[i + 1]!.timeNs <= focusTimeNs) i++
    setFollow(false)
    setIndex(i)
  }, [focusTimeNs, focusSeq])

  const sel = follow || index < 0 || index >= frames.length ? frames.length - 1 : index
  const msg = sel >= 0 ? frames[sel] : null
  const frame = msg?.frame ?? null
  const isLast = sel === frames.length - 1
  const theme = dark ? DARK_THEME : LIGHT_THEME

  const nrPb = frame?.nrPageblocks ?? 0
  const pbo = frame?.pageblockOrder ?? 0
  // frames of one run share the geometry; a new run may bring another machine
  const layout = useMemo(() => (nrPb > 0 ? mapLayout(nrPb, pbo) : null), [nrPb, pbo])
  const heightPx = layout
    ? Math.round(
        Math.min(MAX_HEIGHT_PX, Math.max(MIN_HEIGHT_PX, (widthPx * layout.worldH) / layout.worldW)),
      )
    : MIN_HEIGHT_PX
  const pbColor = useMemo(() => (frame ? pageblockColors(frame, theme) : null), [frame, theme])

  // canvas width follows the panel
  useEffect(() => {
    const el = wrapRef.current
    if (!el) return
    const ro = new ResizeObserver(() => setWidthPx(Math.max(200, Math.floor(el.clientWidth))))
    ro.observe(el)
    setWidthPx(Math.max(200, Math.floor(el.clientWidth)))
    return () => ro.disconnect()
  }, [])

  // fit the whole map when the geometry or the canvas size changes
  useEffect(() => {
    if (layout) setView(fitViewport(layout, widthPx, heightPx))
  }, [layout, widthPx, heightPx])

  // page detail for the visible spans at page zoom, last frame only; kept while panning until
  // the spans on screen change
  const runId = msg?.id ?? -1
  const lastSeq = frames.length > 0 ? frames[frames.length - 1].seq : -1
  const pageZoom = !!view && view.pxPerPage >= PAGE_MODE_PX_PER_PAGE
  const spans = useMemo(() => {
    if (!fetchPages || !layout || !view || !isLast || !pageZoom) return []
    let budget = MAX_DETAIL_PAGES
    return visibleSpans(layout, view).filter((s) => (budget -= s.nrPages) >= 0)
  }, [fetchPages, layout, view, isLast, pageZoom])
  const spansKey = spans.map((s) => `${s.startPfn}+${s.nrPages}`).join(',')
  useEffect(() => {
    if (!fetchPages || spans.length === 0) {
      setDetails([])
      return
    }
    let live = true
    const t = setTimeout(() => {
      void Promise.all(spans.map((s) => fetchPages(s.startPfn, s.nrPages))).then((res) => {
        if (live) setDetails(res.flatMap((r) => (r ? [r.detail] : [])))
      })
    }, 60)
    return () => {
      live = false
      clearTimeout(t)
    }
    // spansKey stands for spans; runId/lastSeq: a new final state means new detail
  }, [fetchPages, spansKey, runId, lastSeq])

  // draw on the next animation frame whenever an input changed
  useEffect(() => {
    const canvas = canvasRef.current
    if (!canvas || !view) return
    const id = requestAnimationFrame(() => {
      const t0 = performance.now()
      const ctx = canvas.getContext('2d')
      if (!ctx) return
      const W = view.widthPx
      const H = view.heightPx
      if (canvas.width !== W) canvas.width = W
      if (canvas.height !== H) canvas.height = H
      if (!frame || !layout || !pbColor) {
        ctx.clearRect(0, 0, W, H)
        return
      }
      // one ImageData per canvas size: panning allocates nothing
      let img = imageRef.current
      if (!img || img.width !== W || img.height !== H) {
        img = ctx.createImageData(W, H)
        imageRef.current = img
      }
      drawMap(new Uint32Array(img.data.buffer), { layout, view, frame, pbColor, theme, details })
      ctx.putImageData(img, 0, 0)
      drawOrderLabels(ctx, layout, view, details, theme)
      const t1 = performance.now()
      recordDraw(t1 - t0, t1)
    })
    return () => cancelAnimationFrame(id)
  }, [view, frame, layout, pbColor, theme, details])

  // wheel zoom (non-passive, so the page does not scroll)
  useEffect(() => {
    const canvas = canvasRef.current
    if (!canvas || !layout) return
    const onWheel = (e: WheelEvent) => {
      e.preventDefault()
      const r = canvas.getBoundingClientRect()
      const factor = Math.exp(-e.deltaY * 0.0015)
      setView((v) => (v ? zoomAt(layout, v, e.clientX - r.left, e.clientY - r.top, factor) : v))
    }
    canvas.addEventListener('wheel', onWheel, { passive: false })
    return () => canvas.removeEventListener('wheel', onWheel)
  }, [layout])

  const onPointerDown = useCallback((e: React.PointerEvent<HTMLCanvasElement>) => {
    drag.current = { x: e.clientX, y: e.clientY }
    e.currentTarget.setPointerCapture(e.pointerId)
  }, [])
  const onPointerUp = useCallback((e: React.PointerEvent<HTMLCanvasElement>) => {
    drag.current = null
    e.currentTarget.releasePointerCapture(e.pointerId)
  }, [])
  const onPointerMove = useCallback(
    (e: React.PointerEvent<HTMLCanvasElement>) => {
      if (!layout || !view) return
      const r = e.currentTarget.getBoundingClientRect()
      const x = e.clientX - r.left
      const y = e.clientY - r.top
      if (drag.current) {
        const dx = e.clientX - drag.current.x
        const dy = e.clientY - drag.current.y
        drag.current = { x: e.clientX, y: e.clientY }
        setView((v) => (v ? panBy(v, dx, dy) : v))
        setHover(null)
        return
      }
      const pfn = pixelToPfn(layout, view, x, y)
      setHover(pfn >= 0 ? { x, y, pfn } : null)
    },
    [layout, view],
  )

  const desc = frame && hover ? describePfn(frame, hover.pfn, isLast ? details : []) : null

  return (
    <div
      className="memmap"
      data-testid="memmap"
      style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
    >
      <MapLegend frame={frame} theme={theme} />
      <div ref={wrapRef} style={{ position: 'relative', width: '100%', height: heightPx }}>
        <canvas
          ref={canvasRef}
          data-testid="memmap-canvas"
          data-origin-x={view?.originX}
          data-origin-y={view?.originY}
          data-px-per-page={view?.pxPerPage}
          data-cols={layout?.cols}
          data-pageblock-order={layout?.pageblockOrder}
          data-nr-pageblocks={layout?.nrPageblocks}
          style={{ display: 'block', cursor: drag.current ? 'grabbing' : 'crosshair' }}
          onPointerDown={onPointerDown}
          onPointerUp={onPointerUp}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHover(null)}
          onDoubleClick={() => layout && setView(fitViewport(layout, widthPx, heightPx))}
        />
        {!frame && (
          <div className="chart-nodata" style={{ position: 'absolute', inset: 0 }}>
            No memory map yet: run a script.
          </div>
        )}
        {desc && hover && (
          <div
            data-testid="memmap-tooltip"
            data-pfn={desc.pfn}
            role="tooltip"
            style={{
              position: 'absolute',
              left: Math.min(hover.x + 14, widthPx - 400),
              top: Math.min(hover.y + 14, heightPx - 180),
              width: 380,
              pointerEvents: 'none',
              background: 'var(--bg-panel)',
              color: 'var(--fg)',
              border: '1px solid var(--border)',
              borderRadius: 4,
              padding: '4px 6px',
              font: '12px var(--mono)',
              boxShadow: '0 2px 6px rgba(0,0,0,0.2)',
            }}
          >
            {desc.lines.map((l) => (
              <div key={l.label}>
                <span style={{ color: 'var(--fg-muted)' }}>{l.label}</span> {l.value}
              </div>
            ))}
            {!isLast && view && view.pxPerPage >= PAGE_MODE_PX_PER_PAGE && (
              <div style={{ color: 'var(--fg-muted)' }}>page detail: scrub to the last frame</div>
            )}
          </div>
        )}
      </div>
      <Scrubber
        frames={frames}
        index={sel}
        onIndex={(i) => {
          setIndex(i)
          setFollow(i === frames.length - 1)
        }}
      />
    </div>
  )
}
