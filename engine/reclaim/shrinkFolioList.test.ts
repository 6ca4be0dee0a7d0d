/**
 * mm/vmscan.c:shrink_folio_list through try_to_free_pages: clean page cache is dropped, dirty
 * page cache goes to writeback and is freed on a later pass, anon goes to swap; unevictable,
 * pinned and extra-referenced folios stay.
 */
import { describe, expect, it } from 'vitest'
import { folioPin, folioTryGet } from '../mm/folio'
import { GFP_KERNEL } from '../mm/gfp'
import { checkInvariants } from '../mm/invariants'
import {
  PAGE_ALLOC,
  PG_mlocked,
  PG_reclaim,
  PG_writeback,
  pageFlags,
  setPageFlags,
} from '../mm/memmap'
import { vmEventCount } from '../mm/vmstat'
import { VM_NR_WRITEBACK } from '../mm/vmstatItems'
import { reclaimEventCount } from './counters'
import { tryToFreePages } from './directReclaim'
import { lruAdd } from './lru'
import { lruCounts as lruCountsOf } from './vmstat'
import { onFolioUnmapped } from './observers'
import { swapon, swapUsage } from './swap'
import { anonFolio, fileFolio, reclaimTestMachine, testEnv } from './testFixtures'

const alive = (m: ReturnType<typeof reclaimTestMachine>, pfn: number): boolean =>
  (pageFlags(m, pfn) & PAGE_ALLOC) !== 0

describe('try_to_free_pages / shrink_folio_list', () => {
  it('drops clean page cache (SWAP_CLUSTER_MAX per call), oldest first', () => {
    const m = reclaimTestMachine()
    const env = testEnv()
    const folios = Array.from({ length: 8000 }, () => fileFolio(m))
    const free0 = m.zones[0].nrFreePages
    const nr = tryToFreePages(m, GFP_KERNEL, 0, env)
    expect(nr).toBeGreaterThanOrEqual(32)
    expect(m.zones[0].nrFreePages - free0).toBe(nr)
    expect(reclaimEventCount(m, 'pgsteal_direct')).toBe(nr)
    expect(reclaimEventCount(m, 'pgscan_direct')).toBeGreaterThanOrEqual(nr)
    expect(reclaimEventCount(m, 'allocstall_normal')).toBe(1)
    // The LRU tail holds the oldest folios: the first ones added go first.
    expect(alive(m, folios[0])).toBe(false)
    expect(alive(m, folios[folios.length - 1])).toBe(true)
    expect(env.clock.nowNs).toBeGreaterThan(0)
    expect(checkInvariants(m)).toBeNull()
  })

  it('starts writeback on dirty page cache and frees it after the IO completed', () => {
    const m = reclaimTestMachine()
    // A slow disk: no IO completes while the first call scans.
    const env = testEnv({ reclaimCost: { writebackLatencyNs: 50_000_000 } })
    const folios = Array.from({ length: 8000 }, () => fileFolio(m, 0, { dirty: true }))
    const nr1 = tryToFreePages(m, GFP_KERNEL, 0, env)
    expect(nr1).toBe(0)
    const underWb = folios.filter((p) => (pageFlags(m, p) & PG_writeback) !== 0)
    expect(underWb.length).toBeGreaterThan(0)
    expect(underWb.every((p) => (pageFlags(m, p) & PG_reclaim) !== 0)).toBe(true)
    expect(vmEventCount(m, VM_NR_WRITEBACK)).toBe(underWb.length)
    // The reclaimer was throttled until the first IO completed.
    expect(env.clock.nowNs).toBeGreaterThanOrEqual(50_000_000)
    const nr2 = tryToFreePages(m, GFP_KERNEL, 0, env)
    expect(nr2).toBeGreaterThanOrEqual(32)
    expect(underWb.some((p) => !alive(m, p))).toBe(true)
    expect(reclaimEventCount(m, 'pgrotated')).toBeGreaterThan(0)
    expect(checkInvariants(m)).toBeNull()
  })

  it('swaps anon folios out (synchronous swap device) and tells the page-table owner', () => {
    const m = reclaimTestMachine()
    const env = testEnv()
    swapon(m, { nrPages: 4096, synchronousIo: true })
    const unmapped: [number, number][] = []
    onFolioUnmapped(m, (head, _nr, slot) => unmapped.push([head, slot]))
    Array.from({ length: 8000 }, () => anonFolio(m))
    const nr = tryToFreePages(m, GFP_KERNEL, 0, env)
    expect(nr).toBeGreaterThanOrEqual(32)
    expect(reclaimEventCount(m, 'pswpout')).toBe(nr)
    expect(swapUsage(m).usedPages).toBe(nr)
    expect(unmapped.length).toBe(nr)
    expect(new Set(unmapped.map(([, s]) => s)).size).toBe(nr)
    expect(unmapped.every(([h]) => !alive(m, h))).toBe(true)
    expect(checkInvariants(m)).toBeNull()
  })

  it('async swap: written in one pass, freed in a later one', () => {
    const m = reclaimTestMachine()
    const env = testEnv({ reclaimCost: { swapWriteLatencyNs: 50_000_000 } })
    // Larger than the anon memory: with a full swap device anon lists are not scanned at all.
    swapon(m, { nrPages: 16384 })
    Array.from({ length: 8000 }, () => anonFolio(m))
    expect(tryToFreePages(m, GFP_KERNEL, 0, env)).toBe(0)
    expect(reclaimEventCount(m, 'pswpout')).toBeGreaterThan(0)
    expect(tryToFreePages(m, GFP_KERNEL, 0, env)).toBeGreaterThan(0)
    expect(checkInvariants(m)).toBeNull()
  })

  it('does not scan anon without swap; keeps mlocked, pinned and extra-referenced folios', () => {
    const m = reclaimTestMachine()
    const env = testEnv()
    const anon = Array.from({ length: 4000 }, () => anonFolio(m))
    const mlocked = fileFolio(m)
    setPageFlags(m, mlocked, pageFlags(m, mlocked) | PG_mlocked)
    lruAdd(m, mlocked)
    const spec = fileFolio(m)
    folioTryGet(m, spec)
    const pinned = fileFolio(m)
    folioPin(m, pinned)
    // Make them the oldest: everything else goes first only if they are skipped.
    for (let i = 0; i < 3; i++) tryToFreePages(m, GFP_KERNEL, 0, env)
    expect(anon.every((p) => alive(m, p))).toBe(true)
    expect(reclaimEventCount(m, 'pswpout')).toBe(0)
    expect(alive(m, mlocked) && alive(m, spec) && alive(m, pinned)).toBe(true)
    expect(lruCountsOf(m).unevictable).toBe(1)
    expect(checkInvariants(m)).toBeNull()
  })
})
