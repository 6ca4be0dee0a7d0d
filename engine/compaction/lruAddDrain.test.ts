/**
 * mm/compaction.c:compact_zone (6.1 and 6.12) starts with `lru_add_drain()`, which flushes this
 * CPU's LRU folio batches and no per-cpu free pages; only `check_drain`'s
 * `lru_add_drain_cpu_zone` (after migrating from a `cc->order` block) drains them, and
 * `compact_node` drains nothing either (`lru_add_drain_all`).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { freePages } from '../mm/free'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { compactNode } from './entry'
import { layoutMachine, testEnv } from './testFixtures'

let m: Machine
afterEach(() => expect(checkInvariants(m)).toBeNull())

describe('lru_add_drain at the start of compact_zone', () => {
  it('leaves the per-cpu free lists alone when nothing is migrated', () => {
    m = layoutMachine({ pcp: true })
    // Eight kernel pages freed: they stay on CPU 0's per-cpu list (count below high).
    for (let p = 4096; p < 4104; p++) freePages(m, p, 0)
    expect(m.pcpCount[0]).toBe(8)
    const results = compactNode(m, testEnv(), 0)
    expect(results).toEqual(['complete'])
    expect(m.pcpCount[0]).toBe(8)
  })
})
