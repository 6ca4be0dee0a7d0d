/**
 * `mmwb compare <script.ts>`: runs the workload for every variant it exports and every seed,
 * in parallel engine-host processes, and prints an mmtests-style comparison table.
 */
import { writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { toWireError } from '../../protocol/guards'
import { intOption, parseArgs, stringOption, UsageError } from '../args'
import { EXIT, EXIT_CODES_HELP, exitCodeFor, type ExitCode } from '../exitCodes'
import { displayPath, formatError, readScript } from '../execute'
import { HostRequestError } from '../hostClient'
import { compareAll, planComparison, type CompareProgress } from './compareRuns'
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

The output ends with a provenance section: the engine's version, the kernel era(s), the
script's sha256, each variant's values of the design keys the variants differ in, and the
design keys common to all of them.

Options:
  --seeds LIST      comma-separated seeds, e.g. 1,2,3 (overrides the script's \`seeds\`)
  --variants LIST   compare only these variants, in this order (the first is the baseline)
  --json FILE       write the experiment: every run (ExperimentResult, protocol/results)
  --budget-ms N     wall-clock budget per run in ms (default ${DEFAULT_BUDGET_MS})
  --jobs N          engine-host processes run in parallel (default: the number of cores)
  -h, --help        show this help

${EXIT_CODES_HELP}
`

/** Progress on stderr, once the runs have taken over a second (a loaded machine). */
function progressLine(): CompareProgress {
  const startMs = Date.now()
  return (done, total, j) => {
    if (Date.now() - startMs < 1000) return
    const text = `compare: ${done}/${total} runs done (last: ${j.variant}, seed ${j.seed})`
    process.stderr.write(
      process.stderr.isTTY ? `\r\x1b[K${text}${done === total ? '\n' : ''}` : text + '\n',
    )
  }
}

function listOption(value: string | undefined, what: string): string[] | undefined {
  if (value === undefined) return undefined
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (items.length === 0) throw new UsageError(`--${what} needs at least one entry`)
  return items
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
    const plan = planComparison(path, source, { seeds: seedList, variants: wanted, budgetMs })
    const [out] = await compareAll([plan], parallel, progressLine())
    process.stdout.write(out.text)
    const json = stringOption(p, 'json')
    if (json) writeFileSync(json, JSON.stringify(out.experiment, null, 2) + '\n')
    return out.unmet > 0 ? EXIT.INVARIANT : EXIT.OK
  } catch (e) {
    if (e instanceof UsageError) throw e
    const wire = e instanceof HostRequestError ? e.wire : toWireError(e)
    process.stderr.write(formatError(wire))
    return exitCodeFor(wire.name)
  }
}
