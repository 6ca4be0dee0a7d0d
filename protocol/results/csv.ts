/**
 * CSV export of results in long ("tidy") format, one observation per line, which loads
 * directly into pandas, R, gnuplot or a spreadsheet and concatenates across runs:
 *
 *   variant,seed,series,time_ns,value
 *   baseline,1,latencyNs,1000000,1000
 *
 * Fields are quoted as RFC 4180 says: a field containing a comma, a double quote, CR or LF is
 * wrapped in double quotes with inner quotes doubled. A run of the base machine
 * (`variant: null`) has an empty variant field. Numbers are printed in JavaScript's shortest
 * round-trip form, so parsing them gives back the exact values.
 */
import type { RunResult } from '../result'

/** Options of the CSV writers. */
export interface CsvOptions {
  /** Line terminator; "\n" by default, "\r\n" for strict RFC 4180 consumers. */
  eol?: '\n' | '\r\n'
}

/** Quotes one field as RFC 4180 requires. */
export function csvField(value: string | number | null): string {
  if (value === null) return ''
  const s = typeof value === 'number' ? String(value) : value
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function csvLines(
  header: string[],
  rows: Iterable<(string | number | null)[]>,
  eol: string,
): string {
  const out = [header.join(',')]
  for (const row of rows) out.push(row.map(csvField).join(','))
  return out.join(eol) + eol
}

function asList(results: RunResult | readonly RunResult[]): readonly RunResult[] {
  return Array.isArray(results) ? results : [results as RunResult]
}

/**
 * All series of one or more runs as CSV with the columns `variant,seed,series,time_ns,value`.
 * Runs are written in the order given, series in the order of their keys, points in time order.
 *
 * @example seriesToCsv(experiment.runs) // then `pandas.read_csv(...).pivot_table(...)`
 */
export function seriesToCsv(
  results: RunResult | readonly RunResult[],
  opts: CsvOptions = {},
): string {
  const runs = asList(results)
  function* rows(): Generator<(string | number | null)[]> {
    for (const r of runs) {
      for (const [name, points] of Object.entries(r.series)) {
        for (const [timeNs, value] of points) yield [r.variant, r.seed, name, timeNs, value]
      }
    }
  }
  return csvLines(['variant', 'seed', 'series', 'time_ns', 'value'], rows(), opts.eol ?? '\n')
}

/**
 * The end-of-run /proc/vmstat counters of one or more runs as CSV with the columns
 * `variant,seed,counter,value`, counters in the order of the kernel's /proc/vmstat.
 */
export function vmstatToCsv(
  results: RunResult | readonly RunResult[],
  opts: CsvOptions = {},
): string {
  const runs = asList(results)
  function* rows(): Generator<(string | number | null)[]> {
    for (const r of runs) {
      for (const [counter, value] of Object.entries(r.vmstat))
        yield [r.variant, r.seed, counter, value]
    }
  }
  return csvLines(['variant', 'seed', 'counter', 'value'], rows(), opts.eol ?? '\n')
}
