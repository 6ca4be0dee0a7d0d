/**
 * Independent checks of an ImportPlan, and the ZoneInfo its free blocks imply (counted from the
 * blocks themselves, not from the counts the plan carries).
 */
import { MIGRATE_TYPES } from '../mm/migratetype'
import { type ZoneInfo } from '../mm/zoneInfo'
import { buddyPfn } from './importPack'
import { type ImportPlan } from './importPlan'
import { mixedListAllowed } from './importZone'
import { PAGETYPEINFO_FREECOUNT_CAP } from './pagetypeinfo'

/**
 * Returns every violated rule (empty when the plan is consistent): free blocks aligned, inside
 * the zone and disjoint; each on its pageblocks' migratetype (with `mixedLists`, possibly on
 * another mergeable type's); no two free buddies of one order below MAX_PAGE_ORDER (they would
 * have merged in mm/page_alloc.c:__free_one_page); free blocks and allocated runs tiling the
 * zone exactly; counts per (type, order) and pageblocks per type as in the file.
 */
export function checkImportPlan(plan: ImportPlan): string[] {
  const errors: string[] = []
  const pbPages = 2 ** plan.pageblockOrder
  for (const z of plan.zones) {
    const where = `Node ${z.nid}, zone ${z.name}`
    const endPfn = z.startPfn + z.spannedPages
    const typeAt = (pfn: number) =>
      z.pageblockMigratetype[Math.floor((pfn - z.firstPageblockPfn) / pbPages)]
    const seen = new Set<string>()
    const counts = Array.from({ length: MIGRATE_TYPES }, () =>
      new Array<number>(plan.nrOrders).fill(0),
    )
    let prevEnd = -1
    for (let i = 0; i < z.freePfn.length; i++) {
      const pfn = z.freePfn[i]
      const order = z.freeOrder[i]
      const mt = z.freeMigratetype[i]
      const size = 2 ** order
      const at = `${where}: free block pfn ${pfn} order ${order}`
      if (pfn % size !== 0) errors.push(`${at} is not aligned`)
      if (pfn < z.startPfn || pfn + size > endPfn) errors.push(`${at} leaves the zone`)
      if (pfn < prevEnd) errors.push(`${at} overlaps the previous block`)
      prevEnd = pfn + size
      for (let p = pfn; p < pfn + size; p += pbPages) {
        const ok = plan.mixedLists ? mixedListAllowed(mt, typeAt(p)) : typeAt(p) === mt
        if (!ok) errors.push(`${at} is on list ${mt} in a pageblock of type ${typeAt(p)}`)
      }
      seen.add(`${pfn}:${order}`)
      counts[mt][order]++
    }
    for (let i = 0; i < z.freePfn.length; i++) {
      const order = z.freeOrder[i]
      if (order < plan.nrOrders - 1 && seen.has(`${buddyPfn(z.freePfn[i], order)}:${order}`)) {
        errors.push(
          `${where}: free blocks at pfn ${z.freePfn[i]} and its buddy (order ${order}) would merge`,
        )
      }
    }
    // Free blocks and allocated runs must tile the zone: walk both in pfn order.
    let cursor = z.startPfn
    let u = 0
    let f = 0
    while (u < z.usedPfn.length || f < z.freePfn.length) {
      const useFree = u >= z.usedPfn.length || (f < z.freePfn.length && z.freePfn[f] < z.usedPfn[u])
      const from = useFree ? z.freePfn[f] : z.usedPfn[u]
      const to = useFree ? from + 2 ** z.freeOrder[f] : from + z.usedNrPages[u]
      if (from !== cursor) {
        errors.push(
          `${where}: pfn ${Math.min(from, cursor)}..${Math.max(from, cursor)} is ${from > cursor ? 'neither free nor allocated' : 'both free and allocated'}`,
        )
        break
      }
      if (!useFree && Math.floor(from / pbPages) !== Math.floor((to - 1) / pbPages)) {
        errors.push(`${where}: allocated run ${from}..${to} crosses a pageblock`)
      }
      cursor = to
      if (useFree) f++
      else u++
    }
    if (cursor !== endPfn && errors.length === 0) {
      errors.push(`${where}: pfn ${cursor}..${endPfn} is neither free nor allocated`)
    }
    for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
      for (let order = 0; order < plan.nrOrders; order++) {
        const want = z.nrFreeByType[mt][order]
        const got = counts[mt][order]
        if (got !== want || (z.capped[mt][order] && got < PAGETYPEINFO_FREECOUNT_CAP)) {
          errors.push(
            `${where}: ${got} free blocks of type ${mt} order ${order}, file says ${z.capped[mt][order] ? '>' : ''}${want}`,
          )
        }
      }
      const blocks = z.pageblockMigratetype.reduce((n, t) => n + (t === mt ? 1 : 0), 0)
      if (blocks !== z.nrPageblocksByType[mt]) {
        errors.push(
          `${where}: ${blocks} pageblocks of type ${mt}, file says ${z.nrPageblocksByType[mt]}`,
        )
      }
    }
  }
  return errors
}

/** The ZoneInfo a plan's free blocks and pageblocks amount to (all pages present and managed). */
export function planZoneInfo(plan: ImportPlan): ZoneInfo[] {
  return plan.zones.map((z) => {
    const nrFreeByType = Array.from({ length: MIGRATE_TYPES }, () =>
      new Array<number>(plan.nrOrders).fill(0),
    )
    const nrFree = new Array<number>(plan.nrOrders).fill(0)
    let freePages = 0
    for (let i = 0; i < z.freePfn.length; i++) {
      nrFreeByType[z.freeMigratetype[i]][z.freeOrder[i]]++
      nrFree[z.freeOrder[i]]++
      freePages += 2 ** z.freeOrder[i]
    }
    const nrPageblocksByType = new Array<number>(MIGRATE_TYPES).fill(0)
    for (const t of z.pageblockMigratetype) nrPageblocksByType[t]++
    return {
      nid: z.nid,
      name: z.name,
      startPfn: z.startPfn,
      spannedPages: z.spannedPages,
      presentPages: z.spannedPages,
      managedPages: z.spannedPages,
      nrFree,
      nrFreeByType,
      nrPageblocksByType,
      freePages,
      watermark: { min: 0, low: 0, high: 0, boost: 0 },
    }
  })
}
