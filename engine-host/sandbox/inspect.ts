/**
 * Reads what a workload module declares (its `variants` with descriptions, its `seeds`)
 * without running it: the module is evaluated in a fresh sandbox, as for a run, and only
 * strings and numbers are copied out. `mmwb compare` uses it to plan its runs.
 */
import { WorkloadRun } from '../../engine/api/run'
import { CURRENT_REALM } from '../../engine/sched/realm'
import { HostError, scriptErrorFrom } from '../errors'
import { createVmSandbox, installGuest, loadModule } from './vmContext'

export interface WorkloadDeclarations {
  variants: { name: string; description?: string }[]
  seeds: number[]
}

export function inspectWorkload(
  code: string,
  file: string,
  timeoutMs: number,
): WorkloadDeclarations {
  const sb = createVmSandbox(file)
  // The kernel cannot be reached at module top level; only console output goes somewhere.
  const run = new WorkloadRun({ seed: 0, realm: CURRENT_REALM, log: () => {} })
  try {
    const exports = loadModule(sb, installGuest(sb, run.sys), code, file, timeoutMs)
    const out: WorkloadDeclarations = { variants: [], seeds: [] }
    const v = exports.variants
    if (v !== undefined) {
      if (typeof v !== 'object' || v === null)
        throw new HostError('ConfigError', 'variants: must be an object')
      for (const name of Object.keys(v)) {
        const d = (v as Record<string, { description?: unknown } | undefined>)[name]?.description
        out.variants.push(typeof d === 'string' ? { name, description: d } : { name })
      }
    }
    const seeds = exports.seeds
    if (seeds !== undefined) {
      if (!Array.isArray(seeds) || seeds.some((s) => !Number.isSafeInteger(s) || s < 0)) {
        throw new HostError('ConfigError', 'seeds: must be an array of non-negative integers')
      }
      out.seeds = [...(seeds as number[])]
    }
    return out
  } catch (e) {
    if ((e as { code?: unknown })?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new HostError('ScriptTimeout', `evaluating the module took longer than ${timeoutMs} ms`)
    }
    throw scriptErrorFrom(e, file)
  }
}
