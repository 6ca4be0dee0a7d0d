import { it } from 'vitest'
import { readFileSync } from 'node:fs'
import { runW4 } from './w4'
import { formatW1Trace } from './w1'
it('dbg', () => {
  const root = 'resources/calibration/batch2/'
  const id = 'w4_612_m64_p128k16'
  const data = { record: JSON.parse(readFileSync(root + id + '.json', 'utf8')), startBuddyinfo: readFileSync(root + 'proc/' + id + '/start/buddyinfo', 'utf8'), startPagetypeinfo: readFileSync(root + 'proc/' + id + '/start/pagetypeinfo', 'utf8') }
  const r = runW4(data)
  console.log(r.deltas, r.trace.map(formatW1Trace), r.buddyinfo.fragmented, r.buddyinfo.compacted, r.nrFallback)
})
