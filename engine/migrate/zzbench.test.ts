import { it } from 'vitest'
import { testMachine } from '../mm/testing'
import { allocPages, GFP_HIGHUSER_MOVABLE } from '../mm'
import { isolatedAnonFolios, testClock, testCost } from './testFixtures'
import { migratePages } from '.'
it('bench', () => {
  const m = testMachine({ zones: [{ type: 'Normal', sizeMiB: 2048 }], debugVm: false })
  const folios = isolatedAnonFolios(m, 200_000)
  const pool: number[] = []
  for (let i = 0; i < 200_000; i++) pool.push(allocPages(m, GFP_HIGHUSER_MOVABLE, 0))
  const clock = testClock()
  const get = () => pool.pop() as number
  const t0 = Date.now()
  let ok = 0
  for (let i = 0; i < folios.length; i += 32) {
    const st = migratePages(m, folios.slice(i, i + 32), get, null, { mode: 'sync-light', reason: 'compaction', clock, cost: testCost })
    ok += st.nrSucceeded
  }
  console.log('migrated', ok, 'wall ms', Date.now() - t0, 'sim ns', clock.nowNs)
})
