/**
 * The run panel's machine fields: which MachineConfig fields the form offers, and the light
 * checks made as the user types (the ranges of engine/mm/config.ts:parseMachineConfig). The
 * engine still validates the whole machine; its ConfigError names the field and is shown
 * beside it. An empty field means "as the script says" (the script's `machine` export, else
 * the engine's default).
 */
import type { KernelEra, MachineConfig } from '../../../engine/mm/config'

type FieldName = keyof MachineConfig | 'movableMiB'

export type MachineFieldDef =
  | {
      name: FieldName
      kind: 'int'
      label: string
      min: number
      max: number
      unit?: string
      hint: string
    }
  | { name: FieldName; kind: 'enum'; label: string; options: readonly string[]; hint: string }
  | { name: FieldName; kind: 'bool'; label: string; hint: string }

export const KERNEL_ERAS = ['6.1', '6.6', '6.9', '6.10', '6.12', '6.15', '2025'] as const
// Fails to compile when engine/mm/config.ts gains an era the form does not offer.
const ALL_ERAS: Record<KernelEra, true> = Object.fromEntries(
  KERNEL_ERAS.map((e) => [e, true]),
) as Record<(typeof KERNEL_ERAS)[number], true>
void ALL_ERAS

export const MACHINE_FIELDS: readonly MachineFieldDef[] = [
  {
    name: 'memoryMiB',
    kind: 'int',
    label: 'memory',
    min: 64,
    max: 65536,
    unit: 'MiB',
    hint: 'Total memory (64 MiB .. 64 GiB); a multiple of the pageblock size.',
  },
  {
    name: 'kernelEra',
    kind: 'enum',
    label: 'kernel era',
    options: KERNEL_ERAS,
    hint: 'Kernel version whose allocator behaviour is simulated.',
  },
  {
    name: 'nrCpus',
    kind: 'int',
    label: 'CPUs',
    min: 1,
    max: 1024,
    hint: 'Number of CPUs (at least one per node).',
  },
  {
    name: 'nrNodes',
    kind: 'int',
    label: 'NUMA nodes',
    min: 1,
    max: 64,
    hint: 'NUMA nodes; memory is split evenly by address.',
  },
  {
    name: 'movableMiB',
    kind: 'int',
    label: 'ZONE_MOVABLE',
    min: 0,
    max: 65535,
    unit: 'MiB',
    hint: 'Like movablecore=: ZONE_MOVABLE taken from the top of each node.',
  },
  {
    name: 'pcp',
    kind: 'bool',
    label: 'per-cpu lists (pcp)',
    hint: 'Per-cpu page lists (per_cpu_pages).',
  },
  {
    name: 'maxPageOrder',
    kind: 'int',
    label: 'MAX_PAGE_ORDER',
    min: 1,
    max: 12,
    hint: 'Largest buddy order.',
  },
  {
    name: 'pageblockOrder',
    kind: 'int',
    label: 'pageblock_order',
    min: 1,
    max: 12,
    hint: 'Pageblock order (at most MAX_PAGE_ORDER).',
  },
  {
    name: 'watermarkScaleFactor',
    kind: 'int',
    label: 'watermark_scale_factor',
    min: 1,
    max: 3000,
    hint: 'vm.watermark_scale_factor.',
  },
  {
    name: 'watermarkBoostFactor',
    kind: 'int',
    label: 'watermark_boost_factor',
    min: 0,
    max: 1000000,
    hint: 'vm.watermark_boost_factor (0 disables boosting).',
  },
  {
    name: 'minFreeKbytes',
    kind: 'int',
    label: 'min_free_kbytes',
    min: 128,
    max: 65536 * 1024,
    unit: 'KiB',
    hint: 'vm.min_free_kbytes (default derived at boot).',
  },
  {
    name: 'debugVm',
    kind: 'bool',
    label: 'CONFIG_DEBUG_VM checks',
    hint: 'Double-free, refcount and bad-page checks in the hot paths.',
  },
]

/** What the user typed, by field name; missing or '' = as the script says. */
export type MachineFormValues = Partial<Record<string, string>>

/** The light client-side check of one field; null when acceptable. */
export function checkField(
  def: MachineFieldDef,
  text: string,
  all: MachineFormValues,
): string | null {
  if (text === '') return null
  switch (def.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(text.trim())) return 'must be an integer'
      const v = Number(text)
      let max = def.max
      let min = def.min
      if (def.name === 'pageblockOrder' && all.maxPageOrder)
        max = Math.min(max, Number(all.maxPageOrder) || max)
      if (def.name === 'nrCpus' && all.nrNodes) min = Math.max(min, Number(all.nrNodes) || min)
      if (v < min || v > max) return `must be in ${min}..${max}`
      if (def.name === 'memoryMiB') {
        const pbOrder = Number(all.pageblockOrder) || 9
        if ((v * 256) % 2 ** pbOrder !== 0) return 'must be a multiple of the pageblock size'
      }
      if (def.name === 'movableMiB' && all.memoryMiB && v >= Number(all.memoryMiB))
        return 'must leave kernel memory (less than memory)'
      return null
    }
    case 'enum':
      return def.options.includes(text) ? null : `must be one of ${def.options.join(', ')}`
    case 'bool':
      return text === 'true' || text === 'false' ? null : 'must be on or off'
  }
}

/** Errors per field name, for the whole form. */
export function checkForm(values: MachineFormValues): Record<string, string> {
  const out: Record<string, string> = {}
  for (const def of MACHINE_FIELDS) {
    const err = checkField(def, values[def.name] ?? '', values)
    if (err) out[def.name] = err
  }
  return out
}

/** The machine override a valid form gives (only the fields the user set); null if invalid. */
export function formOverride(values: MachineFormValues): Record<string, unknown> | null {
  if (Object.keys(checkForm(values)).length > 0) return null
  const out: Record<string, unknown> = {}
  for (const def of MACHINE_FIELDS) {
    const text = values[def.name] ?? ''
    if (text === '') continue
    out[def.name] = def.kind === 'int' ? Number(text) : def.kind === 'bool' ? text === 'true' : text
  }
  return out
}

/** The field a ConfigError names (`memoryMiB: must be …` → memoryMiB). */
export function configErrorField(message: string): { field: string; problem: string } | null {
  const m = /^([A-Za-z_][\w.[\]]*): (.*)$/s.exec(message)
  return m ? { field: m[1]!, problem: m[2]! } : null
}
