/** `mmwb bench [names...]`: run the engine's benchmarks, one JSON line per result. */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from '../args'
import { EXIT, EXIT_CODES_HELP, type ExitCode } from '../exitCodes'

export const BENCH_HELP = `Usage: mmwb bench [names...]

Runs the engine's benchmarks (all, or the named ones) and prints one JSON object per
result on its own line, for machine consumption.

Options:
  -h, --help        show this help

${EXIT_CODES_HELP}
`

type RunBench = (names?: string[]) => Promise<object[]>

export async function benchCommand(argv: string[]): Promise<ExitCode> {
  const p = parseArgs(argv, { help: { value: false } })
  if (p.options.help) {
    process.stdout.write(BENCH_HELP)
    return EXIT.OK
  }
  const entry = join(__dirname, '..', 'bench', 'index.ts')
  if (!existsSync(entry)) {
    process.stderr.write(
      'mmwb bench: the benchmark suite (cli/bench/index.ts) is not part of this checkout\n',
    )
    return EXIT.INTERNAL
  }
  // Loaded on demand: the suite pulls in the whole engine, which `run` and `proc` never need
  // in this process (they run the engine in engine-host).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(entry) as { runBench?: RunBench }
  if (typeof mod.runBench !== 'function') {
    process.stderr.write('mmwb bench: cli/bench/index.ts does not export runBench(names?)\n')
    return EXIT.INTERNAL
  }
  const results = await mod.runBench(p.positionals.length > 0 ? p.positionals : undefined)
  for (const r of results) process.stdout.write(JSON.stringify(r) + '\n')
  return EXIT.OK
}
