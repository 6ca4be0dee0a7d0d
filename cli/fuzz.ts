/**
 * `npm run fuzz -- [--minutes N] [--seed N] [--start N] [--out DIR]`: the long mode of the
 * workload-API fuzzer (engine/fuzz). Runs random seeds until the time is up (or one seed with
 * --seed), shrinks each new failure to a minimal script written to DIR, and prints programs
 * run, operations, kernel eras covered and failures. Exit status 5 when a failure was found.
 */
import { randomInt } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fuzzSeed, newStats, signature, type FuzzStats } from '../engine/fuzz/fuzz'
import { intOption, parseArgs, stringOption, UsageError } from './args'
import { EXIT } from './exitCodes'

export const FUZZ_HELP = `Usage: npm run fuzz -- [options]

Runs random workload programs against the public API (every call of mmwb.d.ts, every kernel
era, random design keys) with the invariant checker after every operation. A failure
(InvariantViolation or InternalError) is shrunk to a minimal script, written to --out.

Options:
  --minutes N   run random seeds for N minutes (default 1)
  --seed N      run only the program of seed N (and shrink it if it fails)
  --start N     first seed of the run (default: random); seeds then count up
  --ops N       operations per program (default: 60..400, drawn from the seed)
  --out DIR     where minimal scripts go (default fuzz-out)
  -h, --help    show this help
`

const macrotask = (): Promise<void> => new Promise((r) => setImmediate(r))

export function formatStats(s: FuzzStats, ms: number): string {
  const eras = Object.entries(s.eras)
    .sort()
    .map(([e, n]) => `${e}: ${n}`)
    .join(', ')
  const users = Object.values(s.userErrors).reduce((a, b) => a + b, 0)
  return [
    `programs run: ${s.programs}`,
    `operations: ${s.ops}`,
    `kernel eras: ${Object.keys(s.eras).length} (${eras})`,
    `design values drawn: ${Object.keys(s.designs).length}`,
    `op kinds run: ${Object.keys(s.opKinds).length}`,
    `programs ended by a documented error: ${users}; by the step limit: ${s.stepLimits}`,
    ...Object.entries(s.userErrors).map(([msg, n]) => `  ${n} x ${msg}`),
    `time: ${(ms / 1000).toFixed(1)} s`,
    `failures: ${s.failures.length}`,
  ].join('\n')
}

export async function fuzzMain(argv: string[]): Promise<number> {
  const p = parseArgs(argv, {
    minutes: { value: true },
    seed: { value: true },
    start: { value: true },
    ops: { value: true },
    out: { value: true },
    help: { value: false },
  })
  if (p.options.help) {
    process.stdout.write(FUZZ_HELP)
    return EXIT.OK
  }
  if (p.positionals.length > 0) throw new UsageError('fuzz takes no positional arguments')
  const out = stringOption(p, 'out') ?? 'fuzz-out'
  const nrOps = p.options.ops === undefined ? undefined : intOption(p, 'ops', 100, 1)
  const stats = newStats()
  const t0 = Date.now()
  const one = p.options.seed !== undefined
  const deadline = t0 + (one ? 0 : intOption(p, 'minutes', 1) * 60_000)
  let seed = one ? intOption(p, 'seed', 1) : intOption(p, 'start', randomInt(1, 2 ** 31))
  process.stdout.write(one ? `seed ${seed}\n` : `seeds from ${seed}\n`)
  do {
    const before = stats.failures.length
    const f = await fuzzSeed(seed, stats, { macrotask, nrOps })
    if (f && one && stats.failures.length === before)
      process.stdout.write(`seed ${seed}: ${signature(f)}\n`)
    for (const found of stats.failures.slice(before)) {
      mkdirSync(out, { recursive: true })
      const file = join(out, `seed-${found.seed}.ts`)
      writeFileSync(file, found.script)
      process.stdout.write(
        `FAIL seed ${found.seed}: ${signature(found.failure)}\n  ${found.failure.message}\n` +
          `  minimal script (${found.minimal.ops.length} ops): ${file}\n`,
      )
    }
    seed = (seed + 1) >>> 0
  } while (!one && Date.now() < deadline)
  process.stdout.write(formatStats(stats, Date.now() - t0) + '\n')
  return stats.failures.length > 0 ? EXIT.INVARIANT : EXIT.OK
}
