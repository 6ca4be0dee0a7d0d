/**
 * Seed 001: when should migrate_pages allocate the destination? Mainline calls
 * `get_new_folio` before `folio_trylock(src)` (migrate_folio_unmap), so a source it cannot lock
 * costs a destination allocated for nothing. Keith Busch's 2020 patch ("mm/migrate: allocate
 * the target after locking the source") allocates after the lock and the writeback check, so
 * nothing is wasted, but the source stays locked while the allocation runs, and that
 * allocation may enter reclaim or compaction: every task that wants the source's lock in the
 * meantime (a fault on the migration entry, a reader, truncation) waits for it.
 *
 * The workload: 24 THPs that an mbind-like migrator moves one at a time (MIGRATE_SYNC, reason
 * mempolicy_mbind), while four tasks lock random THPs for 50 µs at a time. The rest of a
 * 256 MiB machine is fragmented, so each THP destination needs direct compaction
 * (GFP_TRANSHUGE). Charts: source-lock hold times (migrate_lock_hold_ns), the waits other
 * tasks see (folio_lock_wait_ns, and folio_lock_wait_migration_ns for waits on a migration
 * hold), wasted destinations (migrate_wasted_targets), and direct compaction inside holds.
 *
 * Run it:  npx mmwb compare resources/examples/seed-001-migration-lock/scripts/migration-lock.ts
 */
import {
  GFP_ATOMIC,
  GFP_HIGHUSER_MOVABLE,
  GFP_NOWAIT,
  __GFP_KSWAPD_RECLAIM,
  GFP_TRANSHUGE,
  HPAGE_PMD_ORDER,
  type Folio,
  type Kernel,
  type MachineSpec,
  type Seeds,
  type Variants,
} from 'mmwb'

export const machine: MachineSpec = { memoryMiB: 256, nrCpus: 4, kernelEra: '6.12', pcp: false }

export const variants: Variants = {
  'before-lock': {
    description: 'mainline: get_new_folio before folio_trylock(src)',
    design: { 'migration.allocateTarget': 'before-lock' },
  },
  'after-lock': {
    description: 'Keith Busch 2020: allocate the destination with the source locked',
    design: { 'migration.allocateTarget': 'after-lock' },
  },
  'before-lock-per-folio': {
    description: '≤6.2 migrate_pages: unmap and move one folio at a time (no 6.3 batching)',
    design: { 'migration.allocateTarget': 'before-lock', 'migration.batching': 'per-folio' },
  },
}

export const seeds: Seeds = [1, 2, 3]

const NR_THPS = 24
const NR_LOCKERS = 4
const LOCK_HOLD_NS = 50_000

export default async function (k: Kernel) {
  // 1. The THPs to migrate, while memory is still unfragmented.
  const thps: Folio[] = []
  for (let i = 0; i < NR_THPS; i++) {
    const t = k.allocPages(GFP_TRANSHUGE, HPAGE_PMD_ORDER)
    if (!t) throw new Error('THP allocation failed on an empty machine')
    thps.push(t)
  }
  // 2. Fill the rest with base pages, eat the reserve, free a random half: no free 2 MiB
  //    block is left, so each destination must be made by compaction.
  const small: Folio[] = []
  for (;;) {
    const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
    if (!f) break
    small.push(f)
  }
  while (k.allocPages(GFP_ATOMIC, 0) !== null);
  for (let i = small.length - 1; i > 0; i--) {
    const j = k.rng.int(i + 1)
    ;[small[i], small[j]] = [small[j], small[i]]
  }
  for (const f of small.splice(small.length >> 1)) k.folioPut(f)
  k.progress(0.2)

  // 3. Tasks that lock random THPs (faults, readers) until the migrator is done.
  let done = false
  const lockers = []
  for (let c = 0; c < NR_LOCKERS; c++) {
    lockers.push(
      k.spawn(`locker${c}`, async (k) => {
        while (!done) {
          const t = thps[k.rng.int(NR_THPS)]
          await k.folioLock(t)
          await k.sleep(LOCK_HOLD_NS)
          k.folioUnlock(t)
          await k.sleep(20_000 + k.rng.int(80_000))
        }
      }),
    )
  }

  // 4. The migrator: one mbind-style migration per THP. A hugepage consumer (a hugetlb pool
  //    refill) takes every free 2 MiB block at once, including the source block a migration
  //    just freed, so the next destination must be compacted again.
  const hog: Folio[] = []
  const takeFreeBlocks = (): void => {
    for (;;) {
      // No kswapd wake-up: kcompactd would otherwise make the destinations in the background.
      const b = k.allocPages(GFP_NOWAIT & ~__GFP_KSWAPD_RECLAIM, HPAGE_PMD_ORDER)
      if (!b) break
      hog.push(b)
    }
  }
  takeFreeBlocks()
  for (let i = 0; i < NR_THPS; i++) {
    const r = k.migratePages([thps[i]], { mode: 'sync', reason: 'mempolicy_mbind' })
    takeFreeBlocks()
    k.record('thp_migrated', r.nrThpSucceeded)
    k.record('call_latency_ns', r.latencyNs)
    k.progress(Math.min(1, 0.2 + (0.8 * (i + 1)) / NR_THPS))
    await k.sleep(200_000)
  }
  done = true
  for (const t of lockers) await t.join()
  for (const t of thps) k.folioPut(t)
  for (const f of small) k.folioPut(f)
  for (const b of hog) k.folioPut(b)
}
