/**
 * Kernel threads driven by timers and wake-ups (kcompactd's `wait_event_freezable_timeout`
 * loop), and folio locks held by migration over a simulated interval (folio_lock sleeping
 * until migration's folio_unlock wakes it).
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_COST_MODEL, type CostModel } from './costModel'
import { PageLocks } from './pageLocks'
import { CURRENT_REALM } from './realm'
import { Scheduler } from './scheduler'

const cost: CostModel = { ...DEFAULT_COST_MODEL, lockNs: 10, wakeupNs: 1000, spawnNs: 0 }

async function runUntilFinished(sched: Scheduler): Promise<void> {
  while (!sched.finished() && sched.step()) {
    await new Promise((r) => setImmediate(r))
    if (sched.failure) throw sched.failure.error
  }
}

describe('kernel threads', () => {
  it('run on their timer and when woken, charging their own clock, and never keep the run alive', async () => {
    const sched = new Scheduler({ realm: CURRENT_REALM, cost, nrCpus: 1 })
    const seen: string[] = []
    const kt = sched.spawnKthread(
      'kcompactd0',
      (reason) => {
        seen.push(`${sched.clockNs()} ${reason}`)
        sched.charge(50)
        return 500
      },
      500,
    )
    sched.spawn('main', async () => {
      await sched.sleep(700)
      kt.wake(sched.clockNs() + 10)
      await sched.sleep(1000)
    })
    await runUntilFinished(sched)
    // Timer at 500 (next armed at 500 + 50 + 500 = 1050), the wake-up at 710, the timer at
    // 1050 (next at 1600); main ends at 1700, after the 1600 tick, and the thread's pending
    // timer does not keep the run going.
    expect(seen).toEqual(['500 timer', '710 wake', '1050 timer', '1600 timer'])
    expect(sched.finished()).toBe(true)
    expect(sched.endTimeNs()).toBe(1700)
  })

  it('pending kthread timers do not hide a deadlock of the workload', async () => {
    const sched = new Scheduler({ realm: CURRENT_REALM, cost, nrCpus: 1 })
    sched.spawnKthread('kcompactd0', () => 500, 500)
    const locks = new PageLocks(sched)
    sched.spawn('main', async () => {
      await locks.lock(1)
      await locks.lock(1) // a task waiting for a lock it holds
    })
    for (let i = 0; i < 20 && sched.step(); i++) await new Promise((r) => setImmediate(r))
    expect(sched.pendingEvents).toBeGreaterThan(0)
    expect(sched.pendingWorkloadEvents).toBe(0)
    expect(sched.finished()).toBe(false)
  })

  it('a failing kthread body is the run failure', async () => {
    const sched = new Scheduler({ realm: CURRENT_REALM, cost, nrCpus: 1 })
    sched.spawnKthread(
      'kcompactd0',
      () => {
        throw new Error('refcount-underflow')
      },
      100,
    )
    sched.spawn('main', () => sched.sleep(1000))
    while (sched.step() && !sched.failure) await new Promise((r) => setImmediate(r))
    expect(sched.failure?.task.name).toBe('kcompactd0')
  })
})

describe('folio locks held by migration (external holds)', () => {
  it('folio_lock inside a migration hold sleeps until the hold ends plus a wake-up', async () => {
    const sched = new Scheduler({ realm: CURRENT_REALM, cost, nrCpus: 1 })
    const waits: number[] = []
    // Migration holds pfn 7 over [100, 5000) in simulated ns.
    const locks = new PageLocks(
      sched,
      { freeAtNs: (pfn, atNs) => (pfn === 7 && atNs >= 100 && atNs < 5000 ? 5000 : atNs) },
      (_pfn, waitNs, external) => external && waits.push(waitNs),
    )
    const got: Record<string, number> = {}
    sched.spawn('early', async () => {
      await sched.sleep(50) // before the hold: no wait
      await locks.lock(7)
      got.early = sched.clockNs()
      locks.unlock(7)
    })
    sched.spawn('inside', async () => {
      await sched.sleep(200)
      expect(locks.trylock(7)).toBe(false) // folio_trylock fails during the hold
      await locks.lock(7)
      got.inside = sched.clockNs()
      locks.unlock(7)
    })
    await runUntilFinished(sched)
    expect(got.early).toBe(60)
    // Asked at 220 (200, then lockNs for the failed trylock and lockNs for folio_lock's own
    // attempt), free at 5000, woken wakeupNs later.
    expect(got.inside).toBe(6000)
    expect(waits).toEqual([5780])
  })
})
