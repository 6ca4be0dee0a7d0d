/**
 * The highatomic reserve (mm/page_alloc.c): `reserve_highatomic_pageblock` after a high-order
 * atomic allocation, and `unreserve_highatomic_pageblock` under memory pressure.
 */
import { moveToFreeList, getPageFromFreeArea } from './freeArea'
import { eraAtLeast, type Machine } from './machine'
import { migratetypeIsMergeable, MIGRATE_HIGHATOMIC } from './migratetype'
import { moveFreepagesBlock, moveFreepagesBlockLegacy } from './moveFreepages'
import { changePageblockRange, getPfnblockMigratetype, setPageblockMigratetype } from './pageblock'
import { type Zone } from './zone'

/**
 * The most pages `reserve_highatomic_pageblock` lets a zone reserve, or 0 for none:
 * - [≤6.7] `managed/100 + pageblock_nr_pages` (6.1 stable);
 * - [6.8+] `ALIGN(managed/100, pageblock_nr_pages)`, and no reserve at all when 1% of the
 *   zone is less than a pageblock: d68e39fc45f7 ("mm: page_alloc: correct high atomic reserve
 *   calculations") and 9cd20f3fe045 ("... enforce minimum zone size to do high atomic
 *   reserves"), Charan Teja Kalla, v6.8-rc1 (6.12 source).
 */
export function highatomicMaxManaged(m: Machine, z: Zone): number {
  const onePercent = Math.floor(z.managedPages / 100)
  if (!eraAtLeast(m, '6.9')) return onePercent + m.pageblockNrPages
  if (onePercent < m.pageblockNrPages) return 0
  return Math.ceil(onePercent / m.pageblockNrPages) * m.pageblockNrPages
}

/**
 * `reserve_highatomic_pageblock(page, order, zone)`: while fewer than `highatomicMaxManaged`
 * pages are reserved, relabel the allocation's (mergeable) pageblock HIGHATOMIC and move its
 * free pages there.
 */
export function reserveHighatomicPageblock(m: Machine, z: Zone, pfn: number, order: number): void {
  const maxManaged = highatomicMaxManaged(m, z)
  if (maxManaged === 0 || z.nrReservedHighatomic >= maxManaged) return
  const mt = getPfnblockMigratetype(m, pfn)
  if (!migratetypeIsMergeable(mt)) return
  if (!m.hygiene) {
    z.nrReservedHighatomic += m.pageblockNrPages
    setPageblockMigratetype(m, pfn, MIGRATE_HIGHATOMIC)
    moveFreepagesBlockLegacy(m, z, pfn, MIGRATE_HIGHATOMIC)
    return
  }
  if (order < m.pageblockOrder) {
    if (moveFreepagesBlock(m, z, pfn, MIGRATE_HIGHATOMIC) === -1) return
    z.nrReservedHighatomic += m.pageblockNrPages
  } else {
    changePageblockRange(m, pfn, order, MIGRATE_HIGHATOMIC)
    z.nrReservedHighatomic += 1 << order
  }
}

/**
 * `unreserve_highatomic_pageblock(ac, force)`: over the zonelist (zones ≤ `highestZoneidx`),
 * find a free HIGHATOMIC block and give its pageblock back to `mt`. Unless `force`, each zone
 * keeps its last reserved pageblock. Returns true if a block was converted.
 */
export function unreserveHighatomicPageblock(
  m: Machine,
  zonelist: Int32Array,
  highestZoneidx: number,
  mt: number,
  force: boolean,
): boolean {
  for (let i = 0; i < zonelist.length; i++) {
    const z = m.zones[zonelist[i]]
    if (z.type > highestZoneidx) continue
    if (!force && z.nrReservedHighatomic <= m.pageblockNrPages) continue
    for (let order = 0; order <= m.maxOrder; order++) {
      const pfn = getPageFromFreeArea(m, z, order, MIGRATE_HIGHATOMIC)
      if (pfn < 0) continue
      const blockMt = getPfnblockMigratetype(m, pfn)
      if (blockMt === MIGRATE_HIGHATOMIC) {
        let size = Math.max(m.pageblockNrPages, 1 << order)
        size = Math.min(size, z.nrReservedHighatomic)
        z.nrReservedHighatomic -= size
      }
      let ret: number
      if (!m.hygiene) {
        setPageblockMigratetype(m, pfn, mt)
        ret = moveFreepagesBlockLegacy(m, z, pfn, mt)
      } else if (order < m.pageblockOrder) {
        ret = moveFreepagesBlock(m, z, pfn, mt)
      } else {
        moveToFreeList(m, z, pfn, order, mt)
        changePageblockRange(m, pfn, order, mt)
        ret = 1
      }
      if (ret > 0) return true
    }
  }
  return false
}
