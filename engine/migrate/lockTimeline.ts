/**
 * Who held which folio lock (PG_locked) when, in simulated ns: migration records every hold of
 * a source folio here (from `folio_trylock`/`folio_lock` in `migrate_folio_unmap` to
 * `folio_unlock` in `migrate_folio_move` or the undo path), so that the scheduler can make a
 * task that wants the lock at time t in [start, end) wait until `end`, and charts can show the
 * hold times and the waits they cause (seed 001: the source stays locked across the
 * destination allocation in the after-lock variant).
 *
 * A hold recorded by somebody else with a known end (a workload task holding the lock until a
 * given time) is a promise to unlock at `end`: a blocking `folio_lock` in migration waits until
 * then and gets the lock handed over (the 5.9+ lock hand-off of mm/filemap.c:folio_wake_bit).
 */
export const MIGRATION_HOLD = 'migration'

export interface LockHold {
  pfn: number
  startNs: number
  endNs: number
  /** Who held it: `'migration'` for migrate_pages, otherwise the recorder's label. */
  reason: string
}

export class LockTimeline {
  /** Every hold, in recording order. */
  readonly holds: LockHold[] = []
  /** Per head pfn: indices into `holds`, in recording order. */
  private readonly byPfn = new Map<number, number[]>()

  /** Record that `pfn`'s lock was (or will be) held over [startNs, endNs). */
  hold(pfn: number, startNs: number, endNs: number, reason: string): void {
    if (!(endNs >= startNs))
      throw new RangeError(`lock hold of pfn ${pfn} ends (${endNs}) before it starts (${startNs})`)
    const i = this.holds.length
    this.holds.push({ pfn, startNs, endNs, reason })
    let list = this.byPfn.get(pfn)
    if (!list) this.byPfn.set(pfn, (list = []))
    list.push(i)
  }

  /** The holds of one pfn, in recording order. */
  holdsOf(pfn: number): LockHold[] {
    return (this.byPfn.get(pfn) ?? []).map((i) => this.holds[i])
  }

  /**
   * When a task asking for `pfn`'s lock at `atNs` gets it: the end of the chain of holds that
   * cover `atNs` (holds that start before the previous one ends queue behind it), or `atNs`
   * itself when the lock is free then. `except` skips holds of one reason (a holder asking
   * about others).
   */
  freeAtNs(pfn: number, atNs: number, except?: string): number {
    const list = this.byPfn.get(pfn)
    if (!list) return atNs
    let t = atNs
    let moved = true
    while (moved) {
      moved = false
      for (const i of list) {
        const h = this.holds[i]
        if (h.reason === except) continue
        if (h.startNs <= t && t < h.endNs) {
          t = h.endNs
          moved = true
        }
      }
    }
    return t
  }

  /** Wait a task asking for the lock at `atNs` would see, in ns (0 when free). */
  waitNs(pfn: number, atNs: number, except?: string): number {
    return this.freeAtNs(pfn, atNs, except) - atNs
  }

  /** Hold durations (ns) of the holds with this reason, in recording order. */
  durationsNs(reason: string = MIGRATION_HOLD): number[] {
    const out: number[] = []
    for (const h of this.holds) if (h.reason === reason) out.push(h.endNs - h.startNs)
    return out
  }
}
