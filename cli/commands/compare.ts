/**
 * `mmwb compare <script.ts>`: runs the workload for every variant it exports and every seed,
 * in parallel engine-host processes, and prints an mmtests-style comparison table.
 */
import { writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { HostError } from '../../engine-host/errors'
import { inspectWorkload } from '../../engine-host/sandbox/inspect'
import { transpileWorkload } from '../../engine-host/transpile'
import { toWireError } from '../../protocol/guards'
import type { WireError } from '../../protocol/messages'
import type { LatencyHistogram, RunResult } from '../../protocol/result'
import { intOption, parseArgs, stringOption, UsageError } from '../args'
import {
  compareExperiment,
  makeExperiment,
  renderComparisonText,
  seriesNames,
  type MetricSpec,
} from '../../protocol/results'
import { EXIT, EXIT_CODES_HELP, exitCodeFor, type ExitCode } from '../exitCodes'
import { displayPath, formatError, readScript } from '../execute'
import { HostClient, HostRequestError } from '../hostClient'
import { DEFAULT_BUDGET_MS } from './run'

export const COMPARE_HELP = `Usage: mmwb compare <script.ts> [options]

Runs the workload once for every variant in its \`variants\` export and every seed (its
\`seeds\` export, or --seeds, or 1,2,3), in parallel, and prints a comparison table in
the style of mmtests' compare-kernels.sh: variants as columns (the first is the
baseline), the mean over seeds with its 95% confidence interval, the change from the
baseline, written *x%* where Welch's t-test finds it significant (p < 0.05). Rows: the
mean and max of every series the script and the engine record, the mean, p50 and p99 of
every latency histogram (simulated ns, e.g. migrate_latency_ns), then the /proc/vmstat
counters that are non-zero in some run (counters start at zero at boot: their end value is
the delta).

A variant may declare \`expect: { invariantViolation: 'rule' }\`: it reproduces a bug. Its
runs end at the violation and are compared like the others; a section after the table
lists every run's violation (rule, pfn, operation). A run that does not meet its variant's
expectation makes compare exit with status 5, as an undeclared violation does.

Options:
  --seeds LIST      comma-separated seeds, e.g. 1,2,3 (overrides the script's \`seeds\`)
  --variants LIST   compare only these variants, in this order (the first is the baseline)
  --json FILE       write the experiment: every run (ExperimentResult, protocol/results)
  --budget-ms N     wall-clock budget per run in ms (default ${DEFAULT_BUDGET_MS})
  --jobs N          engine-host processes run in parallel (default: the number of cores)
  -h, --help        show this help

${EXIT_CODES_HELP}
`

function listOption(value: string | undefined, what: string): string[] | undefined {
  if (value === undefined) return undefined
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (items.length === 0) throw new UsageError(`--${what} needs at least one entry`)
  return items
}

interface Job {
  variant: string
  seed: number
}

/** Runs the jobs on `parallel` engine-host processes; fails fast on the first error. */
async function runAll(
  path: string,
  source: string,
  jobs: Job[],
  parallel: number,
  budgetMs: number,
): Promise<RunResult[]> {
  const results: RunResult[] = new Array(jobs.length)
  let next = 0
  let done = 0
  let failed: WireError | null = null
  const startMs = Date.now()
  const progress = (j: Job): void => {
    done++
    if (Date.now() - startMs < 1000) return
    const text = `compare: ${done}/${jobs.length} runs done (last: ${j.variant}, seed ${j.seed})`
    process.stderr.write(
      process.stderr.isTTY ? `\r\x1b[K${text}${done === jobs.length ? '\n' : ''}` : text + '\n',
    )
  }
  const worker = async (): Promise<void> => {
    const client = await HostClient.start()
    try {
      while (!failed && next < jobs.length) {
        const i = next++
        const j = jobs[i]
        const { result } = client.run(
          { path, source },
          { seed: j.seed, variant: j.variant, timeBudgetMs: budgetMs },
        )
        results[i] = await result
        progress(j)
      }
    } finally {
      client.close()
    }
  }
  const workers = Array.from({ length: Math.min(parallel, jobs.length) }, () =>
    worker().catch((e: unknown) => {
      failed ??= e instanceof HostRequestError ? e.wire : toWireError(e)
    }),
  )
  await Promise.all(workers)
  if (failed) throw new HostRequestError(failed)
  return results
}

/** Histogram statistics shown as table rows (bucket upper bounds for percentiles). */
const HIST_STATS = ['mean', 'p50', 'p99'] as const

function histPercentile(h: LatencyHistogram, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * h.count))
  let seen = 0
  for (let i = 0; i < h.buckets.length; i++) {
    seen += h.buckets[i]
    if (seen >= rank) return Math.min(2 ** (i + 1) - 1, h.max)
  }
  return h.max
}

/**
 * The runs with each histogram's mean, p50 and p99 added as one-point series (for the table
 * only; the JSON keeps the histograms), and the metric rows that show them.
 */
function histogramSeries(runs: RunResult[]): { runs: RunResult[]; metrics: MetricSpec[] } {
  const names = new Set<string>()
  // A per-reason histogram (`migrate_latency_ns.compaction`) is shown only when it differs
  // from its total in some run, i.e. when migrations had more than one reason.
  const redundant = new Set<string>()
  for (const r of runs) {
    for (const [name, h] of Object.entries(r.histograms ?? {})) {
      const dot = name.lastIndexOf('.')
      const total = dot > 0 ? r.histograms?.[name.slice(0, dot)] : undefined
      if (total && total.count === h.count && !redundant.has(`!${name}`)) redundant.add(name)
      else if (total) {
        redundant.delete(name)
        redundant.add(`!${name}`)
      }
    }
  }
  const out = runs.map((r) => {
    const extra: RunResult['series'] = {}
    for (const [name, h] of Object.entries(r.histograms ?? {})) {
      if (h.count === 0 || redundant.has(name)) continue
      names.add(name)
      extra[`${name}:mean`] = [[r.simTimeNs, h.sum / h.count]]
      extra[`${name}:p50`] = [[r.simTimeNs, histPercentile(h, 50)]]
      extra[`${name}:p99`] = [[r.simTimeNs, histPercentile(h, 99)]]
    }
    return { ...r, series: { ...r.series, ...extra } }
  })
  const metrics: MetricSpec[] = [...names].flatMap((name) =>
    HIST_STATS.map(
      (stat) =>
        ({
          kind: 'series',
          series: `${name}:${stat}`,
          stat: 'last',
          label: `${name} ${stat}`,
          unit: 'ns',
        }) as const,
    ),
  )
  return { runs: out, metrics }
}

/** The invariant-violation section: every run that declared or hit a violation. */
function violationReport(runs: RunResult[]): { text: string; unmet: number } {
  const lines: string[] = []
  let unmet = 0
  for (const r of runs) {
    if (!r.expect && !r.violation) continue
    const who = `${r.variant ?? 'base'} seed ${r.seed}`
    const v = r.violation
    const what = v
      ? `${v.rule} at pfn 0x${v.pfn.toString(16)} during ${v.event} (${v.timeNs} ns): ${v.message}`
      : 'no violation'
    if (r.expect && !r.expect.met) {
      unmet++
      lines.push(`  ${who}: EXPECTED ${r.expect.invariantViolation}, got ${what}`)
    } else lines.push(`  ${who}: ${what}${r.expect ? ' (expected)' : ''}`)
  }
  if (lines.length === 0) return { text: '', unmet: 0 }
  return { text: `\ninvariant violations\n${lines.join('\n')}\n`, unmet }
}

export async function compareCommand(argv: string[]): Promise<ExitCode> {
  const p = parseArgs(argv, {
    seeds: { value: true },
    variants: { value: true },
    json: { value: true },
    'budget-ms': { value: true },
    jobs: { value: true },
    help: { value: false },
  })
  if (p.options.help) {
    process.stdout.write(COMPARE_HELP)
    return EXIT.OK
  }
  if (p.positionals.length !== 1) throw new UsageError('mmwb compare takes exactly one script file')
  const file = p.positionals[0]
  const source = readScript(file)
  const path = displayPath(file)
  const budgetMs = intOption(p, 'budget-ms', DEFAULT_BUDGET_MS, 1)
  const parallel = intOption(p, 'jobs', availableParallelism(), 1)
  const seedList = listOption(stringOption(p, 'seeds'), 'seeds')?.map((s) => {
    if (!/^\d+$/.test(s)) throw new UsageError(`--seeds: ${JSON.stringify(s)} is not a seed`)
    return Number(s)
  })
  const wanted = listOption(stringOption(p, 'variants'), 'variants')

  try {
    const decl = inspectWorkload(transpileWorkload(source, path), path, budgetMs)
    if (decl.variants.length === 0) {
      throw new HostError(
        'ConfigError',
        `${path} exports no \`variants\`; compare needs at least one`,
      )
    }
    let variants = decl.variants
    if (wanted) {
      for (const w of wanted) {
        if (!variants.some((v) => v.name === w)) {
          throw new UsageError(
            `no variant ${JSON.stringify(w)}; the script defines: ${variants.map((v) => v.name).join(', ')}`,
          )
        }
      }
      variants = wanted.map((w) => variants.find((v) => v.name === w) as (typeof variants)[number])
    }
    const seeds = seedList ?? (decl.seeds.length > 0 ? decl.seeds : [1, 2, 3])
    const jobs = variants.flatMap((v) => seeds.map((seed) => ({ variant: v.name, seed })))
    const runs = await runAll(path, source, jobs, parallel, budgetMs)
    const experiment = makeExperiment(
      path,
      variants.map((v) => v.name),
      seeds,
      runs,
    )
    const metrics: MetricSpec[] = seriesNames(runs).flatMap((series) => [
      { kind: 'series', series, stat: 'mean' } as const,
      { kind: 'series', series, stat: 'max' } as const,
    ])
    const withHist = histogramSeries(runs)
    metrics.push(...withHist.metrics)
    const table = compareExperiment({ ...experiment, runs: withHist.runs }, { metrics })
    process.stdout.write(renderComparisonText(table))
    const verdict = violationReport(runs)
    process.stdout.write(verdict.text)
    const json = stringOption(p, 'json')
    if (json) writeFileSync(json, JSON.stringify(experiment, null, 2) + '\n')
    return verdict.unmet > 0 ? EXIT.INVARIANT : EXIT.OK
  } catch (e) {
    if (e instanceof UsageError) throw e
    const wire = e instanceof HostRequestError ? e.wire : toWireError(e)
    process.stderr.write(formatError(wire))
    return exitCodeFor(wire.name)
  }
}
