/**
 * The script a fresh workbench shows: short, and it exercises what a first run should show —
 * a recorded series on the chart and a fragmented /proc/buddyinfo.
 */
export const DEFAULT_SCRIPT_PATH = 'scripts/hello.ts'

export const DEFAULT_SCRIPT = `// A workload: the default export receives the simulated kernel.
// Churn allocations of mixed orders; chart nr_free_pages over
// simulated time, then print the fragmented /proc/buddyinfo.
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL } from 'mmwb'
import type { Folio, Kernel, MachineSpec } from 'mmwb'

export const machine: MachineSpec = { memoryMiB: 256 }

export default async function (k: Kernel) {
  const held: Folio[] = []
  for (let step = 0; step < 4000; step++) {
    if (held.length === 0 || k.rng.float() < 0.6) {
      // A quarter unmovable, the rest movable user pages.
      const unmovable = k.rng.float() < 0.25
      const gfp = unmovable ? GFP_KERNEL : GFP_HIGHUSER_MOVABLE
      const folio = k.allocPages(gfp, k.rng.int(4))
      if (folio) held.push(folio)
    } else {
      const i = k.rng.int(held.length)
      k.freePages(held[i])
      held[i] = held[held.length - 1]
      held.pop()
    }
    if (step % 40 === 0) {
      k.record('nr_free_pages', k.vmstat('nr_free_pages'))
      await k.sleep(50_000) // 50 µs of simulated time
    }
  }
  console.log(k.proc.buddyinfo())
}
`
