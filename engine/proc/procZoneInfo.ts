/**
 * ZoneInfo built from real /proc files, so that a real machine's buddyinfo (and pagetypeinfo)
 * can be fed to every formatter here, e.g. to print its extfrag indices.
 */
import { MIGRATE_TYPES } from '../mm/migratetype'
import { type ZoneInfo } from '../mm/zoneInfo'
import { type BuddyinfoZone } from './buddyinfo'
import { PAGETYPEINFO_FREECOUNT_CAP, type Pagetypeinfo } from './pagetypeinfo'

/**
 * One ZoneInfo per buddyinfo line. `nrFree` and `freePages` are exact. With a pagetypeinfo,
 * `nrFreeByType` and `nrPageblocksByType` come from it, and a capped (">100000") cell is
 * resolved from buddyinfo when it is the only capped cell of its order; otherwise it stays at
 * the cap. The files do not tell the zone geometry: `spannedPages`/`presentPages`/`managedPages`
 * are the pageblock count times pages per block (or, without pagetypeinfo, the free pages),
 * `startPfn` is 0 and the watermarks are 0.
 */
export function zoneInfoFromProc(
  buddyinfo: readonly BuddyinfoZone[],
  pti?: Pagetypeinfo,
): ZoneInfo[] {
  return buddyinfo.map((b) => {
    const freePages = b.nrFree.reduce((sum, n, order) => sum + n * 2 ** order, 0)
    const p = pti?.zones.find((z) => z.nid === b.nid && z.zone === b.zone)
    if (pti && !p) throw new Error(`pagetypeinfo has no zone Node ${b.nid}, zone ${b.zone}`)
    const nrFreeByType = p
      ? resolveCappedCounts(b.nrFree, p.nrFreeByType, p.capped)
      : Array.from({ length: MIGRATE_TYPES }, () => new Array<number>(b.nrFree.length).fill(0))
    const nrPageblocksByType = p
      ? [...p.nrPageblocksByType]
      : new Array<number>(MIGRATE_TYPES).fill(0)
    const blocks = nrPageblocksByType.reduce((a, c) => a + c, 0)
    const pages = pti && blocks > 0 ? blocks * pti.pagesPerBlock : Math.max(freePages, 1)
    return {
      nid: b.nid,
      name: b.zone,
      startPfn: 0,
      spannedPages: pages,
      presentPages: pages,
      managedPages: pages,
      nrFree: [...b.nrFree],
      nrFreeByType,
      nrPageblocksByType,
      freePages,
      watermark: { min: 0, low: 0, high: 0, boost: 0 },
    }
  })
}

/**
 * Exact per-type counts where possible: buddyinfo's `nr_free[order]` is the sum over all free
 * lists of that order, so a single capped cell equals `nr_free[order]` minus the other cells.
 * When several cells of one order are capped, each keeps the cap and the first gets the rest.
 * Throws if the files contradict each other (they were not read at the same instant).
 */
export function resolveCappedCounts(
  nrFree: readonly number[],
  nrFreeByType: readonly (readonly number[])[],
  capped: readonly (readonly boolean[])[],
): number[][] {
  const out = nrFreeByType.map((row) => [...row])
  for (let order = 0; order < nrFree.length; order++) {
    let exactSum = 0
    const cappedTypes: number[] = []
    for (let mt = 0; mt < out.length; mt++) {
      if (capped[mt][order]) cappedTypes.push(mt)
      else exactSum += out[mt][order]
    }
    const rest = nrFree[order] - exactSum
    const need = cappedTypes.length * PAGETYPEINFO_FREECOUNT_CAP
    if (cappedTypes.length === 0 ? rest !== 0 : rest < need) {
      throw new Error(
        `buddyinfo and pagetypeinfo disagree at order ${order}: nr_free ${nrFree[order]}, ` +
          `free lists ${exactSum}${cappedTypes.length > 0 ? ` + ${cappedTypes.length} capped list(s) of at least ${PAGETYPEINFO_FREECOUNT_CAP}` : ''}`,
      )
    }
    cappedTypes.forEach((mt, k) => {
      out[mt][order] =
        k === 0
          ? rest - (cappedTypes.length - 1) * PAGETYPEINFO_FREECOUNT_CAP
          : PAGETYPEINFO_FREECOUNT_CAP
    })
  }
  return out
}
