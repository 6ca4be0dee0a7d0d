/**
 * The fuzzer's static model of what a program holds: folio slots with the references, pins and
 * flags the program took, processes, CMA and contig allocations, trace subscriptions. The
 * generator draws only operations valid in it, and the shrinker keeps only op lists that stay
 * valid in it, so a failure is never a workload bug (use after free, unpin without pin...).
 * Every alloc is assumed to succeed; ops on a slot whose alloc failed at run time are skipped
 * by the guards the ops print (`if (ok(h[3]))`).
 */
import type { Layout, Op } from './program'

export type SlotKind = 'anon' | 'kernel' | 'file'

export interface Slot {
  kind: SlotKind
  order: number
  /** References taken beyond the allocation's (folioGet, getPageUnlessZero, the page-cache reader's). */
  extra: number
  pins: number
  mlocked: boolean
  /** A page-cache folio still in the cache. */
  inCache: boolean
  /** Mappings by process slot. */
  maps: Map<number, number>
}

export interface State {
  lay: Layout
  slots: Map<number, Slot>
  procs: Set<number>
  cma: Map<number, { name: string; count: number }>
  contig: Map<number, { start: number; nr: number }>
  traces: Set<number>
  walkerArmed: boolean
  /** The design is seed 000's `set-count-zero`, whose walker underflow is the documented bug. */
  noWalker: boolean
  /** Base pages the live slots would hold if every allocation succeeded. */
  pages: number
  next: { slot: number; proc: number; cma: number; contig: number; trace: number }
}

export function newState(lay: Layout): State {
  return {
    lay,
    slots: new Map(),
    procs: new Set(),
    cma: new Map(),
    contig: new Map(),
    traces: new Set(),
    walkerArmed: false,
    noWalker: false,
    pages: 0,
    next: { slot: 0, proc: 0, cma: 0, contig: 0, trace: 0 },
  }
}

export function addSlot(st: State, s: number, kind: SlotKind, order: number): void {
  st.slots.set(s, {
    kind,
    order,
    extra: kind === 'file' ? 1 : 0,
    pins: 0,
    mlocked: false,
    inCache: kind === 'file',
    maps: new Map(),
  })
  st.pages += 1 << order
  st.next.slot = Math.max(st.next.slot, s + 1)
}

export function dropSlot(st: State, s: number): void {
  const sl = st.slots.get(s)
  if (!sl) return
  st.pages -= 1 << sl.order
  st.slots.delete(s)
}

/** The slot, if the program may still use it. */
export function slotOf(st: State, op: Op, key = 's'): Slot | undefined {
  return st.slots.get(op[key] as number)
}

/** The allocation reference may be dropped: nothing pinned, mlocked or cached is left. */
export function freeable(sl: Slot): boolean {
  return sl.extra === 0 && sl.pins === 0 && !sl.mlocked && !sl.inCache
}
