/**
 * What `mmwb compare` does, as functions: plan the runs of one script (its variants and seeds),
 * run the runs of one or more plans on one pool of engine-host processes, and render each
 * plan's output (the comparison table, the invariant-violation section and the provenance
 * section) exactly as the command prints it. scripts/regen-example-readmes.mjs and its drift
 * test call these to regenerate the example READMEs' tables.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { HostError } from '../../engine-host/errors'
import { inspectWorkload } from '../../engine-host/sandbox/inspect'
import { transpileWorkload } from '../../engine-host/transpile'
import { toWireError } from '../../protocol/guards'
import type { WireError } from '../../protocol/messages'
import type { LatencyHistogram, RunResult } from '../../protocol/result'
import { histogramPercentile } from '../../engine/api/histogram'
import {
  compareExperiment,
  makeExperiment,
  renderComparisonText,
  seriesNames,
  type ExperimentResult,
  type MetricSpec,
} from '../../protocol/results'
import { UsageError } from '../args'
import { HostClient, HostRequestError } from '../hostClient'

/** The runs `mmwb compare` makes for one script. */
export interface ComparePlan {
  /** Display path of the script (as in the table's first line). */
  path: string
  source: string
  /** Variant names, in column order (the first is the baseline). */
  variants: string[]
  seeds: number[]
  /** Wall-clock budget per run, ms. */
  budgetMs: number
}

/** What compare prints for one plan, and its exit verdict. */
export interface CompareOutput {
  /** The table, the invariant-violation section (if any) and the provenance section. */
  text: string
  /** Runs that did not meet their variant's `expect` (compare exits with status 5). */
  unmet: number
  experiment: ExperimentResult
}

/**
 * Reads the script's declarations and picks the variants (`wanted`, in that order, or all) and
 * the seeds (`seeds`, or the script's `seeds` export, or 1,2,3).
 */
export function planComparison(
  path: string,
  source: string,
  opts: { seeds?: number[]; variants?: string[]; budgetMs: number },
): ComparePlan {
  const decl = inspectWorkload(transpileWorkload(source, path), path, opts.budgetMs)
  if (decl.variants.length === 0) {
    throw new HostError(
      'ConfigError',
      `${path} exports no \`variants\`; compare needs at least one`,
    )
  }
  const declared = decl.variants.map((v) => v.name)
  for (const w of opts.variants ?? []) {
    if (!declared.includes(w)) {
      throw new UsageError(
        `no variant ${JSON.stringify(w)}; the script defines: ${declared.join(', ')}`,
      )
    }
  }
  const seeds = opts.seeds ?? (decl.seeds.length > 0 ? decl.seeds : [1, 2, 3])
  return { path, source, variants: opts.variants ?? declared, seeds, budgetMs: opts.budgetMs }
}

interface Job {
  plan: number
  variant: string
  seed: number
}

/** A run failed: the host's error, and which script, variant and seed it was. */
export class CompareRunError extends HostRequestError {
  constructor(
    wire: WireError,
    readonly job: { path: string; variant: string; seed: number },
  ) {
    super(wire)
  }
}

/** Called after each finished run: runs done so far, runs in all, the run's plan, variant, seed. */
export type CompareProgress = (done: number, total: number, job: ComparePlan & Job) => void

/**
 * Runs every (variant, seed) of every plan on `parallel` engine-host processes shared by all
 * plans; fails fast on the first error. Returns each plan's runs in (variant, seed) order.
 */
export async function runPlans(
  plans: readonly ComparePlan[],
  parallel: number,
  progress?: CompareProgress,
): Promise<RunResult[][]> {
  const jobs: Job[] = plans.flatMap((p, plan) =>
    p.variants.flatMap((variant) => p.seeds.map((seed) => ({ plan, variant, seed }))),
  )
  const results: RunResult[] = new Array(jobs.length)
  let next = 0
  let done = 0
  let failed: { wire: WireError; job: Job } | null = null
  const worker = async (): Promise<void> => {
    let j = jobs[Math.min(next, jobs.length - 1)]
    try {
      const client = await HostClient.start()
      try {
        while (!failed && next < jobs.length) {
          const i = next++
          j = jobs[i]
          const p = plans[j.plan]
          const { result } = client.run(
            { path: p.path, source: p.source },
            { seed: j.seed, variant: j.variant, timeBudgetMs: p.budgetMs },
          )
          results[i] = await result
          progress?.(++done, jobs.length, { ...p, ...j })
        }
      } finally {
        client.close()
      }
    } catch (e: unknown) {
      failed ??= { wire: e instanceof HostRequestError ? e.wire : toWireError(e), job: j }
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker))
  if (failed) {
    const { wire, job } = failed as { wire: WireError; job: Job }
    const { variant, seed } = job
    throw new CompareRunError(wire, { path: plans[job.plan].path, variant, seed })
  }
  return plans.map((_, plan) => results.filter((_r, i) => jobs[i].plan === plan))
}

/** Histogram statistics shown as table rows (bucket upper bounds for percentiles). */
const HIST_STATS = ['mean', 'p50', 'p99'] as const

/** Percentile rows: engine/api's nearest-rank bucket bound; an empty histogram shows its max. */
function histPercentile(h: LatencyHistogram, p: number): number {
  return histogramPercentile(h, p) ?? h.max
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

/** The application and version that ran the engine, from the repository's package.json. */
export const ENGINE_VERSION: string = (() => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    name: string
    version: string
  }
  return `${pkg.name} ${pkg.version}`
})()

/** One variant's kernel era and resolved design keys (from its runs' machine record). */
export interface VariantDesign {
  name: string
  era: string
  design: Record<string, string>
}

/** The design keys whose value differs between the variants: what the table compares. */
export function comparedDesignKeys(variants: readonly VariantDesign[]): string[] {
  const keys = new Set(variants.flatMap((v) => Object.keys(v.design)))
  return [...keys].filter((k) => new Set(variants.map((v) => v.design[k])).size > 1)
}

/** A variant's era and design as its first run recorded them. */
function variantDesigns(variants: readonly string[], runs: readonly RunResult[]): VariantDesign[] {
  return variants.map((name) => {
    const m = runs.find((r) => r.variant === name)?.machine ?? {}
    const design = (m.design ?? {}) as Record<string, string>
    return { name, era: String(m.kernelEra ?? '?'), design }
  })
}

/**
 * The provenance section: engine version, the script's sha256, the kernel era(s), the design
 * keys that differ between the variants (per variant) and those common to all of them.
 */
export function provenanceText(plan: ComparePlan, runs: readonly RunResult[]): string {
  const vds = variantDesigns(plan.variants, runs)
  const sha = createHash('sha256').update(plan.source).digest('hex')
  const eras = new Set(vds.map((v) => v.era))
  const era =
    eras.size === 1
      ? `kernel era ${vds[0].era}`
      : `kernel eras ${vds.map((v) => `${v.name}=${v.era}`).join(' ')}`
  const compared = comparedDesignKeys(vds)
  const kv = (v: VariantDesign, keys: string[]): string =>
    keys.map((k) => `${k}=${v.design[k]}`).join(' ')
  const common = Object.keys(vds[0]?.design ?? {}).filter((k) => !compared.includes(k))
  const lines = [
    `  ${ENGINE_VERSION}; ${era}; script sha256 ${sha}`,
    ...vds.map((v) => `  design ${v.name}: ${compared.length > 0 ? kv(v, compared) : '(same)'}`),
  ]
  if (vds.length > 0 && common.length > 0) {
    lines.push('  design, every variant:')
    // `key=value` pairs, wrapped at 100 columns.
    for (const pair of common.map((k) => `${k}=${vds[0].design[k]}`)) {
      const last = lines[lines.length - 1]
      if (last.startsWith('    ') && last.length + 1 + pair.length <= 100)
        lines[lines.length - 1] += ` ${pair}`
      else lines.push(`    ${pair}`)
    }
  }
  return `\nprovenance\n${lines.join('\n')}\n`
}

/** The output `mmwb compare` prints for a plan and its runs (in any order). */
export function renderComparison(plan: ComparePlan, runs: RunResult[]): CompareOutput {
  const experiment = makeExperiment(plan.path, plan.variants, plan.seeds, runs)
  const metrics: MetricSpec[] = seriesNames(runs).flatMap((series) => [
    { kind: 'series', series, stat: 'mean' } as const,
    { kind: 'series', series, stat: 'max' } as const,
  ])
  const withHist = histogramSeries(runs)
  metrics.push(...withHist.metrics)
  const table = compareExperiment({ ...experiment, runs: withHist.runs }, { metrics })
  const verdict = violationReport(runs)
  const text = renderComparisonText(table) + verdict.text + provenanceText(plan, runs)
  return { text, unmet: verdict.unmet, experiment }
}

/** Plans, runs (one shared pool) and renders every script, as `mmwb compare` would each. */
export async function compareAll(
  plans: readonly ComparePlan[],
  parallel: number,
  progress?: CompareProgress,
): Promise<CompareOutput[]> {
  const runs = await runPlans(plans, parallel, progress)
  return plans.map((p, i) => renderComparison(p, runs[i]))
}
