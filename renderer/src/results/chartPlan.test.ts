import { describe, expect, it } from 'vitest'
import { appendSeries, pickTimeUnit, planChart, unitOfSeries } from './chartPlan'

describe('unitOfSeries', () => {
  it('reads the unit from the name suffix', () => {
    expect(unitOfSeries('allocLatencyNs')).toBe('ns')
    expect(unitOfSeries('compact_stall_us')).toBe('µs')
    expect(unitOfSeries('free_kb')).toBe('KiB')
    expect(unitOfSeries('unusablePct')).toBe('%')
    expect(unitOfSeries('extfragIndex')).toBe('index')
  })
  it('treats kernel page counters as pages', () => {
    expect(unitOfSeries('nr_free_pages')).toBe('pages')
    expect(unitOfSeries('nrFree')).toBe('pages')
    expect(unitOfSeries('freePages')).toBe('pages')
  })
  it('falls back to count', () => {
    expect(unitOfSeries('compact_stall')).toBe('count')
  })
})

describe('planChart', () => {
  it('labels the time axis in ms for a run of seconds and converts points', () => {
    const plan = planChart({
      nrFreePages: [
        [0, 10],
        [2_000_000_000, 20],
      ],
    })
    expect(plan.xTitle).toBe('simulated time (ms)')
    expect(plan.datasets[0]!.data).toEqual([
      { x: 0, y: 10 },
      { x: 2000, y: 20 },
    ])
    expect(plan.yAxes).toEqual([
      { id: 'y', unit: 'pages', title: 'nrFreePages (pages)', position: 'left' },
    ])
  })
  it('gives series of different units their own axes, each with a unit', () => {
    const plan = planChart({ a_pages: [[1, 1]], latencyNs: [[2, 5]], b_pages: [[3, 2]] })
    expect(plan.yAxes.map((a) => a.title)).toEqual(['a_pages, b_pages (pages)', 'latencyNs (ns)'])
    expect(plan.datasets.map((d) => d.yAxisID)).toEqual(['y', 'y1', 'y'])
    expect(pickTimeUnit(3)).toBe('ns')
  })
  it('skips empty series', () => {
    expect(planChart({ empty: [] }).datasets).toEqual([])
  })
})

describe('appendSeries', () => {
  it('appends streamed points in order and returns a new record', () => {
    const acc = {}
    const a = appendSeries(acc, { s: [[1, 1]] })
    const b = appendSeries(acc, { s: [[2, 2]], t: [[2, 3]] })
    expect(b).toEqual({
      s: [
        [1, 1],
        [2, 2],
      ],
      t: [[2, 3]],
    })
    expect(b).not.toBe(a)
  })
})
