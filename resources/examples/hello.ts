/**
 * hello.ts: the smallest useful workload.
 *
 * Allocates blocks of orders 0 to 3 in turn, frees every other one, and records the number
 * of free pages as it goes. Blocks of order <= 3 are freed to the per-cpu lists first (as in
 * the kernel), so most of the holes never reach the buddy lists; what /proc/buddyinfo shows
 * at the end is the split-up remainder of the blocks the allocator carved them from.
 *
 * Run it:  npx mmwb run resources/examples/hello.ts
 */
import { GFP_KERNEL, type Folio, type Kernel, type MachineSpec } from 'mmwb'

/** A small machine so that /proc/buddyinfo stays readable: 256 MiB, 2 CPUs. */
export const machine: MachineSpec = { memoryMiB: 256, nrCpus: 2 }

export default async function (k: Kernel) {
  const kept: Folio[] = []
  for (let i = 0; i < 2048; i++) {
    const order = i % 4
    const folio = k.allocPages(GFP_KERNEL, order)
    if (folio === null) throw new Error(`order-${order} allocation ${i} failed`)
    // Keep every other block, free the rest: the freed blocks' buddies stay allocated.
    if (i % 2 === 0) kept.push(folio)
    else k.folioPut(folio)
    if (i % 64 === 0) {
      k.record('nr_free_pages', k.vmstat('nr_free_pages'))
      await k.sleep(1_000) // let 1 µs of simulated time pass between bursts
    }
    k.progress(i / 2048)
  }
  k.record('nr_free_pages', k.vmstat('nr_free_pages'))
  console.log(`holding ${kept.length} folios at ${k.now()} ns`)
  console.log(k.proc.buddyinfo())
}
