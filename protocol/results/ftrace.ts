/**
 * An ftrace-like text trace: what `cat /sys/kernel/tracing/trace` prints with the nop tracer
 * and the default options (irq-info on, record-tgid off), so trace-cmd and perf users can read
 * it and their scripts (grep, awk on the `name:` column) work unchanged.
 *
 *   # tracer: nop
 *   #
 *   # entries-in-buffer/entries-written: 2/2   #P:2
 *   #
 *   #                                _-----=> irqs-off/BH-disabled
 *   ...
 *   #           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
 *   #              | |         |   |||||     |         |
 *       kcompactd0-34      [001] .....     0.001500: mm_compaction_begin: zone_start=0x1000 ...
 *
 * Timestamps are simulated time. The irq-info flags are always `.....`: the model has no
 * interrupts, preemption counts or migrate-disable.
 */
import {
  FieldReader,
  MissingTraceField,
  TRACEPOINT_FORMATS,
  type TraceFields,
} from './ftraceFormats'

/** One tracepoint hit, as the engine records it. */
export interface TraceRecord {
  /** Simulated time of the event, in ns. */
  timeNs: number
  /** The task's comm (truncated to 15 characters as TASK_COMM_LEN does). */
  task: string
  pid: number
  cpu: number
  /** Tracepoint name, e.g. `mm_page_alloc`. */
  name: string
  /** Fields by the kernel's TP_STRUCT__entry names; see ftraceFormats.ts. */
  fields: TraceFields
}

/** Options of {@link formatFtrace}. */
export interface FtraceOptions {
  /** Number of CPUs for the `#P:` header field; by default the highest cpu seen plus one. */
  nrCpus?: number
  /** Events written, when more were emitted than kept (ring buffer overrun); default: all. */
  entriesWritten?: number
}

/** `ns2usecs()` (kernel/trace/trace.c) rounds to the nearest microsecond. */
function ns2usecs(ns: number): number {
  return Math.floor((ns + 500) / 1000)
}

/** The fields of a record as `TP_printk` prints them, or `k=v` pairs for unknown tracepoints. */
export function formatTraceFields(name: string, fields: TraceFields): string {
  const format = TRACEPOINT_FORMATS[name]
  if (format) {
    try {
      return format(new FieldReader(fields))
    } catch (e) {
      // A record without the fields its format needs still prints, just not in kernel form.
      if (!(e instanceof MissingTraceField)) throw e
    }
  }
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 1 : 0) : v}`)
    .join(' ')
}

/**
 * One trace line: `trace_print_context()` (kernel/trace/trace_output.c) — `"%16s-%-7d "`,
 * `"[%03d] "`, the irq-info flags, `" %5lu.%06lu"` and `": "` — then `"%s: "` with the event
 * name and the TP_printk output.
 */
export function formatTraceLine(rec: TraceRecord): string {
  const usecs = ns2usecs(rec.timeNs)
  const secs = Math.floor(usecs / 1_000_000)
  const usecRem = usecs - secs * 1_000_000
  const comm = rec.task.slice(0, 15).padStart(16)
  const pid = String(rec.pid).padEnd(7)
  const cpu = String(rec.cpu).padStart(3, '0')
  const ts = `${String(secs).padStart(5)}.${String(usecRem).padStart(6, '0')}`
  return `${comm}-${pid} [${cpu}] ..... ${ts}: ${rec.name}: ${formatTraceFields(rec.name, rec.fields)}`
}

/**
 * The header of the trace file: `# tracer: nop`, `print_event_info()` and
 * `print_func_help_header_irq()` (kernel/trace/trace.c) as printed without record-tgid.
 */
export function ftraceHeader(entries: number, entriesWritten: number, nrCpus: number): string {
  return [
    '# tracer: nop',
    '#',
    `# entries-in-buffer/entries-written: ${entries}/${entriesWritten}   #P:${nrCpus}`,
    '#',
    '#                                _-----=> irqs-off/BH-disabled',
    '#                               / _----=> need-resched',
    '#                              | / _---=> hardirq/softirq',
    '#                              || / _--=> preempt-depth',
    '#                              ||| / _-=> migrate-disable',
    '#                              |||| /     delay',
    '#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION',
    '#              | |         |   |||||     |         |',
  ].join('\n')
}

/**
 * The whole trace file. Records are ordered by time, ties kept in emission order, as the
 * kernel merges its per-CPU buffers by timestamp.
 *
 * @example formatFtrace(records, { nrCpus: 2 }) // write to trace.txt, read with less/grep
 */
export function formatFtrace(records: readonly TraceRecord[], opts: FtraceOptions = {}): string {
  const sorted = [...records].sort((a, b) => a.timeNs - b.timeNs)
  const nrCpus = opts.nrCpus ?? records.reduce((max, r) => Math.max(max, r.cpu + 1), 1)
  const written = opts.entriesWritten ?? records.length
  const lines = [ftraceHeader(records.length, written, nrCpus)]
  for (const r of sorted) lines.push(formatTraceLine(r))
  return lines.join('\n') + '\n'
}
