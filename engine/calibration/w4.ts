/**
 * W4 (batch 2 `w4_612_m64_p128k16`): the W1 steps with a fill of 64 KiB anonymous folios
 * (`hugepages-64kB/enabled=always`, THP `never`, defrag `never`: `alloc_anon_folio` asks for
 * order 4 with GFP_TRANSHUGE_LIGHT, no reclaim or compaction, and falls back to order 0).
 * P=128 K=16 keeps one whole folio of every eight and frees whole folios. Besides W1's figures
 * it counts the kept folios still whole after compact_memory and after hp_after: 6.12 splits
 * the partially mapped ones that migration queued (deferred split) when hp_after's reclaim
 * runs the deferred-split shrinker.
 */
import { ConfigError } from '../mm/config'
import { fillLeadPages } from './guestLayout'
import { kernelDelta, kvNumber, type CaseData } from './cases'
import { row, type CalibrationRow } from './rows'
import { type W1Result } from './w1'
import { runW1Batch2, w1Rows } from './w1Direct'

/** log2(64 KiB / 4 KiB). */
export const W4_FOLIO_ORDER = 4

export function runW4(data: CaseData): W1Result {
  const mthpKb = kvNumber(data.record, 'mthp_kb')
  const order = Math.log2(mthpKb / 4)
  if (!Number.isInteger(order) || order < 1)
    throw new RangeError(`W4: mthp_kb ${mthpKb} is not a power-of-two multiple of 4 KiB`)
  const filled = data.record.pageblock_maps?.filled
  if (filled === undefined) throw new ConfigError('pageblock_maps.filled', 'missing in the W4 guest record')
  // x86-64 pageblock_order 9: 512 pages per pageblock in the guest.
  return runW1Batch2(data, order, fillLeadPages(filled, 512))
}

export function w4Rows(rec: CaseData['record'], r: W1Result): CalibrationRow[] {
  return [
    ...w1Rows(rec, r),
    row('kept folios whole after fragmenting', 'info', kvNumber(rec, 'pb_kept_folios_intact'), r.keptFoliosWhole.fragmented),
    row('kept folios whole after compact_memory', 'outcome', kvNumber(rec, 'pb_kept_after_compact_folios_intact'), r.keptFoliosWhole.compacted),
    row('kept folios whole after hp_after', 'outcome', kvNumber(rec, 'pb_kept_after_hp_folios_intact'), r.keptFoliosWhole.hpAfter),
    row('fill: mapping pages in its first pageblock', 'info', firstPageblockPages(rec.pageblock_maps?.filled ?? []), r.fillFirstPageblockPages),
    row('fill: 64 KiB folios allocated', 'info', kernelDelta(rec, 'start->filled', 'mthp64k.anon_fault_alloc'), r.nrFolios),
  ]
}

/**
 * Mapping pages in the lowest pageblock that holds any: where the guest's fill began (its
 * mapping is touched in address order, which there follows physical order).
 */
function firstPageblockPages(filled: readonly number[]): number {
  return filled.find((n) => n !== 0) ?? 0
}
