/**
 * The time scrubber: one step per received frame, labelled with the frame's simulated time;
 * Play replays the snapshots in order.
 */
import { useEffect, useState } from 'react'
import type { MapFrameMsg } from '../../../protocol/mapview'

interface Props {
  frames: readonly MapFrameMsg[]
  index: number
  onIndex(i: number): void
}

/** Simulated time in ms, with enough digits to tell frames microseconds apart. */
export function formatSimMs(timeNs: number): string {
  return `${(timeNs / 1e6).toFixed(3)} ms`
}

const PLAY_STEP_MS = 250

/** What the frame shows: a periodic snapshot, the end, or a moment inside a migration. */
const REASON_LABEL: Record<MapFrameMsg['reason'], string> = {
  tick: 'snapshot',
  final: 'final',
  mm_migrate_pages: 'during migration (mm_migrate_pages)',
  mm_compaction_end: 'mm_compaction_end',
  cma_alloc_finish: 'cma_alloc_finish',
}

export function Scrubber({ frames, index, onIndex }: Props) {
  const [playing, setPlaying] = useState(false)
  const n = frames.length
  useEffect(() => {
    if (!playing) return
    const t = setTimeout(() => {
      if (index + 1 >= n) setPlaying(false)
      else onIndex(index + 1)
    }, PLAY_STEP_MS)
    return () => clearTimeout(t)
  }, [playing, index, n, onIndex])
  const cur = index >= 0 && index < n ? frames[index] : null
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8, font: '12px var(--sans)' }}>
      <button
        type="button"
        disabled={n < 2}
        onClick={() => {
          if (!playing && index >= n - 1) onIndex(0)
          setPlaying(!playing)
        }}
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <input
        type="range"
        data-testid="memmap-scrubber"
        aria-label="Snapshot time"
        min={0}
        max={Math.max(0, n - 1)}
        step={1}
        value={Math.max(0, index)}
        disabled={n < 2}
        onChange={(e) => {
          setPlaying(false)
          onIndex(Number(e.target.value))
        }}
        style={{ flex: 1 }}
      />
      <span
        data-testid="memmap-time"
        data-time-ns={cur ? cur.timeNs : undefined}
        style={{ minWidth: 300, fontFamily: 'var(--mono)' }}
      >
        {cur
          ? `t = ${formatSimMs(cur.timeNs)} · ${index + 1}/${n} · ${REASON_LABEL[cur.reason]}`
          : 'no snapshots'}
      </span>
    </div>
  )
}
