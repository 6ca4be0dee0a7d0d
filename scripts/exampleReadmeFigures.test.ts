/**
 * The stale-figure check of the example READMEs' prose: figures after a backquoted row name
 * must be a mean (at the precision written, µs/ms converted) or a difference of that row.
 */
import { describe, expect, it } from 'vitest'
import { staleFigures, tableRows } from './exampleReadmeFigures'
import { BEGIN, END } from './exampleReadmes'

const TABLE = `s.ts: 2 variant(s) x 3 seed(s); mean (±95% CI), difference to a; *x%* = significant

                                  a                              b
thp_direct mean        5.00 (±  0.00) (  0.00%)     13.33 (±  2.87) *+166.67%*
lat_ns mean (ns)  123456.00 (±  0.00) (  0.00%)         - (±     -) (     n/a)

vmstat                            a                              b
pgmigrate_success   7907.00 (±  1.00) (  0.00%)   8009.00 (±  3.00) (  +1.29%)
`

describe('README prose figures', () => {
  it('reads each row’s means and differences from compare’s table', () => {
    const rows = tableRows(TABLE)
    expect(rows.get('thp_direct')).toEqual({ means: [5, 13.33], deltas: [0, 166.67] })
    expect(rows.get('lat_ns')).toEqual({ means: [123456], deltas: [0] })
    expect(rows.get('pgmigrate_success')).toEqual({ means: [7907, 8009], deltas: [0, 1.29] })
  })

  it('accepts figures the table has and reports the others', () => {
    const prose =
      '- THPs (`thp_direct` p99 5 → 13.3 of order-2 ~4k, +166%), `lat_ns` mean 123 µs.\n' +
      "- `pgmigrate_success` 7,907 vs 8100, order-2 folios, p99, ~50k and 6.9's.\n" +
      `${BEGIN}\n\`thp_direct\` 99\n${END}\n` +
      '```\n`thp_direct` 98\n```\n'
    expect(staleFigures(prose, [TABLE])).toEqual([
      { row: 'pgmigrate_success', quoted: '8100', context: '`pgmigrate_success` 7,907 vs 8100' },
    ])
  })
})
