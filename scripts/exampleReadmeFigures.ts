/**
 * The prose of an example README quotes figures from its comparison table ("`thp_direct`
 * 5 → 13.3", "`compact_memory_ns` +18%"). When the model changes and the table is
 * regenerated, such figures go stale. This finds them: every number that follows a
 * backquoted row name of the table (within the same clause) must be one of that row's means
 * (at the precision written; µs and ms are converted to the table's ns) or, with a `%`, one of
 * its differences to the baseline. What it reports is for a human to read: prose may quote
 * an older figure on purpose ("the engine had ... before").
 */
import { BEGIN, END } from './exampleReadmes'

interface RowValues {
  means: number[]
  deltas: number[]
}

const CELL = /(-?[\d.]+|-) \(± *(?:[\d.]+|-)\) [(*] *([+-]?[\d.]+%|n\/a|-)[)*]/g

/** Row name (the label without its statistic) -> the means and differences of its cells. */
export function tableRows(text: string): Map<string, RowValues> {
  const rows = new Map<string, RowValues>()
  for (const line of text.split('\n')) {
    const first = line.search(/ +-?[\d.]+ \(±| +- \(±/)
    if (first <= 0) continue
    const label = line.slice(0, first).trim()
    const name = label.replace(/ (mean|max|p50|p99)( \(ns\))?$/, '')
    const r = rows.get(name) ?? { means: [], deltas: [] }
    for (const m of line.slice(first).matchAll(CELL)) {
      if (m[1] !== '-') r.means.push(Number(m[1]))
      if (m[2].endsWith('%')) r.deltas.push(Number(m[2].slice(0, -1)))
    }
    rows.set(name, r)
  }
  return rows
}

/** The README without its generated sections and code blocks. */
function prose(readme: string): string {
  let out = ''
  let last = 0
  for (;;) {
    const b = readme.indexOf(BEGIN, last)
    if (b < 0) break
    const e = readme.indexOf(END, b)
    if (e < 0) break
    out += readme.slice(last, b)
    last = e + END.length
  }
  return (out + readme.slice(last)).replace(/```[\s\S]*?```/g, '')
}

// A number standing alone (not `p99`, `order-2`, `7x`, `6.9's`), not a ±CI, with its unit.
// Approximate figures (`~50k`) and ranges (`83–96k`) are not checked.
const NUMBER = /(?<![\w.±~–-]|± )([+-]?)(\d[\d,]*(?:\.\d+)?)(%|k|\s*µs|\s*ms)?(?![\w'’–]|\.\d)/g

const SCALE: Record<string, number> = { '': 1, k: 1e3, µs: 1e3, ms: 1e6 }

function matches(values: number[], n: number, decimals: number, scale: number): boolean {
  // Written figures are rounded or truncated to the digits shown.
  const tol = (10 ** -decimals + 1e-9) * scale
  return values.some((v) => Math.abs(Math.abs(v) - n * scale) <= tol)
}

/** One figure the prose quotes that the table no longer has. */
export interface StaleFigure {
  row: string
  quoted: string
  context: string
}

/** Figures quoted after a backquoted row name that match none of that row's values. */
export function staleFigures(readme: string, tables: string[]): StaleFigure[] {
  const rows = new Map<string, RowValues>()
  for (const t of tables) for (const [k, v] of tableRows(t)) rows.set(k, v)
  const text = prose(readme)
  const out: StaleFigure[] = []
  for (const m of text.matchAll(/`([a-z][\w.]*)`/g)) {
    const r = rows.get(m[1])
    if (!r) continue
    const start = (m.index ?? 0) + m[0].length
    // The clause after the name: up to the next backquote, parenthesis, sentence end or colon.
    const rest = text.slice(start, start + 60)
    const clause = rest.slice(0, rest.search(/`|\)|\*\*|[.;:,](\s|$)|\n\n|$/))
    for (const n of clause.matchAll(NUMBER)) {
      const raw = n[2].replace(/,/g, '')
      const value = Number(raw)
      const decimals = raw.includes('.') ? raw.split('.')[1].length : 0
      // `123 → 146 µs`: a bare number takes the clause's time unit; a row in ms (`cold_walk_ms`)
      // may be quoted with its own unit.
      const unit = (n[3] ?? '').trim()
      const clauseUnit = /µs|ms/.exec(clause)?.[0] ?? ''
      const scales = [1, SCALE[unit || clauseUnit]]
      const ok =
        unit === '%'
          ? matches(r.deltas, value, decimals, 1)
          : scales.some((sc) => matches(r.means, value, decimals, sc))
      if (!ok) out.push({ row: m[1], quoted: n[0].trim(), context: `\`${m[1]}\`${clause}` })
    }
  }
  return out
}
