/**
 * The drop-in for engine/contig's stand-in `reclaimPages` and swap-in (mm/memory.c:do_swap_page).
 */
import { describe, expect, it } from 'vitest'
import { GFP_KERNEL } from '../mm/gfp'
import { checkInvariants } from '../mm/invariants'
import { NO_PAGE } from '../mm/memmap'
import { reclaimEventCount } from './counters'
import { reclaimPages, tryToFreePages } from './directReclaim'
import { onFolioUnmapped } from './observers'
import { swapon, swapUsage } from './swap'
import { swapinFolio } from './swapin'
import { anonFolio, fileFolio, reclaimTestMachine, testEnv } from './testFixtures'

describe('reclaimPages (engine/contig) and swap-in', () => {
  it('reclaims at least the pages asked for from the target zone, then drains', () => {
    const m = reclaimTestMachine()
    Array.from({ length: 8000 }, () => fileFolio(m))
    const free0 = m.zones[0].nrFreePages
    const r = reclaimPages(m, m.zones[0], 300, testEnv())
    expect(r.nrReclaimed).toBeGreaterThanOrEqual(300)
    expect(r.nrOtherZones).toBe(0)
    expect(m.zones[0].nrFreePages - free0).toBe(r.nrReclaimed)
    expect(checkInvariants(m)).toBeNull()
  })

  it('a swapped-out page faults back in from its slot (pswpin), freeing the slot', () => {
    const m = reclaimTestMachine()
    swapon(m, { nrPages: 16384, synchronousIo: true })
    const slots: number[] = []
    onFolioUnmapped(m, (_h, _nr, slot) => slots.push(slot))
    Array.from({ length: 8000 }, () => anonFolio(m))
    const env = testEnv()
    const nr = tryToFreePages(m, GFP_KERNEL, 0, env)
    expect(swapUsage(m).usedPages).toBe(nr)
    const t0 = env.clock.nowNs
    const r = swapinFolio(m, slots[0], env)
    expect(r.pfn).not.toBe(NO_PAGE)
    expect(env.clock.nowNs - t0).toBeGreaterThanOrEqual(100_000)
    expect(reclaimEventCount(m, 'pswpin')).toBe(1)
    expect(swapUsage(m).usedPages).toBe(nr - 1)
    expect(checkInvariants(m)).toBeNull()
  })
})
