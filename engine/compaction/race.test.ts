/**
 * Seed 000's review (Vlastimil Babka on Zi Yan's v3 2/3, Feb 2024): compaction_free must not
 * `folio_set_count(dst, 0)` a destination somebody may hold a speculative
 * `get_page_unless_zero` reference on; `folio_put_testzero` and losing the page is correct.
 *
 * The race, made deterministic: a page-cache source has an extra reference, so migrate_pages
 * takes a destination from compaction_alloc, finds the reference count wrong (-EAGAIN) and
 * gives the destination back through compaction_free. The first destination handed out gets a
 * speculative reference (a PFN walker on another CPU) through `speculativeRefOnNewDst`; the
 * walker drops it after compaction has finished.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { folioPut, getPageUnlessZero } from '../mm/folio'
import { GFP_KERNEL } from '../mm/gfp'
import { checkInvariants } from '../mm/invariants'
import { type Machine } from '../mm/machine'
import { InvariantError } from '../mm/violation'
import { createCompactControl, defaultCompactionVariants, type CompactionVariants } from './types'
import { compactZone } from './compactZone'
import { fileAt, freeRange, layoutMachine, testEnv } from './testFixtures'

let m: Machine

function race(
  freeRefcount: CompactionVariants['freeRefcount'],
  debugVm: boolean,
): { holder: number; lost: number; result: string } {
  m = layoutMachine({ kernelEra: '6.12' })
  m.debugVm = debugVm
  fileAt(m, 0)
  getPageUnlessZero(m, 0) // the source's extra reference: migration fails with -EAGAIN
  // Free pages the free scanner can use: blocks free but for their last page (buddies of order ≤ 8).
  for (let b = 8192; b < 12288; b += 512) freeRange(m, b, 511)
  let first = true
  const env = testEnv({
    variants: { freeRefcount },
    speculativeRefOnNewDst: () => {
      const take = first
      first = false
      return take
    },
  })
  const cc = createCompactControl(m, 0, -1, 'sync', {
    ...defaultCompactionVariants(m),
    freeRefcount,
  })
  cc.gfpMask = GFP_KERNEL // __GFP_FS: page-cache folios may be isolated
  cc.wholeZone = true
  cc.ignoreSkipHint = true
  const result = compactZone(m, env, cc)
  expect(cc.speculativeRefs.length).toBe(1)
  return { holder: cc.speculativeRefs[0], lost: cc.lostFreepages, result }
}

afterEach(() => {
  m.debugVm = false
})

describe('variant compaction.freeRefcount: compaction_free vs a speculative reference (seed 000)', () => {
  test('put-testzero: the page is lost to compaction, the holder frees it, nothing is corrupted', () => {
    const { holder, lost, result } = race('put-testzero', true)
    expect(result).toBe('complete')
    expect(lost).toBe(1)
    expect(m.refcount[holder]).toBe(1) // only the speculative holder's reference is left
    expect(checkInvariants(m)).toBeNull()
    folioPut(m, holder) // the holder's final put returns it to the buddy allocator
    expect(m.refcount[holder]).toBe(0)
    expect(checkInvariants(m)).toBeNull()
    folioPut(m, 0)
  })

  test("set-count-zero under CONFIG_DEBUG_VM: the holder's put underflows a page compaction already freed", () => {
    const { holder, lost } = race('set-count-zero', true)
    expect(lost).toBe(0)
    expect(m.refcount[holder]).toBe(0) // recycled and released to the buddy allocator
    let err: unknown
    try {
      folioPut(m, holder)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InvariantError)
    expect((err as InvariantError).violation.rule).toBe('refcount-underflow')
    expect((err as InvariantError).violation.pfn).toBe(holder)
  })

  test('set-count-zero without the hot-path checks: the full checker names the corrupted page', () => {
    const { holder } = race('set-count-zero', false)
    folioPut(m, holder)
    const v = checkInvariants(m)
    expect(v).not.toBeNull()
    expect(v?.pfn).toBe(holder)
    expect(['refcount-negative', 'free-page-refcount']).toContain(v?.rule)
  })
})
