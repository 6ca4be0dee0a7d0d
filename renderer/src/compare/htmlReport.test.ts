import { describe, expect, it } from 'vitest'
import { makeExperiment } from '../../../protocol/results/experiment'
import type { RunResult } from '../../../protocol/result'
import { buildComparison } from './comparison'
import { buildHtmlReport } from './htmlReport'

function run(variant: string, seed: number, stall: number): RunResult {
  return {
    schemaVersion: 1,
    script: 'frag.ts',
    seed,
    variant,
    machine: {},
    simTimeNs: 1e6,
    series: { latencyNs: [[0, 100 + seed]] },
    vmstat: { compact_stall: stall, nr_free_pages: 100 },
    proc: {},
    log: [],
    wall: { elapsedMs: 1 },
  }
}

describe('HTML report', () => {
  const exp = makeExperiment(
    'frag.ts',
    ['base', 'noboost'],
    [1, 2],
    [run('base', 1, 10), run('base', 2, 12), run('noboost', 1, 3), run('noboost', 2, 4)],
  )
  const html = buildHtmlReport({
    comparison: buildComparison(exp),
    colours: new Map([
      ['base', '#4e9af1'],
      ['noboost', '#f28e2b'],
    ]),
    charts: [{ title: 'A <chart>', png: 'data:image/png;base64,AAAA' }],
    createdWith: 'mmwb test',
    generatedAt: new Date(0),
  })
  it('is self-contained: no scripts, no external URLs', () => {
    expect(html).not.toMatch(/<script|<link|src="http|href="http|url\(/i)
    expect(html).toContain('src="data:image/png;base64,AAAA"')
  })
  it('lists every variant and metric, escapes text, marks the significant change', () => {
    expect(html).toContain('>base</th>')
    expect(html).toContain('>noboost</th>')
    expect(html).toContain('latencyNs mean (ns)')
    expect(html).toContain('compact_stall')
    expect(html).toContain('A &#60;chart&#62;')
    // 11 vs 3.5 with a tight spread: a significant drop of 68.18%.
    expect(html).toMatch(/class="significant">\*-68\.18%\*/)
  })
})
