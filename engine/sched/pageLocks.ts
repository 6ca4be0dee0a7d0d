/**
 * PG_locked as a sleeping lock with FIFO hand-off, and PG_writeback waits.
 *
 * mm/filemap.c:folio_lock / __folio_lock: a task that finds the folio locked sleeps on the
 * folio's wait queue. folio_unlock → folio_wake_bit wakes the first exclusive waiter and,
 * since 5.9's lock hand-off ("mm: rewrite wait_on_page_bit_common() logic"), gives it the
 * lock directly, so waiters acquire it in arrival order. The woken waiter runs
 * `cost.wakeupNs` after the unlock, at the unlocker's clock.
 *
 * folio_wait_writeback waits until folio_end_writeback clears PG_writeback, which wakes all
 * waiters (they are not exclusive).
 *
 * State is keyed by head pfn and kept only while a folio is locked or under writeback, so
 * an idle machine holds nothing here.
 */
import type { Scheduler, Task } from './scheduler'

function hex(pfn: number): string {
  return '0x' + pfn.toString(16)
}

export class PageLocks {
  private readonly owner = new Map<number, Task | null>()
  private readonly lockWaiters = new Map<number, Task[]>()
  private readonly writeback = new Set<number>()
  private readonly writebackWaiters = new Map<number, Task[]>()

  constructor(private readonly sched: Scheduler) {}

  isLocked(pfn: number): boolean {
    return this.owner.has(pfn)
  }

  isUnderWriteback(pfn: number): boolean {
    return this.writeback.has(pfn)
  }

  /** folio_trylock: takes the lock if it is free. */
  trylock(pfn: number): boolean {
    this.sched.charge(this.sched.cost.lockNs)
    if (this.owner.has(pfn)) return false
    this.owner.set(pfn, this.sched.current)
    return true
  }

  /** folio_lock: takes the lock, sleeping FIFO behind earlier waiters when it is held. */
  lock(pfn: number): Promise<void> {
    const task = this.sched.requireTask('folioLock')
    if (this.trylock(pfn)) return this.sched.resolved()
    let q = this.lockWaiters.get(pfn)
    if (!q) this.lockWaiters.set(pfn, (q = []))
    q.push(task)
    return this.sched.park(task, 'blocked', `folio lock pfn ${hex(pfn)}`)
  }

  /** folio_unlock: hands the lock to the first waiter, or frees it. */
  unlock(pfn: number): void {
    if (!this.owner.has(pfn)) {
      // VM_BUG_ON_FOLIO(!folio_test_locked(folio)) in folio_unlock
      throw new Error(`folioUnlock: folio at pfn ${hex(pfn)} is not locked`)
    }
    this.sched.charge(this.sched.cost.lockNs)
    const q = this.lockWaiters.get(pfn)
    const next = q?.shift()
    if (!next) {
      this.owner.delete(pfn)
      return
    }
    if (q && q.length === 0) this.lockWaiters.delete(pfn)
    this.owner.set(pfn, next)
    this.sched.wakeAt(next, this.sched.clockNs() + this.sched.cost.wakeupNs)
  }

  /** folio_start_writeback: sets PG_writeback (the folio must be locked, as in the kernel). */
  startWriteback(pfn: number): void {
    if (!this.owner.has(pfn)) {
      // VM_BUG_ON_FOLIO(!folio_test_locked(folio)) in __folio_start_writeback
      throw new Error(`folioStartWriteback: folio at pfn ${hex(pfn)} must be locked`)
    }
    if (this.writeback.has(pfn)) {
      throw new Error(`folioStartWriteback: folio at pfn ${hex(pfn)} is already under writeback`)
    }
    this.sched.charge(this.sched.cost.bookkeepingNs)
    this.writeback.add(pfn)
  }

  /** folio_end_writeback: clears PG_writeback and wakes every waiter. */
  endWriteback(pfn: number): void {
    if (!this.writeback.delete(pfn)) {
      throw new Error(`folioEndWriteback: folio at pfn ${hex(pfn)} is not under writeback`)
    }
    this.sched.charge(this.sched.cost.bookkeepingNs)
    const q = this.writebackWaiters.get(pfn)
    if (!q) return
    this.writebackWaiters.delete(pfn)
    const atNs = this.sched.clockNs() + this.sched.cost.wakeupNs
    for (const t of q) this.sched.wakeAt(t, atNs)
  }

  /** folio_wait_writeback: returns at once unless the folio is under writeback. */
  waitWriteback(pfn: number): Promise<void> {
    const task = this.sched.requireTask('folioWaitWriteback')
    if (!this.writeback.has(pfn)) return this.sched.resolved()
    let q = this.writebackWaiters.get(pfn)
    if (!q) this.writebackWaiters.set(pfn, (q = []))
    q.push(task)
    return this.sched.park(task, 'blocked', `writeback of pfn ${hex(pfn)}`)
  }
}
