/**
 * Reclaim counts and traces through engine/mm's registry: /proc/vmstat prints pgscan_*,
 * pgsteal_*, pageoutrun and the LRU gauges (mm/vmstat.c:vmstat_text order, node items
 * NR_INACTIVE_ANON … kept by update_lru_size), and the vmscan/oom tracepoints reach
 * engine/mm's traceSubscribe.
 */
import { describe, expect, it } from 'vitest'
import { traceSubscribe } from '../mm/trace'
import { vmstat } from '../mm/vmstat'
import { ZONE_NORMAL } from '../mm/zoneType'
import { VMSTAT_ORDER } from '../proc/vmstat'
import { kswapdRun } from './kswapd'
import { lruCounts } from './vmstat'
import { RECLAIM_EVENT_NAMES } from './counters'
import { fileFolio, fillUntilFree, reclaimTestMachine, testEnv } from './testFixtures'

describe("reclaim in engine/mm's registry", () => {
  it('vmstat(m) prints every reclaim counter and LRU gauge in vmstat_text order', () => {
    const m = reclaimTestMachine()
    fillUntilFree(m, m.zones[0].wmarkMin, () => fileFolio(m))
    const seen: string[] = []
    const off = traceSubscribe(m, 'mm_vmscan_kswapd_wake', (ev) =>
      seen.push(`${ev.nid}:${ev.order}`),
    )
    const r = kswapdRun(m, 0, ZONE_NORMAL, testEnv())
    off()
    const lines = vmstat(m)
    const names = lines.map(([n]) => n)
    const rank = names.map((n) => VMSTAT_ORDER.indexOf(n))
    expect(rank.every((x) => x >= 0)).toBe(true)
    expect([...rank].sort((a, b) => a - b)).toEqual(rank)
    for (const n of RECLAIM_EVENT_NAMES) expect(names).toContain(n)
    const v = new Map(lines)
    expect(v.get('pgsteal_kswapd')).toBe(r.nrReclaimed)
    expect(v.get('pageoutrun')).toBe(r.runs)
    // update_lru_size: the node gauges follow the lists; the zone items sum to the same.
    const c = lruCounts(m)
    expect(v.get('nr_inactive_file')).toBe(c.inactive_file)
    expect(v.get('nr_zone_inactive_file')).toBe(c.inactive_file)
    expect(c.inactive_file + c.active_file).toBeGreaterThan(0)
    expect(seen).toEqual(['0:0'])
  })
})
