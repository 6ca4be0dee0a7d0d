/**
 * mm/compaction.c:isolate_migratepages_range in alloc_contig mode (`cc->alloc_contig`,
 * ISOLATE_UNEVICTABLE, skip hints ignored): take up to COMPACT_CLUSTER_MAX base pages of
 * movable folios from `[startPfn, endPfn)` onto `list`. Unlike compaction it takes compound
 * pages and unevictable folios.
 */
import { compoundHead } from '../mm/folio'
import { type Machine } from '../mm/machine'
import {
  PAGE_ALLOC,
  PAGE_TYPE_BUDDY,
  PG_anon,
  PG_head,
  PG_lru,
  PG_movable_ops,
  pageFlags,
  pageOrder,
} from '../mm/memmap'
import { charge, fatalSignalPending, type ContigReq } from './request'
import { EINTR } from './types'

/** `COMPACT_CLUSTER_MAX` = SWAP_CLUSTER_MAX. */
export const COMPACT_CLUSTER_MAX = 32

export interface IsolateMigrateResult {
  /** `cc->migrate_pfn`: where the next call continues. */
  migratePfn: number
  /** 0 or -EINTR. */
  ret: number
  nrIsolated: number
}

/**
 * An anonymous folio with more references than mappings is pinned (GUP) and not worth
 * isolating: the kernel tests `page_count - 1 > total_mapcount` after taking its own reference.
 */
function anonPinned(m: Machine, head: number): boolean {
  return (pageFlags(m, head) & PG_anon) !== 0 && m.refcount[head] > m.mapcount[head]
}

export function isolateMigratepagesRange(
  req: ContigReq,
  startPfn: number,
  endPfn: number,
  list: number[],
): IsolateMigrateResult {
  const { m, env } = req
  const api = env.migrate
  let nrIsolated = 0
  let nrScanned = 0
  let pfn = startPfn
  let ret = 0
  for (; pfn < endPfn; pfn++) {
    if (pfn % COMPACT_CLUSTER_MAX === 0 && fatalSignalPending(req)) {
      ret = -EINTR
      break
    }
    nrScanned++
    const f = pageFlags(m, pfn)
    if ((f & PAGE_TYPE_BUDDY) !== 0) {
      pfn += (1 << pageOrder(m, pfn)) - 1
      continue
    }
    const head = compoundHead(m, pfn)
    const hf = pageFlags(m, head)
    // A tail: PageLRU() looks at the head but get_page_unless_zero(tail) fails (refcount 0).
    if (head !== pfn || (hf & PAGE_ALLOC) === 0) continue
    const nr = (hf & PG_head) !== 0 ? 1 << pageOrder(m, head) : 1
    if ((hf & PG_lru) === 0) {
      if ((hf & PG_movable_ops) !== 0 && api.isolateMovablePage(m, head)) {
        list.push(head)
        nrIsolated += nr
        pfn += nr - 1
        if (nrIsolated >= COMPACT_CLUSTER_MAX) {
          pfn++
          break
        }
      }
      continue
    }
    if (m.refcount[head] === 0 || anonPinned(m, head)) continue
    if (!api.isolateLruFolio(m, head)) continue
    list.push(head)
    nrIsolated += nr
    pfn += nr - 1
    if (nrIsolated >= COMPACT_CLUSTER_MAX) {
      pfn++
      break
    }
  }
  if (pfn > endPfn) pfn = endPfn
  req.rec.nrScanned += nrScanned
  charge(req, nrScanned * env.cost.pfnScanNs + (nrIsolated > 0 ? env.cost.lockNs : 0))
  return { migratePfn: pfn, ret, nrIsolated }
}
