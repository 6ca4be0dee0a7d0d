import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { VMSTAT_ORDER, formatVmstat, parseVmstat, sortVmstat, vmstatMap } from './vmstat'

const SAMPLES = new URL('../../resources/proc-samples/', import.meta.url)
const samplePaths = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((c) => readdirSync(new URL(`${c.name}/`, SAMPLES)).map((s) => `${c.name}/${s}`))
const read = (path: string): string => readFileSync(new URL(path, SAMPLES), 'utf8')

describe('/proc/vmstat (mm/vmstat.c:vmstat_show)', () => {
  it.each(samplePaths)('round-trips %s byte for byte', (path) => {
    const text = read(`${path}/vmstat`)
    expect(formatVmstat(parseVmstat(text))).toBe(text)
  })

  it.each(samplePaths)('%s is already in VMSTAT_ORDER', (path) => {
    const entries = parseVmstat(read(`${path}/vmstat`))
    expect(sortVmstat([...entries].reverse())).toEqual(entries)
  })

  it('knows the 6.1 order, including the CONFIG_CMA counters the sample kernel lacks', () => {
    expect(VMSTAT_ORDER[0]).toBe('nr_free_pages')
    expect(VMSTAT_ORDER.at(-1)).toBe('nr_unstable')
    const i = VMSTAT_ORDER.indexOf('htlb_buddy_alloc_fail')
    expect(VMSTAT_ORDER.slice(i + 1, i + 3)).toEqual(['cma_alloc_success', 'cma_alloc_fail'])
    expect(new Set(VMSTAT_ORDER).size).toBe(VMSTAT_ORDER.length)
    const compaction = ['compact_migrate_scanned', 'compact_free_scanned', 'compact_isolated']
    expect(compaction.map((n) => VMSTAT_ORDER.indexOf(n))).toEqual(
      [...compaction.map((n) => VMSTAT_ORDER.indexOf(n))].sort((a, b) => a - b),
    )
  })

  it('sorts unknown names after the known ones, keeping their order', () => {
    expect(
      sortVmstat([
        ['zz_made_up', 1],
        ['pgmigrate_success', 2],
        ['aa_made_up', 3],
        ['nr_free_pages', 4],
      ]),
    ).toEqual([
      ['nr_free_pages', 4],
      ['pgmigrate_success', 2],
      ['zz_made_up', 1],
      ['aa_made_up', 3],
    ])
  })

  it('reads the calibration counters', () => {
    const before = vmstatMap(read('w1_p2k1/pre_compact/vmstat'))
    const after = vmstatMap(read('w1_p2k1/compacted/vmstat'))
    const delta = (n: string) => after.get(n)! - before.get(n)!
    // The calibration README's table for W1 P=2 K=1.
    expect(delta('compact_migrate_scanned')).toBe(129238)
    expect(delta('compact_free_scanned')).toBe(111850)
    expect(delta('pgmigrate_success')).toBe(55498)
  })

  it('rejects bad lines and values, naming the line', () => {
    expect(() => parseVmstat('nr_free_pages 1\nnr_mlock -3\n')).toThrow(/vmstat: line 2/)
    expect(() => formatVmstat([['nr_mlock', -1]])).toThrow(/not an unsigned integer/)
  })
})
