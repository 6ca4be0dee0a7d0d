/**
 * W1 with direct compaction (batch 2 `w1_612_p128k16_direct`): `extfrag_threshold` stays 500
 * during the nr_hugepages writes, so each `alloc_buddy_hugetlb_folio` (__GFP_RETRY_MAYFAIL,
 * costly order) goes through `__alloc_pages_slowpath` as the kernel runs it: the early async
 * compaction, then reclaim / direct compaction at `compact_priority` with
 * `should_compact_retry` and deferral (mm/page_alloc.c:__alloc_pages_slowpath, 6.12).
 *
 * `hugetlbAllocSlowpath` is engine/hugetlb's `set_max_huge_pages` step, one allocation at a
 * time: `cond_resched()` (a woken kswapd runs to its sleep first, as on the guest's one CPU:
 * `'wake-only'` kswapd) then `alloc_pool_huge_folio`. The write stops at the first failure, so
 * a fresh `node_alloc_noretry` per allocation is the write's.
 */
import { type CompactEnv } from '../compaction/types'
import { allocPoolHugeFolio, createHugetlbPool } from '../hugetlb'
import { condResched } from '../reclaim/slowpath'
import { type ReclaimEnv } from '../reclaim/types'
import { guestReservedPages, guestSysctls, kernelDelta, kvNumber, type CaseData } from './cases'
import { row, type CalibrationRow } from './rows'
import { keptPhaseLead, w1KeptPhase } from './keptPhase'
import { type HugetlbAlloc, runW1, type W1Options, type W1Result } from './w1'

/** One `alloc_pool_huge_folio` of a nr_hugepages write; `env.extfragThreshold` is in force. */
export const hugetlbAllocSlowpath: HugetlbAlloc = (m, env: CompactEnv) => {
  const renv: ReclaimEnv = {
    clock: env.clock,
    cost: env.cost,
    kswapdMode: 'wake-only',
    compaction: {
      variants: env.variants,
      extfragThreshold: env.extfragThreshold,
      compactionProactiveness: env.compactionProactiveness,
      compactUnevictableAllowed: env.compactUnevictableAllowed,
    },
  }
  condResched(m, renv)
  return allocPoolHugeFolio(m, renv, createHugetlbPool(), { mask: 0 })
}

/**
 * Runs a W1 (or, with `folioOrder`, W4) record of batch 2 (6.12). Whether direct compaction
 * runs in the nr_hugepages writes is the record's: `guestSysctls` keeps extfrag_threshold 500
 * with `direct_compact 1`, else 1000 (compaction_suitable refuses).
 */
export function runW1Batch2(data: CaseData, folioOrder = 0, fillLeadPages = 0): W1Result {
  const rec = data.record
  const opts: W1Options = {
    period: kvNumber(rec, 'period'),
    keep: kvNumber(rec, 'keep'),
    kernelEra: '6.12',
    startBuddyinfo: data.startBuddyinfo,
    startPagetypeinfo: data.startPagetypeinfo,
    sysctls: guestSysctls(rec),
    reservedPages: guestReservedPages(rec),
    hugepages: kvNumber(rec, 'hp_before_requested'),
    layout: 'importer',
    hugetlbAlloc: hugetlbAllocSlowpath,
    folioOrder,
    fillLeadPages,
  }
  // Set-up from the guest's measured layout: its kept pages' phase within each period
  // (keptPhase.ts), when the record gives it.
  const guestPhase = rec.kv.pb_kept_phase
  if (typeof guestPhase !== 'number') return runW1(opts)
  const lead = keptPhaseLead(guestPhase, w1KeptPhase(opts), opts.period, 1 << folioOrder)
  return runW1({ ...opts, fillLeadPages: fillLeadPages + lead })
}

/** The figures W1 compares: huge pages before/after and the counters of compact_memory. */
export function w1Rows(rec: CaseData['record'], r: W1Result): CalibrationRow[] {
  const k = (name: string) => kernelDelta(rec, 'pre_compact->compacted', name)
  const s = r.deltas.compact_memory
  return [
    row('hp_before', 'outcome', kvNumber(rec, 'hp_before_obtained'), r.hpBefore),
    row('hp_after', 'outcome', kvNumber(rec, 'hp_after_obtained'), r.hpAfter),
    row('compact_memory: compact_migrate_scanned', 'counter', k('compact_migrate_scanned'), s.compact_migrate_scanned),
    row('compact_memory: compact_free_scanned', 'counter', k('compact_free_scanned'), s.compact_free_scanned),
    row('compact_memory: pgmigrate_success', 'counter', k('pgmigrate_success'), s.pgmigrate_success),
    row('compact_memory: compact_isolated', 'info', k('compact_isolated'), s.compact_isolated),
  ]
}

/** W1 direct: W1's rows and the direct compaction of hp_before. */
export function w1DirectRows(rec: CaseData['record'], r: W1Result): CalibrationRow[] {
  const k = (name: string) => kernelDelta(rec, 'fragmented->hp_before', name)
  const s = r.deltas.hp_before
  return [
    ...w1Rows(rec, r),
    row('hp_before: pgmigrate_success', 'counter', k('pgmigrate_success'), s.pgmigrate_success),
    row('hp_before: compact_migrate_scanned', 'counter', k('compact_migrate_scanned'), s.compact_migrate_scanned),
    row('hp_before: compact_free_scanned', 'counter', k('compact_free_scanned'), s.compact_free_scanned),
    row('hp_before: compact_stall', 'info', k('compact_stall'), s.compact_stall),
    row('hp_before: compact_success', 'info', k('compact_success'), s.compact_success),
    row('hp_before: compact_fail', 'info', k('compact_fail'), s.compact_fail),
    row('fragment: kept pages at the guest\'s phase (pb_kept_phase)', 'info', kvNumber(rec, 'pb_kept_phase_count'), r.keptPhase.phase === kvNumber(rec, 'pb_kept_phase') ? r.keptPhase.count : 0),
  ]
}
