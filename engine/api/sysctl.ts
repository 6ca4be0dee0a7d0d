/**
 * The `vm.*` sysctls the model honours, with the kernel's ranges and handlers
 * (kernel/sysctl tables in mm/page_alloc.c): writing `min_free_kbytes` or
 * `watermark_scale_factor` runs `setup_per_zone_wmarks` (with the lowmem reserves and per-cpu
 * high/batch that depend on them), which recomputes every zone's watermarks and clears the boost; `watermark_boost_factor` is read on each boost.
 * Out-of-range writes fail like EINVAL from proc_dointvec_minmax.
 */
import { recomputeWatermarks, type Machine } from '../mm'

interface SysctlDef {
  key: 'minFreeKbytes' | 'watermarkScaleFactor' | 'watermarkBoostFactor'
  min: number
  max: number
  /** The proc handler's side effect after a successful write. */
  apply?: (m: Machine) => void
}

const SYSCTLS: Record<string, SysctlDef> = {
  // min_free_kbytes_sysctl_handler: proc_dointvec_minmax(extra1 = SYSCTL_ZERO), then setup_per_zone_wmarks
  'vm.min_free_kbytes': {
    key: 'minFreeKbytes',
    min: 0,
    max: 2 ** 31 - 1,
    apply: recomputeWatermarks,
  },
  // watermark_scale_factor_sysctl_handler: 1..3000, then setup_per_zone_wmarks
  'vm.watermark_scale_factor': {
    key: 'watermarkScaleFactor',
    min: 1,
    max: 3000,
    apply: recomputeWatermarks,
  },
  // proc_dointvec_minmax(extra1 = SYSCTL_ZERO); read by boost_watermark
  'vm.watermark_boost_factor': { key: 'watermarkBoostFactor', min: 0, max: 2 ** 31 - 1 },
}

export const SYSCTL_NAMES = Object.keys(SYSCTLS)

function lookup(name: string): SysctlDef {
  const def = SYSCTLS[name]
  if (!def) {
    throw new RangeError(
      `sysctl: unknown or unmodelled knob ${JSON.stringify(name)} (the model honours ${SYSCTL_NAMES.join(', ')})`,
    )
  }
  return def
}

export function sysctlGet(m: Machine, name: string): number {
  return m.cfg[lookup(name).key]
}

export function sysctlSet(m: Machine, name: string, value: number): void {
  const def = lookup(name)
  if (typeof value !== 'number' || !Number.isInteger(value) || value < def.min || value > def.max) {
    throw new RangeError(
      `sysctl ${name}=${String(value)}: Invalid argument (must be an integer in ${def.min}..${def.max})`,
    )
  }
  m.cfg[def.key] = value
  def.apply?.(m)
}
