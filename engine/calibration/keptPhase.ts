/**
 * The phase of the kept pages: where, within each period of P pfns, the pages the fragment step
 * kept sit. The guest's record gives it as `kv.pb_kept_phase` (with `pb_kept_phase_count`, the
 * kept pages at that phase): the most common `(pfn − i) mod P` over the kept pages, i being the
 * page's index in the mapping (kept pages are the first K of every P, so a mapping laid out in
 * physical order has every kept run starting at pfn ≡ phase mod P). With P=8 K=1 this is the
 * kept page's pfn mod 8; with P=128 K=16 it is where each run of 16 starts.
 *
 * The phase decides how the P − K freed pages of each period split into buddy blocks (a
 * 112-page hole starting at pfn ≡ 86 mod 128 is orders 1,1,2,3,5,6; one starting at 16 is
 * 4,5,6), so the free lists compaction's fast searches walk. The model sets it up like the
 * guest's: `keptPhaseLead` is how many pages to touch before the mapping so that its kept pages
 * land at the guest's phase (a set-up from a measured layout field, as guestLayout.ts's
 * `fillLeadPages`; it never looks at an outcome).
 */
import { bootW1Guest, type W1Options } from './w1'
import { fillAnon, fragmentAnon, freeKb, keptPhase, type KeptPhase } from './steps'

/**
 * The kept-page phase the W1 steps give on the guest's imported `start` state (the fill and
 * fragment alone, on a machine of its own).
 */
export function w1KeptPhase(opts: W1Options): KeptPhase {
  const { m } = bootW1Guest(opts)
  const order = opts.folioOrder ?? 0
  const memFreeStartKb = freeKb(m)
  if ((opts.fillLeadPages ?? 0) > 0) fillAnon(m, opts.fillLeadPages ?? 0, order)
  const fill = fillAnon(m, (Math.floor((memFreeStartKb - 65536) / 2048) * 2048) / 4, order)
  const kept = fragmentAnon(m, fill, opts.period, opts.keep, order)
  return keptPhase(kept, opts.period, opts.keep)
}

/**
 * Pages to touch before the mapping so that its kept pages sit at the guest's `phase`: each
 * page taken first moves the mapping one pfn up in the allocator's ascending order, so the
 * phase by `(phase − model) mod P` (a whole number of pages; with an mTHP fill, whole folios).
 */
export function keptPhaseLead(guestPhase: number, model: KeptPhase, period: number, step = 1): number {
  const lead = (((guestPhase - model.phase) % period) + period) % period
  if (lead % step !== 0)
    throw new RangeError(`keptPhaseLead: a lead of ${lead} pages is not whole folios of ${step}`)
  return lead
}
