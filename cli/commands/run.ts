/** `mmwb run <script.ts>`: run a workload headless, print a summary and /proc/buddyinfo. */
import { writeFileSync } from 'node:fs'
import type { RunResult } from '../../protocol/result'
import { formatFtrace, type TraceRecord } from '../../protocol/results/ftrace'
import { intOption, parseArgs, stringOption, UsageError } from '../args'
import { EXIT, EXIT_CODES_HELP, type ExitCode } from '../exitCodes'
import { executeScript } from '../execute'

export const DEFAULT_BUDGET_MS = 30_000

export const RUN_HELP = `Usage: mmwb run <script.ts> [options]

Runs a workload headless on the simulated kernel, then prints a summary and
/proc/buddyinfo. The script's console.log output is printed as it happens.

Options:
  --seed N          seed of the run's RNG (default 1); the same seed gives the same run
  --variant NAME    run the named entry of the script's \`variants\` export
  --json FILE       write the full result (versioned JSON, protocol/result.ts) to FILE
  --trace FILE      write every tracepoint hit as an ftrace text trace (what
                    /sys/kernel/tracing/trace shows; timestamps are simulated time)
  --budget-ms N     wall-clock budget in ms (default ${DEFAULT_BUDGET_MS}); past it the run is stopped
  --quiet           print only /proc/buddyinfo
  -h, --help        show this help

${EXIT_CODES_HELP}
`

export const RUN_OPTIONS = {
  seed: { value: true },
  variant: { value: true },
  json: { value: true },
  trace: { value: true },
  'budget-ms': { value: true },
  quiet: { value: false },
  help: { value: false },
}

function fmtNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(3)} µs`
  return `${ns} ns`
}

export function summarize(r: RunResult): string {
  const m = r.machine as {
    memoryMiB?: number
    nrCpus?: number
    kernelEra?: string
    minFreeKbytes?: number
    reservedPages?: { firstMiB: number; kernelImage: number; memmap: number; total: number }
  }
  const lines = [
    `${r.script}: finished at ${fmtNs(r.simTimeNs)} simulated (wall ${r.wall.elapsedMs} ms)`,
    `  seed ${r.seed}, variant ${r.variant ?? '(base)'}, machine ${m.memoryMiB} MiB, ${m.nrCpus} CPUs, kernel ${m.kernelEra}`,
  ]
  const rp = m.reservedPages
  if (rp) {
    const mib = (pages: number): string => `${+(pages / 256).toFixed(1)} MiB`
    const parts =
      rp.total === 0
        ? 'none'
        : `${mib(rp.total)} (first MiB ${mib(rp.firstMiB)}, kernel image ${mib(rp.kernelImage)}, memmap ${mib(rp.memmap)})`
    lines.push(`  reserved at boot: ${parts}; min_free_kbytes ${m.minFreeKbytes}`)
  }
  const series = Object.entries(r.series)
  if (series.length > 0) {
    lines.push('  series:')
    for (const [name, pts] of series) {
      const last = pts[pts.length - 1]
      lines.push(
        `    ${name}: ${pts.length} points${last ? `, last ${last[1]} at ${fmtNs(last[0])}` : ''}`,
      )
    }
  }
  const hists = Object.entries(r.histograms ?? {}).filter(([, h]) => h.count > 0)
  if (hists.length > 0) {
    lines.push('  latency histograms (simulated):')
    for (const [name, h] of hists) {
      lines.push(
        `    ${name}: ${h.count} values, mean ${fmtNs(Math.round(h.sum / h.count))}, max ${fmtNs(h.max)}`,
      )
    }
  }
  if (r.violation) {
    const v = r.violation
    const verdict = r.expect?.met ? ' (expected by the variant)' : ''
    lines.push(
      `  invariant violation${verdict}: ${v.rule} at pfn 0x${v.pfn.toString(16)} during ${v.event} at ${fmtNs(v.timeNs)}: ${v.message}`,
    )
  } else if (r.expect && !r.expect.met) {
    lines.push(`  expected invariant violation ${r.expect.invariantViolation} did not happen`)
  }
  return lines.join('\n') + '\n'
}

export async function runCommand(argv: string[]): Promise<ExitCode> {
  const p = parseArgs(argv, RUN_OPTIONS)
  if (p.options.help) {
    process.stdout.write(RUN_HELP)
    return EXIT.OK
  }
  if (p.positionals.length !== 1) throw new UsageError('mmwb run takes exactly one script file')
  const tracePath = stringOption(p, 'trace')
  const records: TraceRecord[] = []
  let written = 0
  const out = await executeScript(p.positionals[0], {
    seed: intOption(p, 'seed', 1),
    variant: stringOption(p, 'variant'),
    budgetMs: intOption(p, 'budget-ms', DEFAULT_BUDGET_MS, 1),
    logTo: process.stdout,
    onTrace: tracePath
      ? (chunk, w) => {
          for (const rec of chunk) records.push(rec)
          written = w
        }
      : undefined,
  })
  const json = stringOption(p, 'json')
  if (!out.ok) {
    // A run that ended in an invariant violation still writes its result, violation recorded.
    if (json && out.result) writeFileSync(json, JSON.stringify(out.result, null, 2) + '\n')
    return out.code
  }
  const r = out.result
  if (tracePath) {
    const nrCpus = (r.machine as { nrCpus?: number }).nrCpus
    writeFileSync(tracePath, formatFtrace(records, { nrCpus, entriesWritten: written }))
  }
  if (json) writeFileSync(json, JSON.stringify(r, null, 2) + '\n')
  if (!p.options.quiet) process.stdout.write(summarize(r) + '\n/proc/buddyinfo:\n')
  process.stdout.write(r.proc['/proc/buddyinfo'] ?? '')
  // A variant that declared an invariant violation it did not reproduce has failed.
  return r.expect && !r.expect.met ? EXIT.INVARIANT : EXIT.OK
}
