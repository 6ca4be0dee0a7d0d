/**
 * `runCalibrationCase(case, data)`: one case of either batch on the simulator, from the
 * guest's own `start` state, as rows of kernel beside simulator (rows.ts). Pure: the record
 * and /proc files come in as data.
 */
import {
  guestReservedPages,
  guestSysctls,
  kvNumber,
  type CalibrationCase,
  type CaseData,
} from './cases'
import { type CaseResult } from './rows'
import { runVmem, vmemRows } from './vmem'
import { runW1 } from './w1'
import { runW1Batch2, w1DirectRows, w1Rows } from './w1Direct'
import { runW3Cma, w3Rows } from './w3Cma'
import { runW4, w4Rows } from './w4'

/** Batch 1 (6.1) as docs/calibration.md describes it: the guest's layout, no reclaim. */
function runBatch1(data: CaseData) {
  const rec = data.record
  return runW1({
    period: kvNumber(rec, 'period'),
    keep: kvNumber(rec, 'keep'),
    kernelEra: '6.1',
    startBuddyinfo: data.startBuddyinfo,
    startPagetypeinfo: data.startPagetypeinfo,
    sysctls: guestSysctls(rec),
    reservedPages: guestReservedPages(rec),
    hugepages: kvNumber(rec, 'hp_before_requested'),
    layout: 'guest',
  })
}

export function runCalibrationCase(c: CalibrationCase, data: CaseData): CaseResult {
  const base = { id: c.id, title: c.title, era: c.era }
  const rec = data.record
  switch (c.workload) {
    case 'w1':
      if (c.batch === 1) return { ...base, rows: w1Rows(rec, runBatch1(data)), notes: [] }
      return { ...base, rows: w1Rows(rec, runW1Batch2(data)), notes: [] }
    case 'w1-direct':
      return { ...base, rows: w1DirectRows(rec, runW1Batch2(data)), notes: [] }
    case 'w4':
      return { ...base, rows: w4Rows(rec, runW4(data)), notes: [] }
    case 'w3-cma':
      return { ...base, rows: w3Rows(rec, runW3Cma(data)), notes: [] }
    case 'vmem':
      return { ...base, rows: vmemRows(rec, runVmem(data)), notes: [] }
  }
}
