/** `npm run bench` entry: run the named benchmarks (default: all) and print one JSON line each. */
import { runBench } from './index'

runBench(process.argv.slice(2)).then(
  (results) => {
    for (const r of results) process.stdout.write(JSON.stringify(r) + '\n')
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
  },
)
