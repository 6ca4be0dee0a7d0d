import { describe, expect, it } from 'vitest'
import { csvField, seriesToCsv, vmstatToCsv } from './csv'
import { sampleRunResult } from './fixtures'

/** A minimal RFC 4180 reader, to check that quoting round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let f = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        f += '"'
        i++
      } else if (ch === '"') quoted = false
      else f += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(f)
      f = ''
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++
      row.push(f)
      rows.push(row)
      row = []
      f = ''
    } else f += ch
  }
  return rows
}

describe('csvField', () => {
  it('quotes only what RFC 4180 requires', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('cr\r')).toBe('"cr\r"')
    expect(csvField(null)).toBe('')
    expect(csvField(0.1 + 0.2)).toBe('0.30000000000000004')
  })
})

describe('seriesToCsv', () => {
  it('writes one line per point in long format', () => {
    const r = sampleRunResult({ seed: 7, latencies: [1000, 3000] })
    expect(seriesToCsv(r)).toBe(
      [
        'variant,seed,series,time_ns,value',
        ',7,latencyNs,1000000,1000',
        ',7,latencyNs,2000000,3000',
        ',7,free_pages,0,16000',
        ',7,free_pages,2500000,12000',
        '',
      ].join('\n'),
    )
  })

  it('concatenates runs and quotes awkward names so they read back intact', () => {
    const a = sampleRunResult({ seed: 1, variant: 'order,9 "thp"' })
    a.series = { 'lat, p99': [[5, 1.5]] }
    const b = sampleRunResult({ seed: 2, variant: 'base' })
    b.series = { x: [[6, -2]] }
    const text = seriesToCsv([a, b], { eol: '\r\n' })
    expect(text).toBe(
      'variant,seed,series,time_ns,value\r\n"order,9 ""thp""",1,"lat, p99",5,1.5\r\nbase,2,x,6,-2\r\n',
    )
    expect(parseCsv(text)).toEqual([
      ['variant', 'seed', 'series', 'time_ns', 'value'],
      ['order,9 "thp"', '1', 'lat, p99', '5', '1.5'],
      ['base', '2', 'x', '6', '-2'],
    ])
  })

  it('writes only the header for no runs', () => {
    expect(seriesToCsv([])).toBe('variant,seed,series,time_ns,value\n')
  })
})

describe('vmstatToCsv', () => {
  it('writes counters in /proc/vmstat order', () => {
    const r = sampleRunResult({ seed: 3, variant: 'v', stalls: 9 })
    expect(vmstatToCsv(r)).toBe(
      'variant,seed,counter,value\nv,3,nr_free_pages,12000\nv,3,compact_stall,9\nv,3,compact_success,3\nv,3,compact_fail,1\n',
    )
  })
})
