import { describe, expect, it } from 'vitest'
import { DEFAULT_COST_MODEL, resolveCostModel, type CostModel } from './costModel'
import { PageLocks } from './pageLocks'
import { CURRENT_REALM } from './realm'
import { Scheduler } from './scheduler'

const cost: CostModel = { ...DEFAULT_COST_MODEL, lockNs: 10, wakeupNs: 1000, spawnNs: 0 }

/** Drives the scheduler like a sandbox runner: one event, then drain the microtasks. */
async function runToEnd(sched: Scheduler): Promise<void> {
  while (sched.step()) {
    await new Promise((r) => setImmediate(r))
    if (sched.failure) throw sched.failure.error
  }
}

function contention(): { log: string[]; waits: Record<string, number>; sched: Scheduler } {
  const sched = new Scheduler({ realm: CURRENT_REALM, cost, nrCpus: 2 })
  const locks = new PageLocks(sched)
  const log: string[] = []
  const waits: Record<string, number> = {}
  const pfn = 0x1200
  const worker = (name: string, startDelayNs: number, holdNs: number) => async () => {
    await sched.sleep(startDelayNs)
    const askedNs = sched.clockNs()
    await locks.lock(pfn)
    waits[name] = sched.clockNs() - askedNs
    log.push(`${sched.clockNs()} ${name} locked`)
    await sched.sleep(holdNs)
    locks.unlock(pfn)
    log.push(`${sched.clockNs()} ${name} unlocked`)
  }
  sched.spawn('A', worker('A', 0, 5000))
  sched.spawn('B', worker('B', 100, 1000))
  sched.spawn('C', worker('C', 200, 1000))
  return { log, waits, sched }
}

describe('Scheduler + PageLocks', () => {
  it('hands a contended folio lock to waiters FIFO with deterministic waits in simulated ns', async () => {
    const { log, waits, sched } = contention()
    await runToEnd(sched)
    // A: locks at 0 (+10 lock cost), holds 5000 ns, unlocks at 5010 (+10) = 5020.
    // B: asked at 100, woken 1000 ns after A's unlock: 6020 → waited 5920 ns.
    // C: asked at 200, queued behind B; B unlocks at 6020+1000+10 = 7030 → C runs at 8030.
    expect(log).toEqual([
      '10 A locked',
      '5020 A unlocked',
      '6020 B locked',
      '7030 B unlocked',
      '8030 C locked',
      '9040 C unlocked',
    ])
    expect(waits).toEqual({ A: 10, B: 5920, C: 7830 })
    expect(sched.finished()).toBe(true)
    expect(sched.endTimeNs()).toBe(9040)
  })

  it('gives the same interleaving on every run', async () => {
    const a = contention()
    const b = contention()
    await runToEnd(a.sched)
    await runToEnd(b.sched)
    expect(a.log).toEqual(b.log)
  })

  it('reports tasks that wait for a lock nobody will release', async () => {
    const sched = new Scheduler({ realm: CURRENT_REALM, cost, nrCpus: 1 })
    const locks = new PageLocks(sched)
    sched.spawn('holder', async () => {
      await locks.lock(7)
    })
    sched.spawn('waiter', async () => {
      await sched.sleep(5)
      await locks.lock(7)
    })
    await runToEnd(sched)
    expect(sched.finished()).toBe(false)
    expect(sched.unfinishedTasks().map((t) => [t.name, t.blockedOn])).toEqual([
      ['waiter', 'folio lock pfn 0x7'],
    ])
  })

  it('serialises tasks pinned to the same CPU but not tasks on different CPUs', async () => {
    const sched = new Scheduler({ realm: CURRENT_REALM, cost, nrCpus: 2 })
    const ends: Record<string, number> = {}
    const busy = (name: string) => async () => {
      await sched.sleep(0)
      sched.charge(1000)
      ends[name] = sched.clockNs()
    }
    sched.spawn('a0', busy('a0'), { cpu: 0 })
    sched.spawn('b0', busy('b0'), { cpu: 0 })
    sched.spawn('c1', busy('c1'), { cpu: 1 })
    await runToEnd(sched)
    // b0 could only start once a0 left CPU 0 at 1000, so it ends at 2000.
    expect(ends).toEqual({ a0: 1000, b0: 2000, c1: 1000 })
  })

  it('wakes every writeback waiter when writeback ends', async () => {
    const sched = new Scheduler({ realm: CURRENT_REALM, cost, nrCpus: 1 })
    const locks = new PageLocks(sched)
    const woke: string[] = []
    sched.spawn('io', async () => {
      await locks.lock(3)
      locks.startWriteback(3)
      locks.unlock(3)
      await sched.sleep(10_000)
      locks.endWriteback(3)
    })
    for (const n of ['w1', 'w2']) {
      sched.spawn(n, async () => {
        await sched.sleep(1)
        await locks.waitWriteback(3)
        woke.push(`${n}@${sched.clockNs()}`)
      })
    }
    await runToEnd(sched)
    // io: lock 0→10, start_writeback +5, unlock +10 = 25, sleep to 10025, end_writeback +5,
    // then the waiters run wakeupNs later.
    expect(woke).toEqual(['w1@11030', 'w2@11030'])
  })

  it('joins a task in simulated time and rejects misuse', async () => {
    const sched = new Scheduler({
      realm: CURRENT_REALM,
      cost: { ...cost, spawnNs: 500 },
      nrCpus: 1,
    })
    let joinedAt = -1
    sched.spawn('main', async () => {
      const child = sched.spawn('child', () => sched.sleep(3000))
      await sched.join(child)
      joinedAt = sched.clockNs()
    })
    await runToEnd(sched)
    // child starts at 500, sleeps to 3500; the joiner wakes wakeupNs later.
    expect(joinedAt).toBe(4500)
    expect(() => sched.sleep(1)).toThrow(/running task/)
    expect(() => new PageLocks(sched).unlock(1)).toThrow(/not locked/)
  })

  it('stops at the first task failure', async () => {
    const sched = new Scheduler({ realm: CURRENT_REALM, cost, nrCpus: 1 })
    sched.spawn('bad', async () => {
      await sched.sleep(10)
      throw new Error('boom')
    })
    await expect(runToEnd(sched)).rejects.toThrow('boom')
    expect(sched.failure?.task.name).toBe('bad')
  })

  it('validates cost overrides', () => {
    expect(resolveCostModel({ pageCopyNs: 1 }).pageCopyNs).toBe(1)
    expect(() => resolveCostModel({ pageCopyNS: 1 })).toThrow(/not a cost/)
    expect(() => resolveCostModel({ lockNs: -1 })).toThrow(/>= 0/)
  })
})
