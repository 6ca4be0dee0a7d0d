/**
 * Order labels at page zoom: "o3" on each block (folio or free buddy) head that has room for
 * it. Only heads on screen are visited (O(visible pages)).
 */
import type { PageDetail } from '../../../engine/mapview/detail'
import { pfnToPixelRect, type MapLayout, type Viewport } from '../../../engine/mapview/layout'
import { cssRgb, type MapTheme } from '../../../engine/mapview/palette'

const MIN_PX_PER_PAGE = 14

export function drawOrderLabels(
  ctx: CanvasRenderingContext2D,
  layout: MapLayout,
  view: Viewport,
  details: readonly PageDetail[],
  theme: MapTheme,
): void {
  if (view.pxPerPage < MIN_PX_PER_PAGE || details.length === 0) return
  ctx.save()
  ctx.font = `${Math.min(12, Math.floor(view.pxPerPage * 0.6))}px ui-monospace, monospace`
  ctx.textBaseline = 'top'
  ctx.fillStyle = cssRgb(theme.folioEdge)
  for (const d of details) {
    for (let i = 0; i < d.nrPages;) {
      const pfn = d.startPfn + i
      const head = d.headPfn[i]
      const order = d.order[i]
      const next = head + 2 ** order - d.startPfn
      if (head === pfn && order > 0) {
        const r = pfnToPixelRect(layout, view, pfn)
        if (r.x > -r.w && r.y > -r.h && r.x < view.widthPx && r.y < view.heightPx)
          ctx.fillText(`o${order}`, r.x + 2, r.y + 2)
      }
      i = Math.max(i + 1, next)
    }
  }
  ctx.restore()
}
