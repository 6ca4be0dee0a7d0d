import { it } from 'vitest'
import { GFP_HIGHUSER_MOVABLE, type Machine } from '../mm'
import { CURRENT_REALM } from '../sched/realm'
import { buildGuest } from './guestKernel'
import type { Kernel } from './mmwb'
import { WorkloadRun } from './run'
import { MMWB_CONSTANTS } from './runtime'
it('perf', async () => {
  const run = new WorkloadRun({ seed: 1, realm: CURRENT_REALM, log: () => {} })
  const guest = buildGuest(run.sys, { ...MMWB_CONSTANTS })
  guest.setConstants(run.start({ machine: { memoryMiB: 512, nrCpus: 2, kernelEra: '6.12', pcp: false }, default(k: Kernel) {
    let t = Date.now(); let n = 0
    for (;;) { const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0); if (!f) break; n++
      if (n % 20000 === 0) { console.log(n, Date.now() - t); } }
    console.log('fill', n, Date.now() - t)
    t = Date.now(); k.allocPages(GFP_HIGHUSER_MOVABLE, 0); console.log('one fail', Date.now() - t)
  } }, guest.kernel))
  while (!run.check()) { run.step(); await new Promise((r) => setImmediate(r)) }
}, 120000)
