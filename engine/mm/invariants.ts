/**
 * The full CONFIG_DEBUG_VM-style check (`checkInvariants`): free lists against page state and
 * `nr_free`, no overlapping blocks, no free block across pageblocks of differing isolation
 * state, [6.10+] freelist hygiene (not under the ≤5.17 merge rule, `m.mergeIsolateOnly`,
 * whose merged blocks span pageblocks of different types on the freer's list), no negative
 * refcount or mapcount, per-cpu counts, and NR_FREE_PAGES / NR_FREE_CMA_PAGES /
 * nr_free_highatomic accounting, and no folio left isolated. O(pages); the hot paths run only
 * the cheap checks (double free, refcount underflow, bad page) when `debugVm` is on.
 */
import { checkDeferredSplit } from './deferredSplit'
import { type Machine } from './machine'
import {
  PAGE_ALLOC,
  PAGE_PCP,
  PAGE_TYPE_BUDDY,
  PG_anon,
  PG_file,
  PG_head,
  PG_lru,
  PG_movable_ops,
  PG_swapbacked,
  pageFlags,
  pageListMt,
  pageNext,
  pageOrder,
  pagePrev,
} from './memmap'
import { MIGRATE_CMA, MIGRATE_HIGHATOMIC, MIGRATE_ISOLATE, MIGRATE_TYPES } from './migratetype'
import { getPfnblockMigratetype } from './pageblock'
import { NR_PCP_LISTS, pindexToOrder } from './pcpIndex'
import { type InvariantViolation } from './violation'
import { NR_ISOLATED_ANON, NR_ISOLATED_FILE, NR_NODE_STAT_ITEMS } from './vmstatItems'
import { type Zone } from './zone'

const HEAD_BITS = PAGE_TYPE_BUDDY | PAGE_PCP | PAGE_ALLOC

function v(m: Machine, rule: string, pfn: number, message: string): InvariantViolation {
  return { rule, pfn, event: m.op, message }
}

/** A free block above pageblock order whose pageblocks are not all isolated or all not. */
function spansIsolation(m: Machine, pfn: number, o: number): InvariantViolation | null {
  if (o <= m.pageblockOrder) return null
  const iso = getPfnblockMigratetype(m, pfn) === MIGRATE_ISOLATE
  for (let p = pfn + m.pageblockNrPages; p < pfn + (1 << o); p += m.pageblockNrPages) {
    if ((getPfnblockMigratetype(m, p) === MIGRATE_ISOLATE) !== iso)
      return v(
        m,
        'free-block-spans-isolation',
        pfn,
        `order-${o} free block spans isolated and non-isolated pageblocks`,
      )
  }
  return null
}

function checkFreeLists(m: Machine, z: Zone, onList: Uint8Array): InvariantViolation | null {
  let free = 0
  let cma = 0
  let highatomic = 0
  for (let o = 0; o <= m.maxOrder; o++) {
    let blocks = 0
    for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
      const li = (z.id * m.nrOrders + o) * MIGRATE_TYPES + mt
      let n = 0
      let prev = -1
      for (let pfn = m.faHead[li]; pfn >= 0; pfn = pageNext(m, pfn)) {
        if (pfn < z.startPfn || pfn + (1 << o) > z.endPfn)
          return v(
            m,
            'free-list-zone',
            pfn,
            `order-${o} block on zone ${z.name}'s list lies outside the zone`,
          )
        if (pagePrev(m, pfn) !== prev) return v(m, 'free-list-link', pfn, 'broken prev link')
        if ((pageFlags(m, pfn) & PAGE_TYPE_BUDDY) === 0)
          return v(m, 'free-list-page-state', pfn, `on free_list[${mt}][${o}] but not PageBuddy`)
        if (pageOrder(m, pfn) !== o)
          return v(
            m,
            'free-list-page-state',
            pfn,
            `on the order-${o} list with buddy order ${pageOrder(m, pfn)}`,
          )
        if (pageListMt(m, pfn) !== mt)
          return v(
            m,
            'free-list-page-state',
            pfn,
            `on free_list[${mt}] but recorded on ${pageListMt(m, pfn)}`,
          )
        if ((pfn & ((1 << o) - 1)) !== 0)
          return v(m, 'free-block-alignment', pfn, `order-${o} block not aligned`)
        if (onList[pfn] !== 0) return v(m, 'free-list-link', pfn, 'block on two lists (or a cycle)')
        onList[pfn] = 1
        // Under the ≤5.17 merge rule a block sits on its freer's list, whatever its pageblocks.
        if (m.hygiene && !m.mergeIsolateOnly) {
          const pbs = o > m.pageblockOrder ? 1 << (o - m.pageblockOrder) : 1
          for (let i = 0; i < pbs; i++) {
            const bt = getPfnblockMigratetype(m, pfn + i * m.pageblockNrPages)
            if (bt !== mt)
              // The more specific finding first: a block half isolated also breaks hygiene.
              return (
                spansIsolation(m, pfn, o) ??
                v(
                  m,
                  'freelist-hygiene',
                  pfn,
                  `free block on list ${mt} in a pageblock of type ${bt}`,
                )
              )
          }
        }
        prev = pfn
        n++
      }
      if (n !== m.faCount[li])
        return v(
          m,
          'nr-free',
          -1,
          `zone ${z.name} free_list[${mt}][${o}] holds ${n} blocks, counted ${m.faCount[li]}`,
        )
      blocks += n
      if (mt !== MIGRATE_ISOLATE) free += n << o
      if (mt === MIGRATE_CMA) cma += n << o
      if (mt === MIGRATE_HIGHATOMIC) highatomic += n << o
    }
    if (blocks !== m.nrFree[z.id * m.nrOrders + o])
      return v(
        m,
        'nr-free',
        -1,
        `zone ${z.name} order ${o}: ${blocks} blocks listed, nr_free ${m.nrFree[z.id * m.nrOrders + o]}`,
      )
  }
  if (free !== z.nrFreePages)
    return v(
      m,
      'nr-free-pages',
      -1,
      `zone ${z.name}: ${free} free pages listed, NR_FREE_PAGES ${z.nrFreePages}`,
    )
  if (cma !== z.nrFreeCmaPages)
    return v(
      m,
      'nr-free-cma',
      -1,
      `zone ${z.name}: ${cma} free CMA pages listed, NR_FREE_CMA_PAGES ${z.nrFreeCmaPages}`,
    )
  if (m.freeHighatomicAcct && highatomic !== z.nrFreeHighatomic)
    return v(
      m,
      'nr-free-highatomic',
      -1,
      `zone ${z.name}: ${highatomic} free highatomic pages listed, nr_free_highatomic ${z.nrFreeHighatomic}`,
    )
  return null
}

function checkPcp(m: Machine, z: Zone): InvariantViolation | null {
  for (let cpu = 0; cpu < m.nrCpus; cpu++) {
    let pages = 0
    for (let pindex = 0; pindex < NR_PCP_LISTS; pindex++) {
      const order = pindexToOrder(pindex)
      for (
        let pfn = m.pcpHead[(z.id * m.nrCpus + cpu) * NR_PCP_LISTS + pindex], steps = 0;
        pfn >= 0;
        pfn = pageNext(m, pfn), steps++
      ) {
        if (steps > m.endPfn) return v(m, 'pcp-list-link', pfn, 'cycle in a per-cpu list')
        if ((pageFlags(m, pfn) & PAGE_PCP) === 0 || pageOrder(m, pfn) !== order)
          return v(
            m,
            'pcp-page-state',
            pfn,
            `on a per-cpu order-${order} list but not a per-cpu page of that order`,
          )
        pages += 1 << order
      }
    }
    if (pages !== m.pcpCount[z.id * m.nrCpus + cpu])
      return v(
        m,
        'pcp-count',
        -1,
        `zone ${z.name} cpu ${cpu}: ${pages} pages listed, count ${m.pcpCount[z.id * m.nrCpus + cpu]}`,
      )
  }
  return null
}

function checkMemmap(m: Machine, z: Zone, onList: Uint8Array): InvariantViolation | null {
  let pfn = z.startPfn
  while (pfn < z.endPfn) {
    const f = pageFlags(m, pfn)
    const kind = f & HEAD_BITS
    if (kind !== PAGE_TYPE_BUDDY && kind !== PAGE_PCP && kind !== PAGE_ALLOC) {
      return v(
        m,
        'page-state',
        pfn,
        kind === 0
          ? 'page belongs to no block (free, per-cpu or allocated)'
          : `page has conflicting states 0x${kind.toString(16)}`,
      )
    }
    const o = pageOrder(m, pfn)
    const end = pfn + (1 << o)
    if ((pfn & ((1 << o) - 1)) !== 0 || end > z.endPfn)
      return v(m, 'block-bounds', pfn, `order-${o} block misaligned or past the zone end`)
    if (m.refcount[pfn] < 0) return v(m, 'refcount-negative', pfn, `refcount ${m.refcount[pfn]}`)
    if (m.mapcount[pfn] < 0) return v(m, 'mapcount-negative', pfn, `mapcount ${m.mapcount[pfn]}`)
    if (kind !== PAGE_ALLOC && m.refcount[pfn] !== 0)
      return v(m, 'free-page-refcount', pfn, `free page with refcount ${m.refcount[pfn]}`)
    if (kind === PAGE_TYPE_BUDDY) {
      if (onList[pfn] === 0) return v(m, 'buddy-not-listed', pfn, 'PageBuddy head on no free list')
      const spans = spansIsolation(m, pfn, o)
      if (spans) return spans
    }
    for (let p = pfn + 1; p < end; p++) {
      if ((pageFlags(m, p) & HEAD_BITS) !== 0)
        return v(m, 'overlapping-blocks', p, `block head inside the order-${o} block at ${pfn}`)
      if (m.refcount[p] < 0) return v(m, 'refcount-negative', p, `refcount ${m.refcount[p]}`)
    }
    pfn = end
  }
  return null
}

/**
 * First LRU-type folio of node `nid` that is off the LRU (PG_lru clear, not a movable_ops page):
 * what an isolated folio looks like, anon or file by `folio_is_file_lru`. -1 if none.
 */
function offLruFolio(m: Machine, nid: number, file: boolean): number {
  for (const z of m.zones) {
    if (z.nid !== nid) continue
    let pfn = z.startPfn
    while (pfn < z.endPfn) {
      const f = pageFlags(m, pfn)
      const o = (f & PAGE_ALLOC) !== 0 && (f & PG_head) !== 0 ? pageOrder(m, pfn) : 0
      if (
        (f & PAGE_ALLOC) !== 0 &&
        m.refcount[pfn] > 0 &&
        (f & (PG_lru | PG_movable_ops)) === 0 &&
        (f & (PG_anon | PG_file | PG_swapbacked)) !== 0 &&
        ((f & (PG_anon | PG_swapbacked)) === 0) === file
      )
        return pfn
      pfn += 1 << o
    }
  }
  return -1
}

/**
 * NR_ISOLATED_ANON / NR_ISOLATED_FILE between operations. Every isolator (compaction,
 * migrate_pages' callers, alloc_contig_range, reclaim's shrink_*_list) takes folios off the LRU
 * and puts back or frees them before it returns, so when checkInvariants runs (between
 * operations) both gauges are 0 on every node. A positive count means folios were isolated
 * and dropped from every list (they can never be freed: the pages leak, as a kernel would
 * leak them, or hit VM_BUG_ON(!list_empty(&cc->migratepages)) under CONFIG_DEBUG_VM); the pfn
 * is the first such folio found. A negative count means a double putback.
 */
function checkIsolated(m: Machine): InvariantViolation | null {
  for (let nid = 0; nid < m.cfg.nrNodes; nid++) {
    for (const item of [NR_ISOLATED_ANON, NR_ISOLATED_FILE]) {
      const n = m.nodeStat[nid * NR_NODE_STAT_ITEMS + item]
      if (n === 0) continue
      const name = item === NR_ISOLATED_ANON ? 'NR_ISOLATED_ANON' : 'NR_ISOLATED_FILE'
      if (n < 0) return v(m, 'isolated-underflow', -1, `node ${nid}: ${name} is ${n} pages`)
      const pfn = offLruFolio(m, nid, item === NR_ISOLATED_FILE)
      return v(
        m,
        'isolated-leak',
        pfn,
        `node ${nid}: ${name} is ${n} pages with no isolation in progress; ` +
          (pfn >= 0
            ? `folio at pfn 0x${pfn.toString(16)} (order ${(pageFlags(m, pfn) & PG_head) !== 0 ? pageOrder(m, pfn) : 0}) is off the LRU and on no list`
            : 'no folio is off the LRU (the counter drifted)'),
      )
    }
  }
  return null
}

/** Run every check; returns the first violation found, or null. */
export function checkInvariants(m: Machine): InvariantViolation | null {
  const onList = new Uint8Array(m.endPfn)
  for (const z of m.zones) {
    const r = checkFreeLists(m, z, onList) ?? checkPcp(m, z) ?? checkMemmap(m, z, onList)
    if (r) return r
  }
  const ds = checkDeferredSplit(m)
  if (ds) return { rule: 'deferred-split-queue', pfn: ds.pfn, event: m.op, message: ds.message }
  return checkIsolated(m)
}
