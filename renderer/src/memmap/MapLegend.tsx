/**
 * Legend and totals of the shown frame: migratetypes by their kernel names
 * (`migratetype_names[]`), the markers, and the frame's page counts.
 */
import { memo } from 'react'
import { MF_ISOLATE, MF_SKIP, type MapFrame } from '../../../engine/mapview/frame'
import { cssRgb, MIGRATETYPE_RGB, type MapTheme } from '../../../engine/mapview/palette'
import { MIGRATETYPE_NAMES } from '../../../engine/mm/migratetype'

function sum(a: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]
  return s
}

function count(flags: Uint8Array, bit: number): number {
  let n = 0
  for (let i = 0; i < flags.length; i++) if ((flags[i] & bit) !== 0) n++
  return n
}

const swatch = (bg: string, extra: React.CSSProperties = {}) => (
  <span
    style={{
      display: 'inline-block',
      width: 14,
      height: 10,
      background: bg,
      verticalAlign: 'middle',
      marginRight: 4,
      ...extra,
    }}
  />
)

/** Memoised: panning re-renders the map, not the legend's sums over every pageblock. */
export const MapLegend = memo(function MapLegend({
  frame,
  theme,
}: {
  frame: MapFrame | null
  theme: MapTheme
}) {
  const items = MIGRATETYPE_NAMES.map((name, mt) => (
    <span key={name} style={{ marginRight: 10 }}>
      {swatch(cssRgb(MIGRATETYPE_RGB[mt]))}
      {name}
    </span>
  ))
  const totals = frame && {
    free: sum(frame.freePages),
    pcp: sum(frame.pcpPages),
    movable: sum(frame.movablePages),
    unmovable: sum(frame.unmovablePages),
    isolated: count(frame.pbFlags, MF_ISOLATE),
    skip: count(frame.pbFlags, MF_SKIP),
  }
  return (
    <div style={{ font: '12px var(--sans)', color: 'var(--fg)' }} data-testid="memmap-legend">
      <div>
        {items}
        <span style={{ marginRight: 10 }}>
          {swatch(cssRgb(theme.empty), { outline: `2px solid ${cssRgb(theme.isolate)}` })}
          isolated
        </span>
        <span style={{ marginRight: 10 }}>
          {swatch(cssRgb(theme.empty), {
            backgroundImage: `radial-gradient(${cssRgb(theme.skip)} 35%, transparent 40%)`,
          })}
          PB_migrate_skip
        </span>
        <span style={{ color: 'var(--fg-muted)' }}>
          pale = free, full colour = in use · wheel: zoom to pages · drag: pan · double-click: fit
        </span>
      </div>
      {frame && totals && (
        <div style={{ color: 'var(--fg-muted)', fontFamily: 'var(--mono)' }}>
          {frame.nrPageblocks} pageblocks of {2 ** frame.pageblockOrder} pages ·{' '}
          {frame.zones.map((z) => `Node ${z.nid} ${z.name}`).join(', ')} · free {totals.free} · pcp{' '}
          {totals.pcp} · movable {totals.movable} · unmovable {totals.unmovable} · isolated blocks{' '}
          {totals.isolated} · skip blocks {totals.skip}
        </div>
      )}
    </div>
  )
})
