/**
 * Cell-by-cell differences of the kernel's table files, on real files from a Debian 6.1
 * kernel before and after `echo 1 > /proc/sys/vm/compact_memory` (resources/proc-samples).
 */
import { describe, expect, it } from 'vitest'
import compactedBuddyinfo from '../../../resources/proc-samples/w1_p2k1/compacted/buddyinfo?raw'
import compactedPagetypeinfo from '../../../resources/proc-samples/w1_p2k1/compacted/pagetypeinfo?raw'
import compactedVmstat from '../../../resources/proc-samples/w1_p2k1/compacted/vmstat?raw'
import fragmentedBuddyinfo from '../../../resources/proc-samples/w1_p2k1/fragmented/buddyinfo?raw'
import fragmentedPagetypeinfo from '../../../resources/proc-samples/w1_p2k1/fragmented/pagetypeinfo?raw'
import fragmentedVmstat from '../../../resources/proc-samples/w1_p2k1/fragmented/vmstat?raw'
import { diffTable, diffVmstat, formatDelta, parseTable, parseVmstatText } from './procDiff'

const SAMPLES: Record<string, Record<string, string>> = {
  fragmented: {
    buddyinfo: fragmentedBuddyinfo,
    pagetypeinfo: fragmentedPagetypeinfo,
    vmstat: fragmentedVmstat,
  },
  compacted: {
    buddyinfo: compactedBuddyinfo,
    pagetypeinfo: compactedPagetypeinfo,
    vmstat: compactedVmstat,
  },
}
const sample = (moment: string, file: string) => SAMPLES[moment]![file]!

describe('diffTable: /proc/buddyinfo', () => {
  const a = sample('fragmented', 'buddyinfo')
  const b = sample('compacted', 'buddyinfo')

  it('parses a row as the zone label and free blocks per order 0..MAX_ORDER', () => {
    const rows = parseTable(a)
    expect(rows.map((r) => r.label)).toEqual(['Node 0, zone DMA', 'Node 0, zone DMA32'])
    expect(rows[1]!.cells).toEqual(['110590', '1', '2', '2', '4', '1', '3', '2', '1', '2', '10'])
  })

  it('gives every order its change: compaction turned order-0 pages into order-10 blocks', () => {
    const d = diffTable(a, b)
    const dma32 = d.rows[1]!
    expect(dma32.cells.map((c) => c.delta)).toEqual([542 - 110590, 4, 8, 7, 6, 5, 4, 5, 5, 2, 104])
    // DMA was left as it was
    expect(d.rows[0]!.cells.every((c) => c.delta === 0)).toBe(true)
    expect(d.changedCells).toBe(11)
    expect(d.removed).toEqual([])
    expect(formatDelta(dma32.cells[0]!)).toBe('\u2212110048')
    expect(formatDelta(dma32.cells[10]!)).toBe('+104')
    expect(formatDelta(d.rows[0]!.cells[0]!)).toBe('')
  })

  it('diffs a file against itself to nothing', () => {
    expect(diffTable(b, b).changedCells).toBe(0)
  })

  it('matches rows by label, so a zone missing at A is new at B, not a shift', () => {
    const onlyDma32 = a
      .split('\n')
      .filter((l) => l.includes('DMA32'))
      .join('\n')
    const d = diffTable(onlyDma32, b)
    expect(d.rows[0]!.added).toBe(true)
    expect(formatDelta(d.rows[0]!.cells[0]!)).toBe('new')
    expect(d.rows[1]!.added).toBe(false)
    expect(d.rows[1]!.cells[10]!.delta).toBe(104)
    expect(diffTable(b, onlyDma32).removed).toEqual(['Node 0, zone DMA'])
  })
})

describe('diffTable: /proc/pagetypeinfo', () => {
  const d = diffTable(sample('fragmented', 'pagetypeinfo'), sample('compacted', 'pagetypeinfo'))
  const row = (label: string) => d.rows.find((r) => r.label === label)!

  it('keeps the order heading and the constants as values, not deltas', () => {
    const head = row('Free pages count per migrate type at order')
    expect(head.data).toBe(false)
    expect(head.cells.map((c) => c.text)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ])
    expect(row('Page block order:').cells[0]!.text).toBe('9')
  })

  it('names the pageblock-count columns by migratetype, from the heading above them', () => {
    const head = row('Number of blocks type')
    expect(head.cells.map((c) => c.text)).toEqual([
      'Unmovable',
      'Movable',
      'Reclaimable',
      'HighAtomic',
      'Isolate',
    ])
    // compaction moved pageblocks' ownership: DMA32 lost an Unmovable and a Reclaimable
    // block, Movable gained two
    expect(row('Node 0, zone DMA32').cells.map((c) => c.delta)).toEqual([-1, 2, -1, 0, 0])
  })

  it('has no delta for the capped >100000 count, and says it changed', () => {
    const movable = row('Node 0, zone DMA32, type Movable')
    expect(movable.cells[0]).toMatchObject({ text: '541', before: '>100000', delta: null })
    expect(formatDelta(movable.cells[0]!)).toBe('?')
    expect(movable.cells[10]!.delta).toBe(104)
  })
})

describe('diffTable: extfrag indices', () => {
  it('prints index deltas with the file’s three decimals, without float noise', () => {
    const a = 'Node 0, zone    DMA32 -1.000 -1.000 0.100 0.950 \n'
    const b = 'Node 0, zone    DMA32 -1.000 0.123 0.100 0.975 \n'
    const cells = diffTable(a, b).rows[0]!.cells
    expect(cells.map((c) => c.delta)).toEqual([0, 1.123, 0, 0.025])
    expect(formatDelta(cells[1]!)).toBe('+1.123')
    expect(formatDelta(cells[3]!)).toBe('+0.025')
  })
})

describe('diffVmstat', () => {
  it('lists the counters compaction changed, with A, B and the difference', () => {
    const a = sample('fragmented', 'vmstat')
    const b = sample('compacted', 'vmstat')
    const changes = diffVmstat(a, b)
    const byName = new Map(changes.map((c) => [c.name, c]))
    expect(byName.get('compact_isolated')).toEqual({
      name: 'compact_isolated',
      a: 880,
      b: 112022,
      delta: 111142,
    })
    expect(byName.get('nr_free_pages')!.delta).toBe(-3)
    // only changed counters, in the file's order
    expect(changes.every((c) => c.a !== c.b)).toBe(true)
    const order = parseVmstatText(b).map(([n]) => n)
    const idx = changes.map((c) => order.indexOf(c.name))
    expect(idx).toEqual([...idx].sort((x, y) => x - y))
  })

  it('reports counters present at one moment only', () => {
    expect(diffVmstat('pgfault 5\n', 'pgfault 5\nthp_fault_alloc 2\n')).toEqual([
      { name: 'thp_fault_alloc', a: null, b: 2, delta: 2 },
    ])
    expect(diffVmstat('nr_unstable 0\nx 3\n', 'nr_unstable 0\n')).toEqual([
      { name: 'x', a: 3, b: null, delta: -3 },
    ])
  })
})
