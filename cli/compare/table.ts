/**
 * The comparison as text, in the spirit of mmtests' compare-kernels.sh: one column per
 * variant (the first is the baseline), one row per metric; each cell is the mean over seeds
 * with its 95% confidence half-width, and for other variants the relative difference from
 * the baseline, marked '*' when Welch's t-test says it is significant at the 5% level.
 */
import type { Metric } from './schema'

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '-'
  const a = Math.abs(x)
  return a >= 1e9 || (a > 0 && a < 0.01) ? x.toExponential(3) : x.toFixed(2)
}

function cell(m: Metric, variant: string, baseline: string): string {
  const s = m.byVariant[variant]
  let text = `${fmt(s.mean)} ±${fmt(s.ci95)}`
  if (variant !== baseline) {
    const b = m.byVariant[baseline].mean
    const rel = b === 0 ? (s.mean === 0 ? 0 : Infinity) : ((s.mean - b) / Math.abs(b)) * 100
    const pct = Number.isFinite(rel) ? `${rel >= 0 ? '+' : ''}${rel.toFixed(2)}%` : 'new'
    text += ` (${pct.padStart(8)})${m.significant[variant] ? '*' : ' '}`
  }
  return text
}

export function formatComparison(
  variants: readonly string[],
  seeds: readonly number[],
  metrics: readonly Metric[],
): string {
  const baseline = variants[0]
  const nameWidth = Math.max(20, ...metrics.map((m) => m.name.length)) + 2
  const cells = metrics.map((m) => variants.map((v) => cell(m, v, baseline)))
  const widths = variants.map((v, i) => Math.max(v.length, ...cells.map((c) => c[i].length)) + 2)
  const line = (name: string, cols: string[]) =>
    name.padEnd(nameWidth) + cols.map((c, i) => c.padStart(widths[i])).join('') + '\n'
  let out = `mean ±95% CI over seeds ${seeds.join(', ')}; (change vs ${baseline}), * = significant (Welch, p < 0.05)\n\n`
  out += line('', [...variants])
  let section = ''
  metrics.forEach((m, i) => {
    if (m.section !== section) {
      section = m.section
      out += `\n${section === 'series' ? 'Series' : section === 'run' ? 'Run' : 'vmstat (counters that differ)'}\n`
    }
    out += line(m.name, cells[i])
  })
  return out
}
