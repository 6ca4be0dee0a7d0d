/**
 * lock-contention.ts: two tasks contend for one folio's PG_locked.
 *
 * A "writer" task on CPU 0 repeatedly locks a page-cache folio, dirties it, starts writeback
 * and holds the lock for a while; a "reader" task on CPU 1 locks the same folio at random
 * moments. folio_lock sleeps while the other task holds the lock, and folio_unlock hands it
 * to the waiter (FIFO), so the reader's wait is the writer's remaining hold time plus the
 * wake-up latency of the cost model. Waits are recorded in simulated ns: the same seed gives
 * the same numbers on every machine.
 *
 * Run it:  npx mmwb run resources/examples/lock-contention.ts --seed 3
 *          npx mmwb run resources/examples/lock-contention.ts --variant slowWakeup
 */
import {
  GFP_HIGHUSER_MOVABLE,
  type Kernel,
  type MachineSpec,
  type Seeds,
  type Variants,
} from 'mmwb'

export const machine: MachineSpec = { memoryMiB: 128, nrCpus: 2 }

/** The wake-up latency is the cost-model knob that shapes every wait here. */
export const variants: Variants = {
  base: { description: 'default cost model (2 µs wake-up)' },
  slowWakeup: {
    description: '20 µs wake-up (deep C-state)',
    machine: { cost: { wakeupNs: 20_000 } },
  },
}

export const seeds: Seeds = [1, 2, 3]

const ROUNDS = 50

export default async function (k: Kernel) {
  const folio = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
  if (!folio) throw new Error('allocation failed')

  const writer = k.spawn(
    'writer',
    async (k) => {
      for (let i = 0; i < ROUNDS; i++) {
        await k.folioLock(folio)
        k.markDirty(folio)
        k.folioStartWriteback(folio)
        await k.sleep(5_000 + k.rng.int(20_000)) // hold the lock 5..25 µs
        k.folioUnlock(folio)
        await k.sleep(10_000) // the "I/O" completes later
        k.folioEndWriteback(folio)
        await k.sleep(k.rng.int(30_000))
      }
    },
    { cpu: 0 },
  )

  const reader = k.spawn(
    'reader',
    async (k) => {
      let worstNs = 0
      for (let i = 0; i < ROUNDS; i++) {
        await k.sleep(k.rng.int(40_000))
        const askedNs = k.now()
        await k.folioLock(folio)
        const waitNs = k.now() - askedNs
        worstNs = Math.max(worstNs, waitNs)
        k.record('reader_lock_wait_ns', waitNs)
        k.folioUnlock(folio)
        k.progress((i + 1) / ROUNDS)
      }
      console.log(`reader: worst folio_lock wait ${worstNs} ns`)
    },
    { cpu: 1 },
  )

  await writer.join()
  await reader.join()
  await k.folioWaitWriteback(folio)
  k.folioPut(folio)
  console.log(`done at ${k.now()} ns simulated`)
}
