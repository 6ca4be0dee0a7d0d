/**
 * Writeback in flight: file writeback started by reclaim (the flusher's work) and swap writes,
 * completing at a simulated time. `endWritebackUntil(m, nowNs)` runs `folio_end_writeback` for
 * every IO done by `nowNs`: PG_writeback clears and a folio marked PG_reclaim is rotated to the
 * tail of its inactive list (`folio_rotate_reclaimable`) so that the next reclaim pass frees it.
 */
import { folioSetFlags } from '../mm/folio'
import { type Machine } from '../mm/machine'
import { defineMachineState } from '../mm/machineState'
import {
  PG_active,
  PG_dirty,
  PG_locked,
  PG_reclaim,
  PG_unevictable,
  PG_writeback,
  pageFlags,
  setPageFlags,
} from '../mm/memmap'
import { onFolioMoved } from '../migrate/counters'
import { countReclaimEvent, PGROTATED } from './counters'
import { folioLruList, isLruHead, linkFolio, lruOf } from './lru'

interface Inflight {
  doneNs: number[]
  pfn: number[]
}

const inflightOf = defineMachineState(
  'reclaim.writeback',
  (): Inflight => ({ doneNs: [], pfn: [] }),
  {
    attach(m, nq) {
      // A folio migrated while its IO was pending (not done by migrate_pages, but be safe).
      onFolioMoved(m, (src, dst) => {
        const i = nq.pfn.indexOf(src)
        if (i >= 0) nq.pfn[i] = dst
      })
    },
  },
)

function siftUp(q: Inflight, i: number): void {
  while (i > 0) {
    const p = (i - 1) >> 1
    if (q.doneNs[p] <= q.doneNs[i]) break
    swap(q, i, p)
    i = p
  }
}

function siftDown(q: Inflight, i: number): void {
  const n = q.doneNs.length
  for (;;) {
    const a = 2 * i + 1
    const b = a + 1
    let s = i
    if (a < n && q.doneNs[a] < q.doneNs[s]) s = a
    if (b < n && q.doneNs[b] < q.doneNs[s]) s = b
    if (s === i) return
    swap(q, i, s)
    i = s
  }
}

function swap(q: Inflight, i: number, j: number): void {
  const t = q.doneNs[i]
  q.doneNs[i] = q.doneNs[j]
  q.doneNs[j] = t
  const u = q.pfn[i]
  q.pfn[i] = q.pfn[j]
  q.pfn[j] = u
}

/**
 * `folio_start_writeback` (after `folio_clear_dirty_for_io`): PG_dirty → PG_writeback with
 * their counters; the IO completes at `doneNs`.
 */
export function folioStartWriteback(m: Machine, head: number, doneNs: number): void {
  folioSetFlags(m, head, PG_dirty, false)
  folioSetFlags(m, head, PG_writeback, true)
  const q = inflightOf(m)
  q.doneNs.push(doneNs)
  q.pfn.push(head)
  siftUp(q, q.doneNs.length - 1)
}

/** `folio_end_writeback()` and `folio_rotate_reclaimable()`. */
function folioEndWriteback(m: Machine, head: number): void {
  if ((pageFlags(m, head) & PG_writeback) === 0) return
  folioSetFlags(m, head, PG_writeback, false)
  const f = pageFlags(m, head)
  if ((f & PG_reclaim) === 0) return
  setPageFlags(m, head, f & ~PG_reclaim)
  if ((f & (PG_locked | PG_dirty | PG_unevictable)) !== 0 || !isLruHead(m, head)) return
  setPageFlags(m, head, pageFlags(m, head) & ~PG_active)
  const l = lruOf(m)
  linkFolio(m, l, head, folioLruList(m, head), true)
  countReclaimEvent(m, PGROTATED, 1 << l.order[head])
}

/** Complete every IO done by `nowNs`. Returns the number completed. */
export function endWritebackUntil(m: Machine, nowNs: number): number {
  const q = inflightOf(m)
  let n = 0
  while (q.doneNs.length > 0 && q.doneNs[0] <= nowNs) {
    const pfn = q.pfn[0]
    const last = q.doneNs.length - 1
    swap(q, 0, last)
    q.doneNs.pop()
    q.pfn.pop()
    siftDown(q, 0)
    folioEndWriteback(m, pfn)
    n++
  }
  return n
}

/** Completion time of the earliest IO in flight, or Infinity. */
export function nextWritebackDoneNs(m: Machine): number {
  const q = inflightOf(m)
  return q.doneNs.length === 0 ? Infinity : q.doneNs[0]
}

/** IOs in flight. */
export function nrWritebackInflight(m: Machine): number {
  return inflightOf(m).doneNs.length
}
