/**
 * The mmtests-style table: a row per metric, a column per variant (the first is the
 * baseline); each cell the mean over seeds ± the confidence interval, and the difference to
 * the baseline, marked *so* when Welch's t-test finds it significant.
 */
import type { ComparisonRow, ComparisonTable } from '../../../protocol/results/compare'
import { colourOf, type VariantColours } from '../results/palette'
import { deltaText, fmt } from './comparison'

function Rows(p: {
  rows: ComparisonRow[]
  offset: number
  selected: number
  onSelect(i: number): void
}) {
  return (
    <>
      {p.rows.map((r, i) => (
        <tr
          key={r.metric}
          className={p.selected === p.offset + i ? 'row-selected' : undefined}
          onClick={() => p.onSelect(p.offset + i)}
          data-testid="compare-row"
        >
          <th scope="row" className="metric">
            {r.metric}
          </th>
          {r.cells.map((c, j) => (
            <td
              key={j}
              title={c.pValue === null ? `n=${c.n}` : `n=${c.n}, p=${c.pValue.toPrecision(3)}`}
            >
              <span className="mean">{fmt(c.mean)}</span>
              {c.ci !== null && <span className="ci"> ±{fmt(c.ci)}</span>}
              <span className={c.significant ? 'delta significant' : 'delta'}>
                {' '}
                {deltaText(c, j === 0)}
              </span>
            </td>
          ))}
        </tr>
      ))}
    </>
  )
}

export function ComparisonTableView(p: {
  table: ComparisonTable
  colours: VariantColours
  selected: number
  onSelect(i: number): void
}) {
  const { table } = p
  const pct = Math.round(table.confidence * 100)
  return (
    <div className="compare-table-wrap">
      <p className="muted compare-caption">
        {table.columns.length} variant(s) × {table.seeds.length} seed(s) ({table.seeds.join(', ')}
        ): mean ±{pct}% CI; difference to <b>{table.columns[0]}</b>; <b>*x%*</b> = significant
        (Welch&apos;s t-test, p &lt; {table.alpha}). Click a row to chart it.
      </p>
      <table className="compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th>metric</th>
            {table.columns.map((c) => (
              <th key={c} data-testid="compare-column">
                <span className="swatch" style={{ background: colourOf(p.colours, c) }} />
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <Rows rows={table.rows} offset={0} selected={p.selected} onSelect={p.onSelect} />
          {table.vmstat.length > 0 && (
            <tr className="section">
              <th colSpan={table.columns.length + 1}>/proc/vmstat at the end of the run</th>
            </tr>
          )}
          <Rows
            rows={table.vmstat}
            offset={table.rows.length}
            selected={p.selected}
            onSelect={p.onSelect}
          />
        </tbody>
      </table>
    </div>
  )
}
