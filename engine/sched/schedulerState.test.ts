/**
 * Scheduler.saveState / Scheduler.restore and PageLocks.saveState / restoreState: tasks whose
 * progress is data (sleep, folio_lock with FIFO hand-off, join, a kernel thread) continue
 * identically from every step boundary.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_COST_MODEL, type CostModel } from './costModel'
import { PageLocks, type PageLocksState } from './pageLocks'
import { CURRENT_REALM } from './realm'
import { Scheduler, type Task } from './scheduler'
import { type SchedulerState } from './schedulerState'

const cost: CostModel = { ...DEFAULT_COST_MODEL, lockNs: 10, wakeupNs: 1000, spawnNs: 0 }

/** Per task: the index of its next action; the log of what ran when. */
interface World {
  pc: number[]
  log: string[]
}

/** Tasks 0 and 1 contend for lock 7 (task 1 waits, handed the lock); task 2 joins task 0. */
function body(sched: Scheduler, locks: PageLocks, w: World, id: number): () => Promise<void> {
  const steps: (() => Promise<void> | null)[][] = [
    [() => locks.lock(7), () => sched.sleep(5000), () => (locks.unlock(7), sched.sleep(100))],
    [() => sched.sleep(200), () => locks.lock(7), () => (locks.unlock(7), null)],
    [() => sched.join(sched.tasks[1]), () => sched.sleep(50)],
  ]
  return async () => {
    for (;;) {
      const i = w.pc[id]++
      if (i >= steps[id].length) return
      w.log.push(`${sched.clockNs()} task${id} step${i}`)
      const p = steps[id][i]()
      if (p) await p
    }
  }
}

function tick(sched: Scheduler, w: World): () => number {
  return () => (w.log.push(`${sched.clockNs()} tick`), 3000)
}

function start(): { sched: Scheduler; locks: PageLocks; w: World } {
  const sched = new Scheduler({ realm: CURRENT_REALM, cost, nrCpus: 2 })
  const locks = new PageLocks(sched)
  const w: World = { pc: [0, 0, 0], log: [] }
  sched.spawnKthread('kthread', tick(sched, w), 3000)
  for (let id = 0; id < 3; id++) sched.spawn(`t${id}`, body(sched, locks, w, id), { cpu: id % 2 })
  return { sched, locks, w }
}

async function step(sched: Scheduler): Promise<boolean> {
  if (sched.finished() || !sched.step()) return false
  await new Promise((r) => setImmediate(r))
  if (sched.failure) throw sched.failure.error
  return true
}

describe('Scheduler.restore', () => {
  it('continues from every step boundary as the uninterrupted run', async () => {
    const ref = start()
    let total = 0
    while (total < 100 && (await step(ref.sched))) total++
    expect(ref.sched.finished()).toBe(true)
    // The lock is handed to task 1 at task 0's unlock (5020) and it runs a wake-up later.
    expect(ref.w.log).toContain('6020 task1 step2')
    expect(ref.w.log.some((l) => / tick$/.test(l))).toBe(true)
    for (let k = 0; k <= total; k++) {
      const a = start()
      for (let i = 0; i < k; i++) await step(a.sched)
      const saved = { sched: a.sched.saveState(), locks: a.locks.saveState() }
      const copy = structuredClone({ ...saved, w: a.w }) as {
        sched: SchedulerState
        locks: PageLocksState
        w: World
      }
      const w = copy.w
      let locks: PageLocks | null = null
      const sched: Scheduler = Scheduler.restore(
        { realm: CURRENT_REALM, cost, nrCpus: 2 },
        copy.sched,
        {
          task: (t: Task) => () => body(sched, locks as PageLocks, w, Number(t.name.slice(1)))(),
          kthread: () => () => tick(sched, w)(),
        },
      )
      locks = new PageLocks(sched)
      locks.restoreState(copy.locks)
      expect(sched.saveState(), `saved again at step ${k}`).toEqual(saved.sched)
      expect(locks.saveState()).toEqual(saved.locks)
      let n = 0
      while (n < 100 && (await step(sched))) n++
      expect(n, `steps after a restore at step ${k}`).toBe(total - k)
      expect(w.log, `restored at step ${k}`).toEqual(ref.w.log)
      expect(sched.endTimeNs()).toBe(ref.sched.endTimeNs())
    }
  })
})
