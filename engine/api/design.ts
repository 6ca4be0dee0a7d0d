/**
 * The switchable designs of seeds 000–004 as a workload declares them, in `machine.design` or a
 * variant's `design`: dotted keys (`'compaction.freeRefcount': 'set-count-zero'`), validated
 * with errors that name the field, and filled in with the defaults of the machine's kernel era.
 * The engine folders take these as their own variant objects (CompactionVariants,
 * ContigVariant, MigrateOptions.allocateTarget).
 */
import { ConfigError, type Machine } from '../mm'
import { defaultCompactionVariants, type CompactionVariants } from '../compaction'
import { defaultContigVariant, type ContigVariant } from '../contig'
import {
  defaultDeferredSplitRequeue,
  defaultMigrateBatching,
  type AllocateTarget,
  type DeferredSplitRequeue,
  type MigrateBatching,
} from '../migrate'
import { defaultReclaimVariants, type ReclaimVariants } from '../reclaim'

/** Every design key, with the values it accepts. */
export const DESIGN_KEYS = {
  'migration.allocateTarget': ['before-lock', 'after-lock'],
  'migration.batching': ['batched', 'per-folio'],
  'compaction.freepages': ['order0-split', 'per-order', 'per-order-nosplit'],
  'compaction.largeFolios': ['skip', 'split', 'migrate'],
  'compaction.freeRefcount': ['set-count-zero', 'put-testzero'],
  'isolation.representation': ['migratetype', 'flag'],
  'contig.alignment': ['max-order', 'pageblock'],
  'contig.reclaim': ['migration-target', 'in-split-free-page', 'in-alloc-contig-range'],
  'contig.splitWatermark': ['low-2011', 'isolated-exempt'],
  'swap.largeFolios': ['pmd-only', 'any-order', 'split'],
  'buddy.mergeRule': ['mergeable', 'isolate-only'],
  'migration.deferredSplitRequeue': ['none', 'requeue'],
} as const

export type DesignKey = keyof typeof DESIGN_KEYS
export type DesignSpec = { [K in DesignKey]?: (typeof DESIGN_KEYS)[K][number] }

/** The resolved designs of a run, in the shapes the engine folders take. */
export interface Design {
  allocateTarget: AllocateTarget
  batching: MigrateBatching
  compaction: CompactionVariants
  contig: ContigVariant
  /**
   * Swap-out of large folios (seed 002, engine/reclaim ReclaimVariants.swapoutLargeFolios):
   * `pmd-only` (≤6.9: only a PMD folio with a free cluster swaps whole), `any-order` (6.10+:
   * any large folio with an aligned free run in a cluster), `split` (always split first).
   */
  swapLargeFolios: ReclaimVariants['swapoutLargeFolios']
  /**
   * `__free_one_page`'s pageblock rule (seed 003): `mergeable` (5.18+, every modelled era) or
   * `isolate-only` (≤5.17: CMA and HIGHATOMIC pageblocks merge with any type). Applied to the
   * machine with `applyMachineDesign` before the CMA areas are reserved.
   */
  buddyMergeRule: 'mergeable' | 'isolate-only'
  /**
   * Seed 002: whether migration requeues a destination whose source was on the deferred split
   * queue (engine/migrate `DeferredSplitRequeue`): `requeue` (6.12.y with the 2026 fix),
   * `none` (mainline before it).
   */
  deferredSplitRequeue: DeferredSplitRequeue
}

/** Checks a `design` object; `where` names it in errors (`machine.design`, `variants.x.design`). */
export function parseDesignSpec(raw: unknown, where: string): DesignSpec {
  if (raw === undefined) return {}
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(where, 'must be an object of design keys')
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(raw)) {
    const allowed = (DESIGN_KEYS as Record<string, readonly string[]>)[key]
    if (!allowed) {
      throw new ConfigError(
        `${where}.${key}`,
        `unknown design key (known: ${Object.keys(DESIGN_KEYS).join(', ')})`,
      )
    }
    if (typeof value !== 'string' || !allowed.includes(value)) {
      throw new ConfigError(
        `${where}.${key}`,
        `must be one of ${allowed.map((v) => `'${v}'`).join(', ')}, got ${JSON.stringify(value)}`,
      )
    }
    out[key] = value
  }
  return out as DesignSpec
}

/** The era's defaults overridden by `spec`. */
export function resolveDesign(m: Machine, spec: DesignSpec): Design {
  const c = defaultCompactionVariants(m)
  const g = defaultContigVariant(m)
  return {
    allocateTarget: spec['migration.allocateTarget'] ?? 'before-lock',
    batching: spec['migration.batching'] ?? defaultMigrateBatching(m),
    compaction: {
      freepages: spec['compaction.freepages'] ?? c.freepages,
      largeFolios: spec['compaction.largeFolios'] ?? c.largeFolios,
      freeRefcount: spec['compaction.freeRefcount'] ?? c.freeRefcount,
    },
    contig: {
      ...g,
      representation: spec['isolation.representation'] ?? g.representation,
      alignment: spec['contig.alignment'] ?? g.alignment,
      reclaim: spec['contig.reclaim'] ?? g.reclaim,
      splitWatermark: spec['contig.splitWatermark'] ?? g.splitWatermark,
    },
    swapLargeFolios: spec['swap.largeFolios'] ?? defaultReclaimVariants(m).swapoutLargeFolios,
    buddyMergeRule: spec['buddy.mergeRule'] ?? 'mergeable',
    deferredSplitRequeue:
      spec['migration.deferredSplitRequeue'] ?? defaultDeferredSplitRequeue(m),
  }
}

/** Designs that live on the machine itself (the buddy's merge rule), set at boot. */
export function applyMachineDesign(m: Machine, d: Design): void {
  m.mergeIsolateOnly = d.buddyMergeRule === 'isolate-only'
}

/** The resolved designs as dotted keys (for the result's machine record). */
export function designRecord(d: Design): Record<DesignKey, string> {
  return {
    'migration.allocateTarget': d.allocateTarget,
    'migration.batching': d.batching,
    'compaction.freepages': d.compaction.freepages,
    'compaction.largeFolios': d.compaction.largeFolios,
    'compaction.freeRefcount': d.compaction.freeRefcount,
    'isolation.representation': d.contig.representation,
    'contig.alignment': d.contig.alignment,
    'contig.reclaim': d.contig.reclaim,
    'contig.splitWatermark': d.contig.splitWatermark,
    'swap.largeFolios': d.swapLargeFolios,
    'buddy.mergeRule': d.buddyMergeRule,
    'migration.deferredSplitRequeue': d.deferredSplitRequeue,
  }
}
