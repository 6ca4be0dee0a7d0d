/**
 * `mmwb calibrate [w1] [--case p2k1|p8k1] [--layout guest|importer]`: the W1 fragmentation
 * workload of ../shared/calibration run on the simulator from the real guest's own /proc state,
 * printed beside the figures Debian's 6.1 kernel reported (docs/calibration.md explains every
 * difference). Runs in this process: the harness is pure engine code and reads no script.
 */
import { formatW1Comparison, runW1, w1KernelCase } from '../../engine/calibration'
import { parseArgs, UsageError } from '../args'
import { EXIT, EXIT_CODES_HELP, type ExitCode } from '../exitCodes'

export const CALIBRATE_HELP = `Usage: mmwb calibrate [w1] [--case p2k1|p8k1] [--layout guest|importer]

Runs the calibration workload W1 (fill memory with 4 KiB anon pages, free a pattern,
ask for 480 huge pages before and after vm.compact_memory) on a simulated copy of the
1 GiB qemu guest the kernel figures come from, with kernel era 6.1, and prints the
simulator beside the kernel: hp_before, hp_after, compact_migrate_scanned,
compact_free_scanned, pgmigrate_success, compact_isolated, and the
mm_compaction_begin/end trace lines.

Options:
  --case NAME       p2k1 (keep 1 of every 2 pages) or p8k1 (1 of every 8); default both
  --layout NAME     where the guest's reserved memory sits: guest (default) or importer
  -h, --help        show this help

${EXIT_CODES_HELP}
`

const CASES: Record<string, [period: number, keep: number]> = { p2k1: [2, 1], p8k1: [8, 1] }

export async function calibrateCommand(argv: string[]): Promise<ExitCode> {
  const p = parseArgs(argv, {
    help: { value: false },
    case: { value: true },
    layout: { value: true },
  })
  if (p.options.help) {
    process.stdout.write(CALIBRATE_HELP)
    return EXIT.OK
  }
  const workload = p.positionals[0] ?? 'w1'
  if (workload !== 'w1' || p.positionals.length > 1)
    throw new UsageError(
      `unknown calibration workload ${JSON.stringify(p.positionals.join(' '))}; known: w1`,
    )
  const caseOpt = p.options.case
  if (caseOpt !== undefined && (caseOpt === true || !(caseOpt in CASES)))
    throw new UsageError(`--case must be one of ${Object.keys(CASES).join(', ')}`)
  const layout = p.options.layout ?? 'guest'
  if (layout !== 'guest' && layout !== 'importer')
    throw new UsageError('--layout must be guest or importer')
  const names = caseOpt === undefined ? Object.keys(CASES) : [caseOpt as string]
  for (const name of names) {
    const [period, keep] = CASES[name]
    const kernel = w1KernelCase(period, keep)
    if (!kernel) throw new UsageError(`no kernel figures for W1 P=${period} K=${keep}`)
    process.stderr.write(`mmwb calibrate: running W1 P=${period} K=${keep}…\n`)
    const result = runW1({ period, keep, layout })
    process.stdout.write(formatW1Comparison(result, kernel) + '\n\n')
  }
  return EXIT.OK
}
