/**
 * The W1 comparison as text: simulator beside kernel, one row per figure, with the relative
 * difference (docs/calibration.md explains each). For a CLI or a report; pure.
 */
import { formatW1Trace, type W1Result } from './w1'
import { type W1KernelCase } from './w1Kernel'

export interface W1Row {
  figure: string
  kernel: number
  sim: number
  /** (sim − kernel) / kernel. */
  diff: number
}

/** The figures the README's table reports, kernel beside simulator. */
export function w1Rows(r: W1Result, k: W1KernelCase): W1Row[] {
  const row = (figure: string, sim: number, kernel: number): W1Row => ({
    figure,
    kernel,
    sim,
    diff: (sim - kernel) / kernel,
  })
  return [
    row('hp_before', r.hpBefore, k.hpBefore),
    row('hp_after', r.hpAfter, k.hpAfter),
    row('compact_migrate_scanned', r.compactMigrateScanned, k.compactMigrateScanned),
    row('compact_free_scanned', r.compactFreeScanned, k.compactFreeScanned),
    row('pgmigrate_success', r.pgmigrateSuccess, k.pgmigrateSuccess),
    row('compact_isolated', r.compactIsolated, k.compactIsolated),
  ]
}

/** A markdown table of `w1Rows`, then the kernel's and the simulator's trace lines. */
export function formatW1Comparison(r: W1Result, k: W1KernelCase): string {
  const pct = (d: number) => `${d > 0 ? '+' : ''}${(d * 100).toFixed(1)}%`
  const lines = [
    `W1 P=${r.period} K=${r.keep}`,
    '',
    '| figure | kernel | simulator | difference |',
    '|---|---:|---:|---:|',
    ...w1Rows(r, k).map((x) => `| ${x.figure} | ${x.kernel} | ${x.sim} | ${pct(x.diff)} |`),
    '',
    'kernel:',
    ...k.ftrace.map((l) => `  ${l}`),
    'simulator:',
    ...r.trace.map((t) => `  ${formatW1Trace(t)}`),
  ]
  return lines.join('\n')
}
