/**
 * Delta debugging of a failing program: drop chunks of ops, then single ops, then simplify
 * arguments and the machine, keeping each change only while the program stays valid in the
 * static model and still fails the same way (same kind and rule).
 */
import { validProgram } from './ops'
import type { FuzzMachine, Op, Program } from './program'

export type StillFails = (p: Program) => Promise<boolean>

function withOps(p: Program, ops: Op[]): Program {
  return { ...p, ops }
}

/** Machine simplifications to try, one at a time. */
function machineCandidates(mc: FuzzMachine): FuzzMachine[] {
  const out: FuzzMachine[] = []
  const drop = <K extends keyof FuzzMachine>(k: K): void => {
    if (mc[k] === undefined) return
    const c = { ...mc }
    delete c[k]
    out.push(c)
  }
  drop('design')
  drop('swap')
  drop('cma')
  drop('virtioMem')
  drop('movableMiB')
  drop('pcp')
  for (const key of Object.keys(mc.design ?? {})) {
    const d = { ...mc.design }
    delete d[key]
    out.push({ ...mc, design: d })
  }
  if (mc.nrCpus > 1) out.push({ ...mc, nrCpus: 1 })
  if (mc.memoryMiB > 128 && !mc.virtioMem) out.push({ ...mc, memoryMiB: mc.memoryMiB / 2 })
  return out
}

export async function shrink(p: Program, stillFails: StillFails, maxRuns = 400): Promise<Program> {
  let runs = 0
  const attempt = async (q: Program): Promise<boolean> => {
    if (runs >= maxRuns || !validProgram(q)) return false
    runs++
    return stillFails(q)
  }
  let best = p
  for (let chunk = Math.max(1, best.ops.length >> 1); chunk >= 1 && runs < maxRuns;) {
    let removed = false
    for (let i = best.ops.length - chunk; i >= 0 && runs < maxRuns; i -= chunk) {
      const ops = [...best.ops.slice(0, i), ...best.ops.slice(i + chunk)]
      if (await attempt(withOps(best, ops))) {
        best = withOps(best, ops)
        removed = true
      }
    }
    if (!removed) chunk = chunk === 1 ? 0 : chunk >> 1
    else chunk = Math.min(chunk, Math.max(1, best.ops.length >> 1))
  }
  // Smaller loops.
  for (let i = 0; i < best.ops.length && runs < maxRuns; i++) {
    const op = best.ops[i]
    if (op.op !== 'fill' && op.op !== 'tasks') continue
    for (let cnt = (op.n as number) >> 1; cnt >= 1; cnt >>= 1) {
      const ops = [...best.ops]
      ops[i] = { ...op, n: cnt }
      if (!(await attempt(withOps(best, ops)))) break
      best = withOps(best, ops)
    }
  }
  let progress = true
  while (progress && runs < maxRuns) {
    progress = false
    for (const mc of machineCandidates(best.machine)) {
      if (await attempt({ ...best, machine: mc })) {
        best = { ...best, machine: mc }
        progress = true
        break
      }
    }
  }
  return best
}
