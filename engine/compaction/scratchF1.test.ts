import { test } from 'vitest'
import { createMachine } from '../mm/boot'
import { parseMachineConfig } from '../mm/config'
import { allocPages } from '../mm/alloc'
import { GFP_HIGHUSER_MOVABLE, GFP_TRANSHUGE, __GFP_COMP } from '../mm/gfp'
import { NO_PAGE, PAGE_ALLOC, PG_lru, PG_head, PG_INFO } from '../mm/memmap'
import { makeAnonLruFolio } from '../migrate/anonFolio'
import { folioPutLru } from '../migrate/isolate'
import { nrIsolated } from '../migrate/counters'
import { allocPagesDirectCompact, compactMemory } from './entry'
import { testEnv } from './testFixtures'
import { COMPACT_PRIO_ASYNC, COMPACT_PRIO_SYNC_LIGHT } from './types'
import { ALLOC_WMARK_MIN } from '../mm/allocFlags'
import { compactZone } from './compactZone'

function rng(seed: number) { let a = seed; return () => { a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296 } }

test('scratch', () => {
  const m = createMachine(parseMachineConfig({ zones: [{ nid: 0, type: 'Normal', sizeMiB: 64 }], pcp: false, debugVm: true, kernelEra: '6.12', thpRecommendedMinFree: false, minFreeKbytes: 128 }))
  const r = rng(2)
  const folios: number[] = []
  for (let i = 0; ; i++) {
    let f = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, i % 10 === 9 ? 0 : 4)
    if (f === NO_PAGE) f = allocPages(m, GFP_HIGHUSER_MOVABLE, 0)
    if (f === NO_PAGE) break
    makeAnonLruFolio(m, f, 1)
    folios.push(f)
  }
  for (let i = folios.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [folios[i], folios[j]] = [folios[j], folios[i]] }
  for (const f of folios.splice(folios.length >> 1)) { m.mapcount[f] = 0; folioPutLru(m, f) }
  console.log('free', m.zones.map(z=>[z.type,z.nrFreePages,z.managedPages,z.wmarkLow]), folios.length)
  const env = testEnv({ variants: { freepages: 'per-order', largeFolios: 'migrate' } })
  const wrapped = env
  const leaked = () => { const out: number[] = []; for (let p = 0; p < m.endPfn; p++) { const f = m.pg[p << 2]; if ((f & PAGE_ALLOC) && m.refcount[p] > 0 && !(f & PG_lru) && (m.mapcount[p] > 0)) out.push(p) } return out }
  for (let i = 0; i < 12; i++) {
    for (const prio of [COMPACT_PRIO_ASYNC, COMPACT_PRIO_SYNC_LIGHT] as const) {
      const res = allocPagesDirectCompact(m, wrapped, GFP_TRANSHUGE, 9, ALLOC_WMARK_MIN, prio)
      const iso = nrIsolated(m, 0)
      console.log(i, prio, res.result, res.pfn, iso, leaked().slice(0, 5).map((p) => [p, m.pg[p << 2] & PG_head ? m.pg[(p << 2) + PG_INFO] & 0xff : 0, m.refcount[p]]))
      if (res.pfn !== NO_PAGE) break
    }
  }
  compactMemory(m, env)
  console.log('cm', nrIsolated(m, 0), leaked().length)
})
