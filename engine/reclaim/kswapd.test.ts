/**
 * mm/vmscan.c:kswapd: balance_pgdat reclaims until a zone meets HIGH (+ boost) at the order,
 * pgdat_balanced stops it; boosted reclaim neither writes nor swaps and resets the boost;
 * wakeup_kswapd leaves a balanced node asleep.
 */
import { describe, expect, it } from 'vitest'
import { checkInvariants } from '../mm/invariants'
import { PAGE_ALLOC, pageFlags } from '../mm/memmap'
import { ZONE_NORMAL } from '../mm/zoneType'
import { reclaimEventCount } from './counters'
import { kswapdRun, pgdatBalanced, wakeupKswapd } from './kswapd'
import { swapon } from './swap'
import { anonFolio, fileFolio, fillUntilFree, reclaimTestMachine, testEnv } from './testFixtures'

describe('kswapd', () => {
  it('reclaims to the HIGH watermark and stops there', () => {
    const m = reclaimTestMachine()
    const z = m.zones[0]
    fillUntilFree(m, z.wmarkMin, () => fileFolio(m))
    expect(pgdatBalanced(m, 0, 0, ZONE_NORMAL)).toBe(false)
    const env = testEnv()
    const r = kswapdRun(m, 0, ZONE_NORMAL, env)
    expect(r.balanced).toBe(true)
    expect(z.nrFreePages).toBeGreaterThan(z.wmarkHigh)
    // One kswapd_shrink_node round aims at max(HIGH, SWAP_CLUSTER_MAX) pages, not the whole LRU.
    expect(z.nrFreePages).toBeLessThanOrEqual(z.wmarkMin + 2 * z.wmarkHigh + 32)
    expect(reclaimEventCount(m, 'pgsteal_kswapd')).toBe(r.nrReclaimed)
    expect(reclaimEventCount(m, 'pgscan_kswapd')).toBeGreaterThanOrEqual(r.nrReclaimed)
    expect(reclaimEventCount(m, 'pgsteal_direct')).toBe(0)
    expect(reclaimEventCount(m, 'pageoutrun')).toBe(r.runs)
    expect(r.durationNs).toBeGreaterThan(0)
    // Balanced: a second wakeup does not run kswapd.
    expect(wakeupKswapd(m, 0, 0xcc0, 0, ZONE_NORMAL, { ...env, kswapdMode: 'inline' })).toBeNull()
    expect(checkInvariants(m)).toBeNull()
  })

  it('boosted reclaim (node balanced even with the boost) skips swap and resets the boost', () => {
    // Large enough that DEF_PRIORITY scans something (lru_size >> 12).
    const m = reclaimTestMachine('6.12', { zones: [{ type: 'Normal', sizeMiB: 1024 }] })
    const z = m.zones[0]
    swapon(m, { nrPages: 8192, synchronousIo: true })
    const anon = fillUntilFree(m, z.wmarkHigh + 600 + 100_000, () => anonFolio(m))
    const files = Array.from({ length: 100_000 }, () => fileFolio(m))
    // balance_pgdat does boosted reclaim only while pgdat_balanced (HIGH + boost) holds;
    // wakeup_kswapd wakes it for the boost alone (pgdat_watermark_boosted).
    z.watermarkBoost = 512
    expect(pgdatBalanced(m, 0, 0, ZONE_NORMAL)).toBe(true)
    const r = wakeupKswapd(m, 0, 0, 0, ZONE_NORMAL, testEnv({ kswapdMode: 'inline' }))
    if (r === null) throw new Error('kswapd did not run')
    expect(r.nrReclaimed).toBeGreaterThanOrEqual(512)
    expect(z.watermarkBoost).toBe(0)
    expect(reclaimEventCount(m, 'pswpout')).toBe(0)
    expect(anon.every((p) => (pageFlags(m, p) & PAGE_ALLOC) !== 0)).toBe(true)
    expect(files.some((p) => (pageFlags(m, p) & PAGE_ALLOC) === 0)).toBe(true)
    expect(checkInvariants(m)).toBeNull()
  })

  it('an unboosted node below HIGH with only anon memory swaps', () => {
    const m = reclaimTestMachine()
    const z = m.zones[0]
    swapon(m, { nrPages: 16384, synchronousIo: true })
    fillUntilFree(m, z.wmarkMin, () => anonFolio(m))
    const r = kswapdRun(m, 0, ZONE_NORMAL, testEnv())
    expect(r.balanced).toBe(true)
    expect(reclaimEventCount(m, 'pswpout')).toBe(r.nrReclaimed)
    expect(checkInvariants(m)).toBeNull()
  })
})
