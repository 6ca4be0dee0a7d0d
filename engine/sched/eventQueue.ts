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
  /** What the event does, as data (a snapshot saves events as data; see schedulerState.ts). */
  kind: SimEventKind
}

/**
 * `'start'`: a spawned task's first run; `'wake'`: a parked task resumes (`wakeAt`);
 * `'ktimer'` / `'kwake'`: a kernel thread's timer fires / somebody kicks it.
 */
export type SimEventKind = 'start' | 'wake' | 'ktimer' | 'kwake'

/** A pending event as plain data. */
export interface SimEventData {
  timeNs: number
  seq: number
  taskId: number
  kind: SimEventKind
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

  push(timeNs: number, taskId: number, fire: () => void, kind: SimEventKind = 'wake'): SimEvent {
    const ev: SimEvent = { timeNs, seq: this.nextSeq++, fire, taskId, kind }
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

  /** The pending events as data, in heap order, and the next sequence number. */
  save(): { nextSeq: number; events: SimEventData[] } {
    return {
      nextSeq: this.nextSeq,
      events: this.heap.map(({ timeNs, seq, taskId, kind }) => ({ timeNs, seq, taskId, kind })),
    }
  }

  /**
   * Refill an empty queue from `save()` output, giving each event its `fire` again. Events are
   * appended in heap order, which is already a heap: the layout (and so every later pop order)
   * is the saved queue's.
   */
  load(
    saved: { nextSeq: number; events: SimEventData[] },
    fire: (ev: SimEventData) => () => void,
  ): void {
    if (this.heap.length !== 0) throw new Error('EventQueue.load: the queue is not empty')
    for (const e of saved.events) this.heap.push({ ...e, fire: fire(e) })
    this.nextSeq = saved.nextSeq
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
