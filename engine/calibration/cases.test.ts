/**
 * The case table and the reading of a guest record (cases.ts), and the table's rows
 * (rows.ts), on small inline records.
 */
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../mm/config'
import {
  CALIBRATION_CASES,
  calibrationCase,
  guestReservedPages,
  guestSysctls,
  kernelDelta,
  type GuestRecord,
} from './cases'
import { formatCalibrationTable, row } from './rows'
import { W1_RESERVED_PAGES } from './w1'

function record(kv: Record<string, string | number>, memTotalKb = 983744): GuestRecord {
  return {
    kv: {
      sys_min_free_kbytes: 3828,
      sys_watermark_scale_factor: 10,
      sys_watermark_boost_factor: 15000,
      sys_extfrag_threshold: 500,
      sys_compaction_proactiveness: 0,
      sys_compact_unevictable_allowed: 1,
      ...kv,
    },
    vmstat_deltas: { 'pre_compact->compacted': { pgmigrate_success: 24753 } },
    snapshots: { start: { meminfo_kb: { MemTotal: memTotalKb } } },
  }
}

describe('the case table', () => {
  it('holds the seven cases of both batches, each with its era', () => {
    expect(CALIBRATION_CASES.map((c) => `${c.id}@${c.era}`)).toEqual([
      'w1_p2k1@6.1',
      'w1_p8k1@6.1',
      'w1_612_p8k1@6.12',
      'w1_612_p128k16_direct@6.12',
      'w4_612_m64_p128k16@6.12',
      'w3_612cma_p8k1_c2m@6.12',
      'vmem_612_movable_p8k1_1g_to_0@6.12',
    ])
    expect(() => calibrationCase('w2_p3k1')).toThrow(ConfigError)
  })
})

describe('a guest record configures the machine', () => {
  it("reserved pfns are spanned − MemTotal: batch 1's 983744 kB gives [255, 15920]", () => {
    expect(guestReservedPages(record({}))).toEqual([...W1_RESERVED_PAGES])
    // 6.12: MemTotal 990784 kB → 247696 managed pages of 262111 spanned.
    expect(guestReservedPages(record({}, 990784))).toEqual([255, 14160])
    // virtio-mem: MemTotal before the device's memory was added.
    expect(guestReservedPages(record({ memtotal_preload_kb: 906048 }, 1954624))).toEqual([
      255, 35344,
    ])
  })

  it('extfrag_threshold is 1000 during the nr_hugepages writes unless direct compaction is on', () => {
    expect(guestSysctls(record({ direct_compact: 0 })).extfragThresholdHugepages).toBe(1000)
    const direct = guestSysctls(record({ direct_compact: 1 }))
    expect(direct.extfragThresholdHugepages).toBe(500)
    expect(direct).toMatchObject({ minFreeKbytes: 3828, compactUnevictableAllowed: true })
  })

  it('names what is missing or malformed', () => {
    const bad = record({ sys_min_free_kbytes: 'x' })
    expect(() => guestSysctls(bad)).toThrow(/kv.sys_min_free_kbytes: must be a number/)
    expect(() => kernelDelta(bad, 'fragmented->hp_before', 'pgmigrate_success')).toThrow(
      /vmstat_deltas.fragmented->hp_before: missing/,
    )
    // A counter a phase's delta omits did not move.
    expect(kernelDelta(bad, 'pre_compact->compacted', 'compact_stall')).toBe(0)
  })
})

describe('rows', () => {
  it('outcomes are over beyond 10%, counters beyond 25%, info never', () => {
    expect(row('hp_after', 'outcome', 400, 439)).toMatchObject({ over: false })
    expect(row('hp_after', 'outcome', 400, 441)).toMatchObject({ over: true })
    expect(row('pgmigrate_success', 'counter', 1000, 751)).toMatchObject({ over: false })
    expect(row('pgmigrate_success', 'counter', 1000, 749).diff).toBeCloseTo(-0.251)
    expect(row('compact_stall', 'info', 10, 100).over).toBe(false)
    // A kernel figure of 0: equal is ±0, anything else has no ratio and is over.
    expect(row('plugged', 'outcome', 0, 0)).toMatchObject({ diff: 0, over: false })
    expect(row('plugged', 'outcome', 0, 2)).toMatchObject({ diff: null, over: true })
  })

  it('prints one markdown table for all cases', () => {
    const text = formatCalibrationTable([
      { id: 'a', title: 'A', era: '6.1', rows: [row('hp', 'outcome', 10, 12)], notes: ['n'] },
    ])
    expect(text).toContain('| a | hp | outcome | 10 | 12 | +20.0% | over |')
    expect(text).toContain('- a: n')
  })
})
