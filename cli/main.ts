/**
 * `mmwb`, the headless runner of MM Workbench. cli/bin/mmwb.js loads this file through
 * sucrase's require hook and calls `main(argv)`, which sets `process.exitCode`.
 */
import { UsageError } from './args'
import { benchCommand } from './commands/bench'
import { calibrateCommand } from './commands/calibrate'
import { compareCommand } from './commands/compare'
import { procCommand } from './commands/proc'
import { runCommand } from './commands/run'
import { EXIT, EXIT_CODES_HELP, type ExitCode } from './exitCodes'

export const MAIN_HELP = `Usage: mmwb <command> [options]

Headless runner of MM Workbench: runs TypeScript workloads against the simulated
Linux physical-memory model and prints kernel-format results.

Commands:
  run <script.ts>          run a workload; print a summary and /proc/buddyinfo
  compare <script.ts>      run every variant x seed; print an mmtests-style comparison
  proc <script.ts> <file>  run a workload; print one /proc or debugfs file at the end
  bench [names...]         run the engine benchmarks; one JSON line per result
  calibrate [w1]           run the calibration workload beside the real kernel's figures
  help [command]           show help for a command

Run \`mmwb <command> --help\` for a command's options.
Example: npx mmwb run resources/examples/hello.ts --seed 7 --json out.json

${EXIT_CODES_HELP}
`

const COMMANDS: Record<string, (argv: string[]) => Promise<ExitCode>> = {
  run: runCommand,
  compare: compareCommand,
  proc: procCommand,
  bench: benchCommand,
  calibrate: calibrateCommand,
}

async function dispatch(argv: string[]): Promise<ExitCode> {
  const [cmd, ...rest] = argv
  if (cmd === undefined || cmd === '--help' || cmd === '-h') {
    process.stdout.write(MAIN_HELP)
    return cmd === undefined ? EXIT.USAGE : EXIT.OK
  }
  if (cmd === 'help') {
    const sub = rest[0]
    if (sub && COMMANDS[sub]) return COMMANDS[sub](['--help'])
    process.stdout.write(MAIN_HELP)
    return EXIT.OK
  }
  const command = COMMANDS[cmd]
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(cmd)} (try mmwb --help)`)
  return command(rest)
}

export async function main(argv: string[]): Promise<void> {
  let code: ExitCode
  try {
    code = await dispatch(argv)
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`mmwb: ${e.message}\n`)
      code = EXIT.USAGE
    } else {
      process.stderr.write(`mmwb: internal error: ${(e as Error)?.message ?? String(e)}\n`)
      code = EXIT.INTERNAL
    }
  }
  process.exitCode = code
}
