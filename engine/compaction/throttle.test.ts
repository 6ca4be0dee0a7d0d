/**
 * compaction.c:too_many_isolated in isolate_migratepages_block: more pages isolated on the node
 * than half its LRU pages stops an async scan (or one already holding pages) with -EAGAIN and
 * throttles a sync one. [6.5+] a __GFP_FS compactor compares with an eighth of the LRU.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type KernelEra } from '../mm/config'
import { GFP_KERNEL, GFP_NOFS } from '../mm/gfp'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { MIGRATE_MOVABLE } from '../mm/migratetype'
import { isolateLruFolio, putbackMovablePages } from '../migrate/isolate'
import { EAGAIN } from '../migrate/types'
import { isolateMigratepagesBlock } from './migrateScanner'
import { THROTTLE_ISOLATED_NS, tooManyIsolated } from './throttle'
import { anonAt, layoutMachine, testEnv } from './testFixtures'
import {
  type CompactControl,
  createCompactControl,
  defaultCompactionVariants,
  type MigrateMode,
} from './types'

let m: Machine
let held: number[] = []
afterEach(() => {
  putbackMovablePages(m, held)
  expect(checkInvariants(m)).toBeNull()
})

/** 100 LRU pages in block 1, the first `isolated` of them isolated by "another task". */
function setup(era: KernelEra, isolated: number): void {
  m = layoutMachine({ kernelEra: era })
  for (let p = 512; p < 612; p++) anonAt(m, p)
  held = []
  for (let p = 512; p < 512 + isolated; p++) if (isolateLruFolio(m, p)) held.push(p)
}

function control(mode: MigrateMode, gfp: number): CompactControl {
  const cc = createCompactControl(m, 0, 9, mode, defaultCompactionVariants(m))
  cc.gfpMask = gfp
  cc.migratetype = MIGRATE_MOVABLE
  cc.ignoreSkipHint = true
  return cc
}

describe('too_many_isolated', () => {
  it('compares isolated pages with half the LRU; [6.5+] an eighth of it for __GFP_FS', () => {
    // 10 isolated, 90 still on the LRU.
    setup('6.1', 10)
    expect(tooManyIsolated(m, control('sync', GFP_KERNEL))).toBe(false) // 10 > 45? no
    putbackMovablePages(m, held)
    setup('6.12', 10)
    expect(tooManyIsolated(m, control('sync', GFP_KERNEL))).toBe(true) // 10 > (90 >> 3) / 2 = 5
    expect(tooManyIsolated(m, control('sync', GFP_NOFS))).toBe(false) // GFP_NOFS: 10 > 45? no
  })

  it('async: isolate_migratepages_block returns -EAGAIN without isolating', () => {
    setup('6.1', 40) // 40 > 60 / 2
    const cc = control('async', GFP_KERNEL)
    expect(isolateMigratepagesBlock(m, testEnv(), cc, 512, 1024, 0)).toBe(-EAGAIN)
    expect(cc.migratepages).toEqual([])
  })

  it('sync, nothing held: throttles (HZ/50) and scans', () => {
    setup('6.1', 40)
    const cc = control('sync', GFP_KERNEL)
    const env = testEnv()
    expect(isolateMigratepagesBlock(m, env, cc, 512, 1024, 0)).toBe(0)
    expect(env.clock.nowNs).toBeGreaterThanOrEqual(THROTTLE_ISOLATED_NS)
    expect(cc.migratepages.length).toBe(32)
    held.push(...cc.migratepages)
  })
})
