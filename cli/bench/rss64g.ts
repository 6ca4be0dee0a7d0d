/**
 * Workload `rss-64g`: peak resident set size of a fresh Node process that creates a 64 GiB
 * machine (16,777,216 pages), measured in a child process (`process.resourceUsage().maxRSS`)
 * so the benchmark runner's own memory does not count. Target: under 1.5 GiB. Typed arrays
 * are committed lazily, so a fresh machine touches little; `peak_rss_filled_mib` is the peak
 * after every page has been allocated (every page's state written).
 */
import { execFileSync } from 'node:child_process'
import * as path from 'node:path'

export interface RssResult {
  bench: string
  peak_rss_mib: number
  peak_rss_filled_mib: number
  pages: number
  create_s: number
  target_mib: number
}

export function runRss64g(): RssResult {
  const child = path.join(__dirname, 'rss64gChild.ts')
  const out = execFileSync(process.execPath, ['-r', 'sucrase/register/ts', child], {
    encoding: 'utf8',
  })
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
    pages: number
    create_s: number
    max_rss_kib: number
    max_rss_filled_kib: number
  }
  return {
    bench: 'rss-64g',
    peak_rss_mib: Math.round(r.max_rss_kib / 1024),
    peak_rss_filled_mib: Math.round(r.max_rss_filled_kib / 1024),
    pages: r.pages,
    create_s: r.create_s,
    target_mib: 1536,
  }
}
