/**
 * The scheduler's pending events: a binary min-heap ordered by (timeNs, seq). `seq` is a
 * global insertion counter, so two events at the same simulated time fire in the order they
 * were scheduled. That total order is what makes a run reproducible: the same script and seed
 * always pop events in the same sequence, whatever the wall clock does.
 */
export interface SimEvent {
  /** Simulated time at which the event fires, in ns. */
  timeNs: number
  /** Insertion order; breaks ties between events at the same time. */
  seq: number
  /** Called when the event fires (typically resolves a promise a task awaits). */
  fire: () => void
  /** Id of the task the event resumes, or -1 for an event that resumes no task. */
  taskId: number
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.timeNs < b.timeNs || (a.timeNs === b.timeNs && a.seq < b.seq)
}

export class EventQueue {
  private heap: SimEvent[] = []
  private nextSeq = 0

  get size(): number {
    return this.heap.length
  }

  push(timeNs: number, taskId: number, fire: () => void): SimEvent {
    const ev: SimEvent = { timeNs, seq: this.nextSeq++, fire, taskId }
    const h = this.heap
    h.push(ev)
    let i = h.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(h[i], h[parent])) break
      ;[h[i], h[parent]] = [h[parent], h[i]]
      i = parent
    }
    return ev
  }

  peek(): SimEvent | undefined {
    return this.heap[0]
  }

  pop(): SimEvent | undefined {
    const h = this.heap
    if (h.length === 0) return undefined
    const top = h[0]
    const last = h.pop() as SimEvent
    if (h.length > 0) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && before(h[l], h[m])) m = l
        if (r < h.length && before(h[r], h[m])) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m], h[i]]
        i = m
      }
    }
    return top
  }
}
