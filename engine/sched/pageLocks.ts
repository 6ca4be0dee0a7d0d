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

/**
 * Lock holds the scheduler does not see as owners: migration runs synchronously inside one
 * task's kernel call, but holds a source folio's PG_locked over a simulated interval
 * (engine/migrate's LockTimeline). A task asking for that folio's lock at a time inside the
 * interval must wait until it ends, then be woken by migration's folio_unlock.
 */
export interface ExternalHolds {
  /** When the lock of `pfn` asked for at `atNs` is free of external holds (`atNs` if free). */
  freeAtNs(pfn: number, atNs: number): number
}

/** PageLocks as plain data: pfns and task ids (-1: an owner that is no task). */
export interface PageLocksState {
  owner: [pfn: number, taskId: number][]
  lockWaiters: [pfn: number, taskIds: number[]][]
  writeback: number[]
  writebackWaiters: [pfn: number, taskIds: number[]][]
  parked: { taskId: number; pfn: number; askedNs: number; external: boolean }[]
}

/** Told about every sleeping folio_lock once the lock is granted. */
export type LockWaitObserver = (pfn: number, waitNs: number, external: boolean) => void

export class PageLocks {
  private readonly owner = new Map<number, Task | null>()
  private readonly lockWaiters = new Map<number, Task[]>()
  private readonly writeback = new Set<number>()
  private readonly writebackWaiters = new Map<number, Task[]>()
  /** Tasks parked for a lock (`parkForLock`): when they asked, for the wait observer. */
  private readonly parked = new Map<number, { pfn: number; askedNs: number; external: boolean }>()

  constructor(
    private readonly sched: Scheduler,
    private readonly external: ExternalHolds | null = null,
    private readonly onWait: LockWaitObserver | null = null,
  ) {}

  /** Time until which an external holder keeps `pfn` locked, seen from the caller's clock. */
  private externalFreeAtNs(pfn: number): number {
    const now = this.sched.clockNs()
    return this.external ? this.external.freeAtNs(pfn, now) : now
  }

  /**
   * Parks `task` on `pfn`'s lock; when it is granted (by hand-off or at the end of an external
   * hold) the observer learns how long it waited.
   */
  private parkForLock(task: Task, pfn: number, external: boolean): Promise<void> {
    const askedNs = task.clockNs
    const p = this.sched.park(task, 'blocked', `folio lock pfn ${hex(pfn)}`)
    this.parked.set(task.id, { pfn, askedNs, external })
    this.wrapWake(task)
    return p
  }

  /** The granted lock's wake-up first tells the observer how long the task waited. */
  private wrapWake(task: Task): void {
    const resolve = task.wake
    task.wake = () => {
      const w = this.parked.get(task.id)
      this.parked.delete(task.id)
      if (w) this.onWait?.(w.pfn, task.clockNs - w.askedNs, w.external)
      resolve?.()
    }
  }

  /** Owners, waiters and writeback as plain data (task ids), for a mid-run snapshot. */
  saveState(): PageLocksState {
    const ids = (q: Task[]): number[] => q.map((t) => t.id)
    return {
      owner: [...this.owner].map(([pfn, t]) => [pfn, t ? t.id : -1]),
      lockWaiters: [...this.lockWaiters].map(([pfn, q]) => [pfn, ids(q)]),
      writeback: [...this.writeback],
      writebackWaiters: [...this.writebackWaiters].map(([pfn, q]) => [pfn, ids(q)]),
      parked: [...this.parked].map(([id, w]) => ({ taskId: id, ...w })),
    }
  }

  /**
   * Load `saveState()` output into fresh locks of a restored scheduler (Scheduler.restore has
   * given every parked task its wake-up; lock waiters get the wait observer around it again).
   */
  restoreState(st: PageLocksState): void {
    const tasks = this.sched.tasks
    const of = (q: number[]): Task[] => q.map((id) => tasks[id])
    for (const [pfn, id] of st.owner) this.owner.set(pfn, id >= 0 ? tasks[id] : null)
    for (const [pfn, q] of st.lockWaiters) this.lockWaiters.set(pfn, of(q))
    for (const pfn of st.writeback) this.writeback.add(pfn)
    for (const [pfn, q] of st.writebackWaiters) this.writebackWaiters.set(pfn, of(q))
    for (const w of st.parked) {
      this.parked.set(w.taskId, { pfn: w.pfn, askedNs: w.askedNs, external: w.external })
      this.wrapWake(tasks[w.taskId])
    }
  }

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
    if (this.externalFreeAtNs(pfn) > this.sched.clockNs()) return false
    this.owner.set(pfn, this.sched.current)
    return true
  }

  /** folio_lock: takes the lock, sleeping FIFO behind earlier waiters when it is held. */
  lock(pfn: number): Promise<void> {
    const task = this.sched.requireTask('folioLock')
    if (this.trylock(pfn)) return this.sched.resolved()
    if (!this.owner.has(pfn)) {
      // Held by migration until freeNs: its folio_unlock wakes us, and the lock is handed over
      // (the wait queue's hand-off) unless a task that queued behind an owner got it first.
      const freeNs = this.externalFreeAtNs(pfn)
      this.owner.set(pfn, task)
      const p = this.parkForLock(task, pfn, true)
      this.sched.wakeAt(task, freeNs + this.sched.cost.wakeupNs)
      return p
    }
    let q = this.lockWaiters.get(pfn)
    if (!q) this.lockWaiters.set(pfn, (q = []))
    q.push(task)
    return this.parkForLock(task, pfn, false)
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
