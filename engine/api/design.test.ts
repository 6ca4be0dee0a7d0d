/**
 * Design variants as a workload declares them: dotted keys checked with errors naming the
 * field, defaults by kernel era (≤6.8 order-0 free lists and skipped compound pages, 6.9+
 * per-order lists and migrated large folios; the 2025 isolate bit), and histograms.
 */
import { describe, expect, it } from 'vitest'
import { createMachine, parseMachineConfig } from '../mm'
import { applyMachineDesign, designRecord, parseDesignSpec, resolveDesign } from './design'
import { HistogramSet, histogramPercentile, log2Bucket } from './histogram'

function machine(kernelEra: string) {
  return createMachine(parseMachineConfig({ memoryMiB: 64, kernelEra }))
}

describe('design keys', () => {
  it('defaults follow the era: 6.6 is compaction before Zi Yan, 6.12 after', () => {
    expect(designRecord(resolveDesign(machine('6.6'), {}))).toMatchObject({
      'compaction.freepages': 'order0-split',
      'compaction.largeFolios': 'skip',
      'migration.batching': 'batched',
      'migration.allocateTarget': 'before-lock',
    })
    expect(designRecord(resolveDesign(machine('6.12'), {}))).toMatchObject({
      'compaction.freepages': 'per-order',
      'compaction.largeFolios': 'migrate',
      'compaction.freeRefcount': 'put-testzero',
      'isolation.representation': 'migratetype',
      'contig.alignment': 'pageblock',
      'contig.reclaim': 'migration-target',
    })
    expect(resolveDesign(machine('6.1'), {}).batching).toBe('per-folio')
    expect(resolveDesign(machine('2025'), {}).contig.representation).toBe('flag')
  })

  it('a spec overrides the era and keeps the other keys', () => {
    const d = resolveDesign(machine('6.12'), {
      'contig.alignment': 'max-order',
      'compaction.freeRefcount': 'set-count-zero',
    })
    expect(d.contig.alignment).toBe('max-order')
    expect(d.contig.reclaim).toBe('migration-target')
    expect(d.compaction.freeRefcount).toBe('set-count-zero')
    expect(d.compaction.freepages).toBe('per-order')
  })

  it("buddy.mergeRule: 5.18+ 'mergeable' in every era; 'isolate-only' (≤5.17 __free_one_page) goes on the machine", () => {
    for (const era of ['6.1', '6.12', '2025']) {
      const m = machine(era)
      const d = resolveDesign(m, {})
      expect(designRecord(d)['buddy.mergeRule']).toBe('mergeable')
      applyMachineDesign(m, d)
      expect(m.mergeIsolateOnly).toBe(false)
      applyMachineDesign(m, resolveDesign(m, { 'buddy.mergeRule': 'isolate-only' }))
      expect(m.mergeIsolateOnly).toBe(true)
    }
  })

  it('rejects unknown keys and values, naming the field', () => {
    expect(() => parseDesignSpec({ 'contig.reclaim': 'kswapd' }, 'variants.a.design')).toThrow(
      /variants\.a\.design\.contig\.reclaim.*'migration-target', 'in-split-free-page', 'in-alloc-contig-range'/,
    )
    expect(() => parseDesignSpec({ nope: 1 }, 'machine.design')).toThrow(/unknown design key/)
    expect(() => parseDesignSpec([], 'machine.design')).toThrow(/must be an object/)
  })
})

describe('latency histograms (log2 buckets)', () => {
  it('bucket i holds [2^i, 2^(i+1)); percentiles are bucket upper bounds clipped to the max', () => {
    expect([0, 1, 2, 3, 4, 1023, 1024].map(log2Bucket)).toEqual([0, 0, 1, 1, 2, 9, 10])
    const hs = new HistogramSet()
    hs.addAll('x', [100, 100, 100, 5000])
    const h = hs.get('x')!
    expect(h).toMatchObject({ count: 4, sum: 5300, min: 100, max: 5000 })
    expect(h.buckets[6]).toBe(3) // 64..127
    expect(h.buckets[12]).toBe(1) // 4096..8191
    expect(histogramPercentile(h, 50)).toBe(127)
    expect(histogramPercentile(h, 99)).toBe(5000)
  })
})
