import { describe, expect, it } from 'vitest'
import {
  GFP_ATOMIC,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  __GFP_COMP,
  __GFP_RECLAIMABLE,
  allocPages,
  checkInvariants,
  createMachine,
  drainAllPages,
  freePages,
  parseMachineConfig,
  zoneInfo,
  type Machine,
} from '../mm'
import { formatBuddyinfo } from './buddyinfo'
import { importMachine } from './importApply'
import { formatPagetypeinfo } from './pagetypeinfo'

/** xorshift32, seeded: deterministic workloads. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 2 ** 32
  }
}

const ORDERS = [0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 9]
const GFPS = [
  GFP_HIGHUSER_MOVABLE,
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  GFP_KERNEL | __GFP_RECLAIMABLE,
]

/** A fragmented state made by the engine's own allocator (fallbacks, steals, highatomic). */
function churn(kernelEra: string, seed: number, pAlloc: number): Machine {
  const m = createMachine(parseMachineConfig({ memoryMiB: 256, kernelEra, nrCpus: 2 }))
  const next = rng(seed)
  const live: [number, number][] = []
  for (let step = 0; step < 6000; step++) {
    if (live.length === 0 || next() < pAlloc) {
      const order = ORDERS[Math.floor(next() * ORDERS.length)]
      const atomic = next() < 0.03
      const gfp = atomic ? GFP_ATOMIC | __GFP_COMP : GFPS[Math.floor(next() * GFPS.length)]
      const pfn = allocPages(m, gfp, atomic ? 2 : order)
      if (pfn >= 0) live.push([pfn, atomic ? 2 : order])
    } else {
      const i = Math.floor(next() * live.length)
      const [pfn, order] = live[i]
      live[i] = live[live.length - 1]
      live.pop()
      freePages(m, pfn, order)
    }
  }
  drainAllPages(m, null)
  return m
}

describe('import round trip on states the engine itself produces', () => {
  for (const kernelEra of ['6.1', '6.12']) {
    for (const [seed, pAlloc] of [
      [1, 0.6],
      [2, 0.6],
      [3, 0.52],
      [4, 0.52],
    ]) {
      it(`era ${kernelEra}, seed ${seed}: import(print(state)) prints the same files`, () => {
        // pAlloc 0.6 fills memory up; 0.52 leaves a fragmented half.
        const src = churn(kernelEra, seed, pAlloc)
        const zones = zoneInfo(src)
        const buddyinfo = formatBuddyinfo(zones)
        const pagetypeinfo = formatPagetypeinfo(zones, { pageblockOrder: 9 })
        const m = importMachine(buddyinfo, pagetypeinfo, {
          geometry: src.zones.map((z) => ({
            nid: z.nid,
            name: z.name,
            startPfn: z.startPfn,
            spannedPages: z.spannedPages,
          })),
          // Before 6.10 split remainders stay on the allocation's list in foreign pageblocks.
          mixedLists: kernelEra === '6.1',
          config: { kernelEra },
        })
        expect(checkInvariants(m)).toBeNull()
        const after = zoneInfo(m)
        expect(formatBuddyinfo(after)).toBe(buddyinfo)
        expect(formatPagetypeinfo(after, { pageblockOrder: 9 })).toBe(pagetypeinfo)
      })
    }
  }
})
