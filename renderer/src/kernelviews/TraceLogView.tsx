/**
 * The trace-event log of the latest run: every tracepoint hit with its simulated time, task,
 * CPU and fields as the kernel's TP_printk prints them (protocol/results/ftrace.ts), filtered
 * by tracepoint, pfn range and task. Only the rows in view are rendered (the log holds the
 * newest TRACE_LIMIT records). Clicking a row focuses its moment: the memory map, the time-axis
 * charts and the kernel files view follow.
 */
import { useMemo, useRef, useState } from 'react'
import './kernelviews.css'
import { formatFtrace, formatTraceFields, type TraceRecord } from '../../../protocol/results/ftrace'
import type { RunTrace } from '../run/useExperiment'
import { useFocusTime } from './focusTime'
import { filterTrace, parsePfnRange, taskId } from './traceFilter'

const ROW_PX = 22
const VIEW_PX = 420
const OVERSCAN = 10

/** Simulated time in µs, to the ns. */
function formatUs(timeNs: number): string {
  return (timeNs / 1e3).toFixed(3)
}

/** The record as one line of /sys/kernel/tracing/trace (protocol/results/ftrace.ts). */
function ftraceLine(r: TraceRecord): string {
  const text = formatFtrace([r])
  const lines = text.trimEnd().split('\n')
  return lines[lines.length - 1]!.trim()
}

export function TraceLogView({ trace }: { trace: RunTrace | null }) {
  const [names, setNames] = useState<string[]>([])
  const [pfnText, setPfnText] = useState('')
  const [task, setTask] = useState('')
  const [scrollTop, setScrollTop] = useState(0)
  const [selected, setSelected] = useState(-1)
  const bodyRef = useRef<HTMLDivElement>(null)
  const focus = useFocusTime()

  const records = trace?.records ?? null
  const count = trace?.count ?? 0
  // names and tasks present, in order of first appearance
  const { allNames, allTasks } = useMemo(() => {
    const n = new Set<string>()
    const t = new Set<string>()
    for (let i = 0; i < count; i++) {
      n.add(records![i]!.name)
      t.add(taskId(records![i]!))
    }
    return { allNames: [...n].sort(), allTasks: [...t].sort() }
  }, [records, count])

  const range = parsePfnRange(pfnText)
  const rangeError = typeof range === 'string' ? range : null
  const shown = useMemo(
    () =>
      records
        ? filterTrace(
            records,
            {
              names: new Set(names),
              range: typeof range === 'string' ? null : range,
              task: task === '' ? null : task,
            },
            count,
          )
        : [],
    // range is derived from pfnText
    [records, count, names, pfnText, task],
  )

  if (!trace || count === 0) {
    return (
      <div className="chart-nodata" data-testid="trace-log">
        No trace yet: runs started here record every tracepoint hit and keep the newest{' '}
        {(trace?.limit ?? 50_000).toLocaleString('en-US')}, shown when the run ends. Press Run.
      </div>
    )
  }

  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - OVERSCAN)
  const last = Math.min(shown.length, Math.ceil((scrollTop + VIEW_PX) / ROW_PX) + OVERSCAN)
  const capped = trace.written > count
  return (
    <div className="trace-log" data-testid="trace-log">
      <div className="kv-controls">
        <label className="kv-pick">
          <span>Tracepoints</span>
          <select
            multiple
            size={Math.min(5, Math.max(3, allNames.length))}
            data-testid="trace-filter-tracepoint"
            value={names}
            onChange={(e) => setNames([...e.target.selectedOptions].map((o) => o.value))}
            title="None selected shows all; Ctrl+click selects several"
          >
            {allNames.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="kv-pick">
          <span>pfn range</span>
          <input
            data-testid="trace-filter-pfn"
            placeholder="0x1000-0x1fff"
            value={pfnText}
            onChange={(e) => setPfnText(e.target.value)}
            aria-invalid={rangeError !== null}
            title={rangeError ?? 'start-end, hex (0x) or decimal; one pfn also works'}
            size={18}
          />
        </label>
        <label className="kv-pick">
          <span>Task</span>
          <select
            data-testid="trace-filter-task"
            value={task}
            onChange={(e) => setTask(e.target.value)}
          >
            <option value="">all tasks</option>
            {allTasks.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="small"
          onClick={() => {
            setNames([])
            setPfnText('')
            setTask('')
          }}
        >
          Clear filters
        </button>
        <span className="muted small-text" data-testid="trace-count">
          {shown.length.toLocaleString('en-US')} of {count.toLocaleString('en-US')} event(s)
          {rangeError ? ` · pfn range: ${rangeError}` : ''}
          {capped
            ? ` · capped: the run emitted ${trace.written.toLocaleString('en-US')}; the newest ${count.toLocaleString('en-US')} are kept (overwriting ring buffer)`
            : ''}
          {focus.timeNs !== null
            ? ` · focused t = ${formatUs(focus.timeNs)} µs (map, charts, kernel files follow)`
            : ' · click a row to show its moment on the map, charts and kernel files'}
        </span>
      </div>
      <div className="trace-head trace-grid" role="row">
        <span>time (µs)</span>
        <span>task-pid</span>
        <span>cpu</span>
        <span>tracepoint</span>
        <span>fields</span>
      </div>
      <div
        ref={bodyRef}
        className="trace-body"
        style={{ height: VIEW_PX }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <div style={{ height: shown.length * ROW_PX, position: 'relative' }}>
          {shown.slice(first, last).map((idx, k) => {
            const r = records![idx]!
            const fields = formatTraceFields(r.name, r.fields)
            return (
              <div
                key={idx}
                role="row"
                data-testid="trace-row"
                data-time-ns={r.timeNs}
                className={
                  idx === selected ? 'trace-row trace-grid trace-selected' : 'trace-row trace-grid'
                }
                style={{ top: (first + k) * ROW_PX, height: ROW_PX }}
                onClick={() => {
                  setSelected(idx)
                  focus.focus(r.timeNs)
                }}
              >
                <span>{formatUs(r.timeNs)}</span>
                <span>{taskId(r)}</span>
                <span>{String(r.cpu).padStart(3, '0')}</span>
                <span title={r.name}>{r.name}</span>
                <span className="trace-fields" title={fields}>
                  {fields}
                </span>
              </div>
            )
          })}
        </div>
      </div>
      {selected >= 0 && selected < count && (
        <pre className="proc-text trace-detail" data-testid="trace-detail">
          {ftraceLine(records![selected]!)}
        </pre>
      )}
    </div>
  )
}
