#!/usr/bin/env node
// `npm run examples:readmes [-- --check] [--jobs N] [--only DIR,...] [--budget-ms N]`: reruns `mmwb compare`
// for every example workspace in resources/examples/ and rewrites each README's sections
// between `<!-- BEGIN mmwb compare -->` and `<!-- END mmwb compare -->` with the output (see
// scripts/exampleReadmes.ts). The runs are deterministic: the same tree gives the same READMEs
// on every machine, whatever --jobs. --check writes nothing and exits 1 when a README differs.
// Afterwards it lists figures the READMEs' prose quotes that the new tables no longer have.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
require('sucrase/register/ts')
const { listExamples, regenerate, diffHint, ROOT, REGEN_COMMAND } = require('./exampleReadmes.ts')
const { staleFigures } = require('./exampleReadmeFigures.ts')

const USAGE =
  'usage: node scripts/regen-example-readmes.mjs [--check] [--jobs N] [--only DIR,...] [--budget-ms N]'
const args = process.argv.slice(2)
let check = false
let jobs = availableParallelism()
let only = null
// Wall-clock budget per run: generous, so that a busy machine does not fail the regeneration
// (the output does not depend on it; `mmwb compare`'s default is 30 s).
let budgetMs = 600_000
for (let i = 0; i < args.length; i++) {
  const a = args[i]
  if (a === '--check') check = true
  else if (a === '--jobs') jobs = Number(args[++i])
  else if (a === '--budget-ms') budgetMs = Number(args[++i])
  else if (a === '--only') only = (args[++i] ?? '').split(',').filter((s) => s !== '')
  else if (a === '-h' || a === '--help') {
    console.log(USAGE)
    process.exit(0)
  } else {
    console.error(`unknown argument ${JSON.stringify(a)}\n${USAGE}`)
    process.exit(2)
  }
}
for (const [name, v] of [
  ['--jobs', jobs],
  ['--budget-ms', budgetMs],
]) {
  if (!Number.isInteger(v) || v < 1) {
    console.error(`${name}: must be a positive integer\n${USAGE}`)
    process.exit(2)
  }
}

let examples = listExamples()
if (only) {
  const known = examples.map((e) => e.dir)
  for (const o of only) {
    if (!known.includes(o)) {
      console.error(`--only: no example ${JSON.stringify(o)} (known: ${known.join(', ')})`)
      process.exit(2)
    }
  }
  examples = examples.filter((e) => only.includes(e.dir))
}

const started = Date.now()
let regenerated
try {
  regenerated = await regenerate(examples, {
    jobs,
    budgetMs,
    progress: (done, total, j) =>
      process.stderr.write(
        `  ${done}/${total} runs done (${j.path}: ${j.variant}, seed ${j.seed})\n`,
      ),
  })
} catch (e) {
  const where = e.job ? ` (${e.job.path}, variant ${e.job.variant}, seed ${e.job.seed})` : ''
  console.error(`mmwb compare failed${where}: ${e.name}: ${e.message}`)
  process.exit(1)
}

let status = 0
for (const r of regenerated) {
  const times = r.runs.map((x) => `${x.command}: runs ${(x.runMs / 1000).toFixed(1)} s`).join('; ')
  const unmet = r.runs.filter((x) => x.unmet > 0)
  if (unmet.length > 0) {
    console.error(
      `${r.example.readme}: NOT written: a variant did not meet its \`expect\` (see the` +
        ` invariant violations section of ${unmet.map((x) => x.command).join(', ')})`,
    )
    status = 5
    continue
  }
  if (r.current === r.expected) console.log(`${r.example.readme}: up to date (${times})`)
  else if (check) {
    console.log(`${r.example.readme}: OUT OF DATE (${times})\n${diffHint(r.current, r.expected)}`)
    status = Math.max(status, 1)
  } else {
    writeFileSync(join(ROOT, r.example.readme), r.expected)
    console.log(`${r.example.readme}: rewritten (${times})`)
  }
  const text = check ? r.expected : readFileSync(join(ROOT, r.example.readme), 'utf8')
  const tables = r.expected.split('<!-- BEGIN mmwb compare -->').slice(1)
  for (const f of staleFigures(text, tables)) {
    console.log(
      `  prose quotes ${f.quoted} for \`${f.row}\`, not in the table: "${f.context.replace(/\s+/g, ' ')}"`,
    )
  }
}
console.log(
  `${regenerated.length} example(s), ${jobs} job(s), ${((Date.now() - started) / 1000).toFixed(1)} s`,
)
if (status === 1) console.log(`regenerate with: ${REGEN_COMMAND}`)
process.exit(status)
