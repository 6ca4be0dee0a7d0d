/**
 * The kernel files at any moment of the latest run, and what changed between two moments:
 * /proc/buddyinfo, /proc/pagetypeinfo, /proc/vmstat and the debugfs extfrag indices, as the
 * memory-map snapshots carried them. Time A defaults to the first snapshot, B to the last (the
 * run's result); focusing a trace event moves B to it.
 */
import { useEffect, useMemo, useState } from 'react'
import './kernelviews.css'
import type { MapFrameMsg } from '../../../protocol/mapview'
import { formatSimMs } from '../memmap/Scrubber'
import { indexAtOrBefore, useFocusTime } from './focusTime'
import { diffTable, diffVmstat, formatDelta, type DiffRow } from './procDiff'

const FILES = [
  '/proc/buddyinfo',
  '/proc/pagetypeinfo',
  '/proc/vmstat',
  '/sys/kernel/debug/extfrag/unusable_index',
  '/sys/kernel/debug/extfrag/extfrag_index',
]

type Moment = { timeNs: number; proc: Record<string, string>; label: string }

function moments(frames: readonly MapFrameMsg[]): Moment[] {
  const out: Moment[] = []
  for (const f of frames) {
    if (!f.proc) continue
    out.push({
      timeNs: f.timeNs,
      proc: f.proc,
      label: `${formatSimMs(f.timeNs)}${f.final ? ' (final)' : ''}`,
    })
  }
  return out
}

function TimePick(p: {
  testId: string
  name: string
  moments: Moment[]
  value: number
  onChange(i: number): void
}) {
  return (
    <label className="kv-pick">
      <span>{p.name}</span>
      <select
        data-testid={p.testId}
        value={p.value}
        onChange={(e) => p.onChange(Number(e.target.value))}
      >
        {p.moments.map((m, i) => (
          <option key={i} value={i}>
            {i + 1}. t = {m.label}
          </option>
        ))}
      </select>
    </label>
  )
}

function TableDiffView({ a, b }: { a: string; b: string }) {
  const d = useMemo(() => diffTable(a, b), [a, b])
  // one table per run of rows with as many cells (a heading and its rows), so columns align
  const groups = useMemo(() => {
    const out: DiffRow[][] = []
    for (const r of d.rows) {
      const g = out[out.length - 1]
      if (g && g[0]!.cells.length === r.cells.length) g.push(r)
      else out.push([r])
    }
    return out
  }, [d])
  const cls = (r: DiffRow, delta: number | null) =>
    !r.data ? 'kv-head' : delta === null ? '' : delta > 0 ? 'kv-plus' : delta < 0 ? 'kv-minus' : ''
  return (
    <>
      <div className="muted small-text">
        {d.changedCells === 0 ? 'No cell changed.' : `${d.changedCells} cell(s) changed.`}
        {d.removed.length > 0 && ` Rows only at A: ${d.removed.join('; ')}.`}
      </div>
      {groups.map((g, gi) => (
        <table className="kv-table" key={gi}>
          <tbody>
            {g.map((r, i) => (
              <tr key={i} className={r.added && r.data ? 'kv-added' : undefined}>
                <th scope="row">{r.label}</th>
                {r.cells.map((c, j) => (
                  <td
                    key={j}
                    className={cls(r, c.delta)}
                    title={r.data ? `A: ${c.before ?? '—'}  B: ${c.text}` : undefined}
                  >
                    {r.data ? formatDelta(c) : c.text}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  )
}

function VmstatDiffView({ a, b }: { a: string; b: string }) {
  const changes = useMemo(() => diffVmstat(a, b), [a, b])
  if (changes.length === 0) return <div className="muted small-text">No counter changed.</div>
  return (
    <table className="kv-table kv-vmstat">
      <thead>
        <tr>
          <th>counter</th>
          <th>A</th>
          <th>B</th>
          <th>Δ</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.name}>
            <th scope="row">{c.name}</th>
            <td>{c.a ?? '—'}</td>
            <td>{c.b ?? '—'}</td>
            <td className={c.delta > 0 ? 'kv-plus' : c.delta < 0 ? 'kv-minus' : ''}>
              {c.delta > 0 ? `+${c.delta}` : `\u2212${-c.delta}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function KernelFilesView({ frames }: { frames: readonly MapFrameMsg[] | null }) {
  const ms = useMemo(() => moments(frames ?? []), [frames])
  const [file, setFile] = useState(FILES[0]!)
  // Picks belong to a run: a new run starts again at first and final.
  const runId = frames?.[0]?.id ?? -1
  const [picks, setPicks] = useState<{ runId: number; a: number | null; b: number | null }>({
    runId,
    a: null,
    b: null,
  })
  const own = picks.runId === runId ? picks : { runId, a: null, b: null }
  const setPickA = (i: number) => setPicks({ ...own, a: i })
  const setPickB = (i: number) => setPicks({ ...own, b: i })
  const focus = useFocusTime()

  // a trace event focused: B is the snapshot at or before it
  useEffect(() => {
    if (focus.timeNs === null || ms.length === 0) return
    const b = indexAtOrBefore(
      ms.map((m) => m.timeNs),
      focus.timeNs,
    )
    setPicks((p) => ({ ...(p.runId === runId ? p : { runId, a: null }), b }))
    // ms and runId are read at the focus only
  }, [focus.timeNs, focus.seq])

  if (ms.length === 0) {
    return (
      <div className="chart-nodata" data-testid="kernel-files">
        No kernel files over time yet: they are read at every memory-map snapshot while a run goes.
        Press Run (saved results keep only the final files, in the panel below).
      </div>
    )
  }
  const last = ms.length - 1
  const ia = Math.min(own.a ?? 0, last)
  const ib = Math.min(own.b ?? last, last)
  const a = ms[ia]!.proc[file] ?? ''
  const b = ms[ib]!.proc[file] ?? ''
  return (
    <div className="kernel-files" data-testid="kernel-files">
      <div className="kv-controls">
        <label className="kv-pick">
          <span>File</span>
          <select
            data-testid="kernel-files-file"
            value={file}
            onChange={(e) => setFile(e.target.value)}
          >
            {FILES.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <TimePick testId="kernel-files-a" name="A" moments={ms} value={ia} onChange={setPickA} />
        <TimePick testId="kernel-files-b" name="B" moments={ms} value={ib} onChange={setPickB} />
        <span className="muted small-text">{ms.length} moment(s)</span>
      </div>
      <div className="kv-columns">
        <section className="kv-col" data-testid="kernel-files-diff">
          <h4>
            Change A → B ({ms[ia]!.label} → {ms[ib]!.label})
          </h4>
          {file === '/proc/vmstat' ? <VmstatDiffView a={a} b={b} /> : <TableDiffView a={a} b={b} />}
        </section>
        <section className="kv-col">
          <h4>
            {file} at B (t = {ms[ib]!.label})
          </h4>
          <pre className="proc-text kv-text" data-testid="kernel-files-text">
            {b}
          </pre>
        </section>
      </div>
    </div>
  )
}
