/**
 * Each variant's kernel era and resolved design keys, read from a workload module without
 * running it: the module is evaluated in a fresh sandbox (as inspect.ts does), each variant's
 * machine spec and design are merged as a run merges them (engine/api/run.ts
 * resolveMachineSpec), and the design is filled in with the era's defaults on a freshly
 * created machine of that spec (resolveDesign), which is what the run's `machine.design`
 * record holds. The example-README checks use it to see which design key values the seed
 * examples compare.
 */
import { designRecord, resolveDesign } from '../../engine/api/design'
import { resolveMachineSpec, WorkloadRun } from '../../engine/api/run'
import { createMachine, parseMachineConfig } from '../../engine/mm'
import { CURRENT_REALM } from '../../engine/sched/realm'
import { scriptErrorFrom } from '../errors'
import { createVmSandbox, installGuest, loadModule } from './vmContext'

/** A variant's kernel era and every design key's value in its runs. */
export interface VariantDesign {
  name: string
  era: string
  design: Record<string, string>
}

export function inspectVariantDesigns(
  code: string,
  file: string,
  timeoutMs: number,
): VariantDesign[] {
  const sb = createVmSandbox(file)
  const run = new WorkloadRun({ seed: 0, realm: CURRENT_REALM, log: () => {} })
  try {
    const exports = loadModule(sb, installGuest(sb, run.sys), code, file, timeoutMs)
    const v = exports.variants
    const names = typeof v === 'object' && v !== null ? Object.keys(v) : []
    return names.map((name) => {
      const { spec, design } = resolveMachineSpec(exports, name)
      // Boot-time devices are not part of the machine config (run.ts WorkloadRun.start).
      const { cma: _cma, virtioMem: _virtioMem, swap: _swap, ...mmSpec } = spec
      const cfg = parseMachineConfig(mmSpec)
      const m = createMachine(cfg)
      return { name, era: cfg.kernelEra, design: designRecord(resolveDesign(m, design)) }
    })
  } catch (e) {
    throw scriptErrorFrom(e, file)
  }
}
