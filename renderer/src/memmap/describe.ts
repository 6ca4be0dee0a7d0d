/**
 * The hover tooltip's content for one pfn, from the frame (pageblock facts) and, when the page
 * is covered, page detail (flags, refcount, owner).
 */
import {
  PAGE_KIND_NAMES,
  pageFlagNames,
  PK_ISOLATED_FREE,
  type PageDetail,
} from '../../../engine/mapview/detail'
import { MF_ISOLATE, MF_MT_MASK, MF_SKIP, type MapFrame } from '../../../engine/mapview/frame'
import { MIGRATETYPE_NAMES } from '../../../engine/mm/migratetype'

export interface PfnDescription {
  pfn: number
  lines: { label: string; value: string }[]
}

const hex = (n: number): string => `0x${n.toString(16)}`

export function describePfn(
  frame: MapFrame,
  pfn: number,
  details: readonly PageDetail[],
): PfnDescription {
  const pbo = frame.pageblockOrder
  const pb = Math.floor(pfn / 2 ** pbo)
  const f = frame.pbFlags[pb]
  const zone = frame.zones.find((z) => pfn >= z.startPfn && pfn < z.endPfn)
  const mt = MIGRATETYPE_NAMES[f & MF_MT_MASK]
  const marks: string[] = []
  if ((f & MF_ISOLATE) !== 0) marks.push('isolated')
  if ((f & MF_SKIP) !== 0) marks.push('skip')
  const pbNr = 2 ** pbo
  const lines = [
    { label: 'pfn', value: `${hex(pfn)} (${pfn})` },
    { label: 'zone', value: zone ? `Node ${zone.nid}, zone ${zone.name}` : 'none' },
    {
      label: 'pageblock',
      value: `${pb} [${hex(pb * pbNr)}-${hex((pb + 1) * pbNr - 1)}]`,
    },
    { label: 'migratetype', value: mt + (marks.length ? ` (${marks.join(', ')})` : '') },
    {
      label: 'block use',
      value:
        `${frame.freePages[pb]} free, ${frame.pcpPages[pb]} pcp, ` +
        `${frame.movablePages[pb]} movable, ${frame.unmovablePages[pb]} unmovable` +
        (frame.reservedPages[pb] ? `, ${frame.reservedPages[pb]} reserved` : '') +
        (frame.maxFreeOrder[pb] >= 0 ? `; largest free order ${frame.maxFreeOrder[pb]}` : ''),
    },
  ]
  const d = details.find((x) => pfn >= x.startPfn && pfn < x.startPfn + x.nrPages)
  if (d) {
    const i = pfn - d.startPfn
    const head = d.headPfn[i]
    const order = d.order[i]
    const free = d.kind[i] <= 1 || d.kind[i] === PK_ISOLATED_FREE
    lines.push({ label: 'owner', value: PAGE_KIND_NAMES[d.kind[i]] })
    lines.push({
      label: free ? 'free block' : 'folio',
      value: `head ${hex(head)}, order ${order} (${2 ** order} page${order ? 's' : ''})`,
    })
    const names = pageFlagNames(d.flags[i])
    // the hex word shows only `enum pageflags` bits (0-21); model bits appear by name only
    const kernelBits = d.flags[i] & ((1 << 22) - 1)
    lines.push({ label: 'flags', value: `${hex(kernelBits)}(${names.join('|')})` })
    lines.push({ label: 'refcount', value: String(d.refcount[i]) })
    lines.push({ label: 'mapcount', value: String(d.mapcount[i]) })
  }
  return { pfn, lines }
}
