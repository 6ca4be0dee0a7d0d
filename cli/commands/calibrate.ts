/**
 * `mmwb calibrate`: the calibration cases of both batches of real-kernel measurements
 * (resources/calibration, a copy of /work/shared/calibration) run on the simulator, each from
 * its guest's own `start` state, printed kernel beside simulator with the difference
 * (docs/calibration.md explains every difference over its threshold). Runs in this process:
 * the harness is pure engine code; only the records are read here.
 *
 * `mmwb calibrate w1 [--case p2k1|p8k1] [--layout guest|importer]` keeps batch 1's detailed
 * report (the mm_compaction_begin/end trace lines beside the kernel's).
 */
import {
  CALIBRATION_CASES,
  formatCalibrationTable,
  formatW1Comparison,
  runCalibrationCase,
  runW1,
  w1KernelCase,
  type CaseResult,
} from '../../engine/calibration'
import { parseArgs, UsageError } from '../args'
import { EXIT, EXIT_CODES_HELP, type ExitCode } from '../exitCodes'
import { DEFAULT_CALIBRATION_DATA, readCaseData } from './calibrateData'

export const CALIBRATE_HELP = `Usage: mmwb calibrate [--case ID[,ID...]] [--json] [--data DIR]
       mmwb calibrate w1 [--case p2k1|p8k1] [--layout guest|importer]

Runs the calibration cases on a simulated copy of the 1 GiB qemu guest each kernel figure
comes from, from that guest's own start state (/proc/buddyinfo and /proc/pagetypeinfo
imported, its sysctls and kernel era), and prints for each figure the kernel's value, the
simulator's and the difference. Targets: outcomes within 10%, the scanner and migration
counters within 25% ("over" marks a figure beyond its target; docs/calibration.md says why).

Cases:
${CALIBRATION_CASES.map((c) => `  ${c.id.padEnd(32)}${c.title}`).join('\n')}

Options:
  --case IDS        comma-separated case ids; default all seven
  --json            print the results as JSON
  --data DIR        the records (laid out as /work/shared/calibration); default
                    resources/calibration
  -h, --help        show this help

With the positional \`w1\`: batch 1's W1 alone, with the trace lines.
  --case NAME       p2k1 or p8k1; default both
  --layout NAME     where the guest's reserved memory sits: guest (default) or importer

${EXIT_CODES_HELP}
`

const W1_CASES: Record<string, [period: number, keep: number]> = { p2k1: [2, 1], p8k1: [8, 1] }

function w1Command(caseOpt: string | true | undefined, layoutOpt: string | true | undefined) {
  if (caseOpt !== undefined && (caseOpt === true || !(caseOpt in W1_CASES)))
    throw new UsageError(`--case must be one of ${Object.keys(W1_CASES).join(', ')}`)
  const layout = layoutOpt ?? 'guest'
  if (layout !== 'guest' && layout !== 'importer')
    throw new UsageError('--layout must be guest or importer')
  const names = caseOpt === undefined ? Object.keys(W1_CASES) : [caseOpt]
  for (const name of names) {
    const [period, keep] = W1_CASES[name]
    const kernel = w1KernelCase(period, keep)
    if (!kernel) throw new UsageError(`no kernel figures for W1 P=${period} K=${keep}`)
    process.stderr.write(`mmwb calibrate: running W1 P=${period} K=${keep}…\n`)
    const result = runW1({ period, keep, layout })
    process.stdout.write(formatW1Comparison(result, kernel) + '\n\n')
  }
}

export async function calibrateCommand(argv: string[]): Promise<ExitCode> {
  const p = parseArgs(argv, {
    help: { value: false },
    case: { value: true },
    layout: { value: true },
    json: { value: false },
    data: { value: true },
  })
  if (p.options.help) {
    process.stdout.write(CALIBRATE_HELP)
    return EXIT.OK
  }
  if (p.positionals.length > 1 || (p.positionals.length === 1 && p.positionals[0] !== 'w1'))
    throw new UsageError(
      `unknown calibration workload ${JSON.stringify(p.positionals.join(' '))}; known: w1`,
    )
  if (p.positionals[0] === 'w1') {
    w1Command(p.options.case, p.options.layout)
    return EXIT.OK
  }
  if (p.options.layout !== undefined) throw new UsageError('--layout applies to `calibrate w1` only')
  const caseOpt = p.options.case
  if (caseOpt === true) throw new UsageError('--case needs a value')
  const ids = caseOpt === undefined ? CALIBRATION_CASES.map((c) => c.id) : caseOpt.split(',')
  const cases = ids.map((id) => {
    const c = CALIBRATION_CASES.find((x) => x.id === id)
    if (c === undefined)
      throw new UsageError(
        `--case: unknown case ${JSON.stringify(id)}; known: ${CALIBRATION_CASES.map((x) => x.id).join(', ')}`,
      )
    return c
  })
  const data = p.options.data
  if (data === true) throw new UsageError('--data needs a directory')
  const root = data ?? DEFAULT_CALIBRATION_DATA
  const results: CaseResult[] = []
  for (const c of cases) {
    const input = readCaseData(root, c)
    process.stderr.write(`mmwb calibrate: running ${c.id} (${c.title})…\n`)
    results.push(runCalibrationCase(c, input))
  }
  if (p.options.json) process.stdout.write(JSON.stringify({ cases: results }, null, 2) + '\n')
  else process.stdout.write(formatCalibrationTable(results) + '\n')
  return EXIT.OK
}
