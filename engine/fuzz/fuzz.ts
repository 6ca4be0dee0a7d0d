/**
 * The fuzz loop: generate a program per seed, run it, and for each new failure (kind + rule)
 * shrink it to a minimal program and print it as a standalone script. Callers (the vitest
 * test, cli/fuzz.ts) supply the macrotask turn and decide when to stop.
 */
import { generate } from './generate'
import { runProgram, type FuzzFailure, type RunOptions } from './interp'
import { printProgram } from './print'
import type { Program } from './program'
import { shrink } from './shrink'

export interface FoundFailure {
  seed: number
  failure: FuzzFailure
  /** The shrunk program and its script. */
  minimal: Program
  script: string
}

export interface FuzzStats {
  programs: number
  ops: number
  eras: Record<string, number>
  designs: Record<string, number>
  opKinds: Record<string, number>
  userErrors: Record<string, number>
  stepLimits: number
  failures: FoundFailure[]
}

export function newStats(): FuzzStats {
  return {
    programs: 0,
    ops: 0,
    eras: {},
    designs: {},
    opKinds: {},
    userErrors: {},
    stepLimits: 0,
    failures: [],
  }
}

const bump = (t: Record<string, number>, k: string): void => void (t[k] = (t[k] ?? 0) + 1)

export const signature = (f: FuzzFailure): string => `${f.kind}: ${f.rule}`

/** Runs the program of `seed`; records it in `stats`; shrinks a failure not seen before. */
export async function fuzzSeed(
  seed: number,
  stats: FuzzStats,
  opts: RunOptions & { shrinkRuns?: number; nrOps?: number },
): Promise<FuzzFailure | null> {
  const p = generate(seed, opts.nrOps)
  const out = await runProgram(p, opts)
  stats.programs++
  stats.ops += out.opsRun
  bump(stats.eras, p.machine.kernelEra)
  for (const [k, v] of Object.entries(p.machine.design ?? {})) bump(stats.designs, `${k}=${v}`)
  for (const op of p.ops.slice(0, out.opsRun)) bump(stats.opKinds, op.op)
  if (out.stepLimit) stats.stepLimits++
  if (out.userError)
    bump(stats.userErrors, out.userError.replace(/0x[0-9a-f]+|\d+/g, 'N').slice(0, 100))
  const f = out.failure
  if (!f) return null
  if (stats.failures.some((x) => signature(x.failure) === signature(f))) return f
  const minimal = await minimize(p, f, opts)
  // The minimal program's own failure (its pfn and operation may differ from the original's).
  const mf = (await runProgram(minimal, opts)).failure ?? f
  stats.failures.push({ seed, failure: mf, minimal, script: reproScript(minimal, seed, mf) })
  return f
}

/** Shrinks a failing program, keeping the same failure kind and rule. */
export async function minimize(
  p: Program,
  f: FuzzFailure,
  opts: RunOptions & { shrinkRuns?: number },
): Promise<Program> {
  const cut = { ...p, ops: p.ops.slice(0, Math.min(p.ops.length, f.opIndex + 1)) }
  const same = async (q: Program): Promise<boolean> => {
    const o = await runProgram(q, opts)
    return o.failure !== null && signature(o.failure) === signature(f)
  }
  const start = (await same(cut)) ? cut : p
  return shrink(start, same, opts.shrinkRuns)
}

export function reproScript(p: Program, seed: number, f: FuzzFailure): string {
  return printProgram(p, [
    `mmwb fuzz: seed ${seed}, shrunk to ${p.ops.length} ops.`,
    `Expected: ${f.kind}: ${f.message.split('\n')[0]}`,
    'Run: npx mmwb run <this file>',
  ])
}
