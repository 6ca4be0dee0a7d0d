/** `mmwb proc <script.ts> <file>`: print one kernel file as it reads at the end of a run. */
import { intOption, parseArgs, stringOption, UsageError } from '../args'
import { EXIT, EXIT_CODES_HELP, type ExitCode } from '../exitCodes'
import { executeScript } from '../execute'
import { DEFAULT_BUDGET_MS } from './run'

/** Accepted names, short and full, for each file the model serves. */
const FILES: Record<string, string> = {
  buddyinfo: '/proc/buddyinfo',
  pagetypeinfo: '/proc/pagetypeinfo',
  vmstat: '/proc/vmstat',
  unusable_index: '/sys/kernel/debug/extfrag/unusable_index',
  'extfrag/unusable_index': '/sys/kernel/debug/extfrag/unusable_index',
  extfrag_index: '/sys/kernel/debug/extfrag/extfrag_index',
  'extfrag/extfrag_index': '/sys/kernel/debug/extfrag/extfrag_index',
}
for (const path of new Set(Object.values(FILES))) FILES[path] = path

export const PROC_HELP = `Usage: mmwb proc <script.ts> <file> [options]

Runs the workload, then prints one kernel file as it reads at the end of the run.
The script's console output goes to stderr, so stdout holds only the file.

Files:
  buddyinfo               /proc/buddyinfo
  pagetypeinfo            /proc/pagetypeinfo
  vmstat                  /proc/vmstat
  extfrag/unusable_index  /sys/kernel/debug/extfrag/unusable_index
  extfrag/extfrag_index   /sys/kernel/debug/extfrag/extfrag_index

Options:
  --seed N          seed of the run's RNG (default 1)
  --variant NAME    run the named entry of the script's \`variants\` export
  --budget-ms N     wall-clock budget in ms (default ${DEFAULT_BUDGET_MS})
  -h, --help        show this help

${EXIT_CODES_HELP}
`

export async function procCommand(argv: string[]): Promise<ExitCode> {
  const p = parseArgs(argv, {
    seed: { value: true },
    variant: { value: true },
    'budget-ms': { value: true },
    help: { value: false },
  })
  if (p.options.help) {
    process.stdout.write(PROC_HELP)
    return EXIT.OK
  }
  if (p.positionals.length !== 2)
    throw new UsageError('mmwb proc takes a script file and a file name')
  const [script, name] = p.positionals
  const path = FILES[name]
  if (!path) {
    throw new UsageError(
      `unknown file ${JSON.stringify(name)}; one of: buddyinfo, pagetypeinfo, vmstat, extfrag/unusable_index, extfrag/extfrag_index`,
    )
  }
  const out = await executeScript(script, {
    seed: intOption(p, 'seed', 1),
    variant: stringOption(p, 'variant'),
    budgetMs: intOption(p, 'budget-ms', DEFAULT_BUDGET_MS, 1),
    logTo: process.stderr,
  })
  if (!out.ok) return out.code
  process.stdout.write(out.result.proc[path] ?? '')
  return EXIT.OK
}
