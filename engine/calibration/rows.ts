/**
 * One line of the calibration table: a figure, the kernel's value, the simulator's and the
 * difference, with the thresholds (outcomes ±10%, the scanner and migration counters
 * ±25%; `info` rows are shown without a target). docs/calibration.md explains every row over
 * its threshold.
 */
export type FigureKind = 'outcome' | 'counter' | 'info'

export interface CalibrationRow {
  figure: string
  kind: FigureKind
  kernel: number
  sim: number
  /** (sim − kernel) / kernel; 0 when both are 0, null when only the kernel's is 0. */
  diff: number | null
  /** Beyond the threshold of its kind. */
  over: boolean
}

export const THRESHOLDS: Readonly<Record<FigureKind, number>> = {
  outcome: 0.1,
  counter: 0.25,
  info: Infinity,
}

export function row(figure: string, kind: FigureKind, kernel: number, sim: number): CalibrationRow {
  const diff = kernel === 0 ? (sim === 0 ? 0 : null) : (sim - kernel) / kernel
  const over = kind !== 'info' && (diff === null || Math.abs(diff) > THRESHOLDS[kind])
  return { figure, kind, kernel, sim, diff, over }
}

export interface CaseResult {
  id: string
  title: string
  era: string
  rows: CalibrationRow[]
  /** How the case was set up where it departs from the guest (printed under the table). */
  notes: string[]
}

function pct(d: number | null): string {
  if (d === null) return 'n/a'
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${Math.abs(d * 100).toFixed(1)}%`
}

/** The whole table as markdown: one section per case. */
export function formatCalibrationTable(results: readonly CaseResult[]): string {
  const out: string[] = [
    '| case | figure | kind | kernel | simulator | difference | |',
    '|---|---|---|---:|---:|---:|---|',
  ]
  for (const r of results) {
    r.rows.forEach((x, i) => {
      const name = i === 0 ? r.id : ''
      const flag = x.over ? 'over' : ''
      out.push(
        `| ${name} | ${x.figure} | ${x.kind} | ${x.kernel} | ${x.sim} | ${pct(x.diff)} | ${flag} |`,
      )
    })
  }
  const notes = results.flatMap((r) => r.notes.map((n) => `- ${r.id}: ${n}`))
  if (notes.length > 0) out.push('', ...notes)
  return out.join('\n')
}
