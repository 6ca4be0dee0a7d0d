/** The memory-map tab: U2's MemoryMap over the snapshots of the latest run of this session. */
import type { MapFrameMsg } from '../../../protocol/messages'
import { useFocusTime } from '../kernelviews/focusTime'
import { MemoryMap } from '../memmap/MemoryMap'
import type { FetchPages } from '../memmap/frameStore'

export function MemoryMapTab(p: {
  map: { key: string; frames: MapFrameMsg[] } | null
  fetchPages?: FetchPages
  dark: boolean
}) {
  const focus = useFocusTime()
  if (!p.map) {
    return (
      <div className="chart-nodata">
        No memory map yet: snapshots stream while a run goes. Press Run (saved results keep no map).
      </div>
    )
  }
  return (
    <div className="memmap-tab" data-testid="memmap-tab">
      <div className="muted small-text memmap-caption">
        {p.map.key.replace('/', ' · seed ')} · {p.map.frames.length} snapshot(s)
      </div>
      <MemoryMap
        frames={p.map.frames}
        fetchPages={p.fetchPages}
        dark={p.dark}
        focusTimeNs={focus.timeNs}
        focusSeq={focus.seq}
      />
    </div>
  )
}
