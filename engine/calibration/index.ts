/**
 * # engine/calibration: the simulator against measurements of real kernels
 *
 * `runCalibrationCase(case, data)` runs one of the seven cases of both batches
 * (`CALIBRATION_CASES`: W1 on 6.1 and 6.12, W1 with direct compaction, W4 64 KiB mTHP, W3 CMA,
 * W5 virtio-mem) from the guest record and `start` /proc files the caller read, and returns
 * rows of kernel beside simulator (`formatCalibrationTable`); docs/calibration.md explains
 * every difference over its target.
 *
 * W1 (issue 5 item 10; docs/calibration.md): `runW1({ period, keep })` imports the qemu guest's
 * `start` state, fills memory with anonymous pages, frees a pattern, asks for huge pages before
 * and after `compact_memory`, and returns the figures the kernel reported (`W1_KERNEL_CASES`).
 * `formatW1Comparison` prints them side by side. Pure and deterministic: no I/O, no timers.
 */
export {
  formatW1Trace,
  runW1,
  W1_RESERVED_PAGES,
  W1_SYSCTLS,
  W1_TOP_RESERVED_PAGEBLOCKS,
  w1KernelCase,
  type W1Options,
  type W1Result,
  type W1Snapshot,
  type W1TraceLine,
} from './w1'
export { W1_KERNEL_CASES, W1_P2K1, W1_P8K1, type W1KernelCase } from './w1Kernel'
export { formatW1Comparison, w1Rows, type W1Row } from './w1Table'
export { moveReservedToTop } from './guestLayout'
export {
  CALIBRATION_CASES,
  calibrationCase,
  guestReservedPages,
  guestSysctls,
  type CalibrationCase,
  type CalibrationWorkload,
  type CaseData,
  type GuestRecord,
} from './cases'
export {
  formatCalibrationTable,
  row,
  THRESHOLDS,
  type CalibrationRow,
  type CaseResult,
  type FigureKind,
} from './rows'
export { runCalibrationCase } from './run'
export { hugetlbAllocSlowpath, runW1Batch2 } from './w1Direct'
export { runW4, W4_FOLIO_ORDER } from './w4'
export { adoptImportedCmaArea, runW3Cma, type W3Result } from './w3Cma'
export { runVmem, VMEM_DEVICE, type VmemResult } from './vmem'
