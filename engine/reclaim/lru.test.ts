/**
 * The LRU lists (mm/swap.c: folio_add_lru, folio_mark_accessed, folio_activate) and their
 * tolerance of other modules changing PG_lru (migration's isolation and putback).
 */
import { describe, expect, it } from 'vitest'
import { checkInvariants } from '../mm/invariants'
import { PG_active, PG_referenced, pageFlags } from '../mm/memmap'
import { isolateLruFolio, putbackMovablePages } from '../migrate/isolate'
import { migratePages } from '../migrate/migratePages'
import { allocMigrationTarget } from '../migrate/target'
import { createSimClock } from '../migrate/simClock'
import { makeAnonLruFolio } from '../migrate/anonFolio'
import { DEFAULT_COST_MODEL } from '../sched/costModel'
import { allocPages } from '../mm/alloc'
import { GFP_HIGHUSER_MOVABLE } from '../mm/gfp'
import { reclaimEventCount } from './counters'
import {
  folioMarkAccessed,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  lruDel,
  lruOf,
  lruSync,
  nodeLruPages,
} from './lru'
import { anonFolio, fileFolio, reclaimTestMachine, unmapAndPut } from './testFixtures'
import { lruCounts } from './vmstat'

describe('LRU lists', () => {
  it('folio_add_lru puts folios at the head; counts follow in pages', () => {
    const m = reclaimTestMachine()
    const a = anonFolio(m)
    const f = fileFolio(m, 4)
    const l = lruOf(m)
    expect(l.head[LRU_INACTIVE_ANON]).toBe(a)
    expect(l.head[LRU_INACTIVE_FILE]).toBe(f)
    expect(lruCounts(m)).toMatchObject({ inactive_anon: 1, inactive_file: 16, active_file: 0 })
    const b = anonFolio(m)
    expect(l.head[LRU_INACTIVE_ANON]).toBe(b)
    expect(l.tail[LRU_INACTIVE_ANON]).toBe(a)
    lruDel(m, a)
    expect(l.tail[LRU_INACTIVE_ANON]).toBe(b)
    expect(nodeLruPages(m, 0, LRU_INACTIVE_ANON)).toBe(1)
  })

  it('folio_mark_accessed: inactive,unreferenced → referenced → active', () => {
    const m = reclaimTestMachine()
    const f = fileFolio(m)
    folioMarkAccessed(m, f)
    expect(pageFlags(m, f) & (PG_referenced | PG_active)).toBe(PG_referenced)
    folioMarkAccessed(m, f)
    expect(pageFlags(m, f) & (PG_referenced | PG_active)).toBe(PG_active)
    expect(lruOf(m).head[LRU_ACTIVE_FILE]).toBe(f)
    expect(reclaimEventCount(m, 'pgactivate')).toBe(1)
  })

  it('follows migration: the destination replaces the source on the lists', () => {
    const m = reclaimTestMachine()
    const src = anonFolio(m)
    expect(isolateLruFolio(m, src)).toBe(true)
    const from = [src]
    const clock = createSimClock()
    const getNew = allocMigrationTarget(m, { clock, cost: DEFAULT_COST_MODEL })
    const st = migratePages(m, from, getNew, null, {
      mode: 'sync',
      reason: 'compaction',
      clock,
      cost: DEFAULT_COST_MODEL,
    })
    expect(st.nrSucceeded).toBe(1)
    const l = lruOf(m)
    const dst = l.head[LRU_INACTIVE_ANON]
    expect(dst).not.toBe(src)
    expect(l.list[src]).toBe(-1)
    expect(lruCounts(m).inactive_anon).toBe(1)
    expect(checkInvariants(m)).toBeNull()
  })

  it('lruSync links LRU folios made behind its back; isolation elsewhere keeps the entry', () => {
    const m = reclaimTestMachine()
    const a = anonFolio(m)
    const hidden = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    makeAnonLruFolio(m, hidden)
    expect(isolateLruFolio(m, a)).toBe(true)
    lruSync(m)
    expect(lruOf(m).list[hidden]).toBe(LRU_INACTIVE_ANON)
    // Isolated by another module: still linked, so its putback needs no notice.
    expect(lruOf(m).list[a]).toBe(LRU_INACTIVE_ANON)
    putbackMovablePages(m, [a])
    expect(lruCounts(m).inactive_anon).toBe(2)
    // Freed behind our back: dropped by the next sync.
    unmapAndPut(m, hidden)
    lruSync(m)
    expect(lruOf(m).list[hidden]).toBe(-1)
    expect(lruCounts(m).inactive_anon).toBe(1)
    expect(checkInvariants(m)).toBeNull()
  })
})
