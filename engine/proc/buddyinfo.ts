/**
 * /proc/buddyinfo: free blocks per order for every populated zone.
 */
import { type ZoneInfo } from '../mm/zoneInfo'
import { ProcParseError, cInt, parseCount, splitLines, zonePrefix } from './cformat'

/** One line of /proc/buddyinfo. */
export interface BuddyinfoZone {
  nid: number
  /** Zone name as printed ('DMA', 'DMA32', 'Normal', 'Movable'). */
  zone: string
  /** `free_area[order].nr_free` in blocks, orders 0..MAX_PAGE_ORDER. Exact (never capped). */
  nrFree: number[]
}

/**
 * mm/vmstat.c:frag_show → walk_zones_in_node(assert_populated) → frag_show_print:
 * `"Node %d, zone %8s "`, then `"%6lu "` per order, then a newline. Zones without present
 * pages are skipped (`populated_zone`). Zones are printed in the order given, which should be
 * node by node and, within a node, `node_zones[]` order.
 */
export function formatBuddyinfo(zones: readonly ZoneInfo[]): string {
  let out = ''
  for (const z of zones) {
    if (z.presentPages === 0) continue
    out += zonePrefix(z.nid, z.name)
    for (const n of z.nrFree) out += cInt(n, 6) + ' '
    out += '\n'
  }
  return out
}

const LINE = /^Node (\d+), zone +(\S+) ((?: *\d+ )+)$/

/**
 * Parses /proc/buddyinfo text. Every line must have the kernel's shape and all lines the same
 * number of orders; an error names the line.
 */
export function parseBuddyinfo(text: string): BuddyinfoZone[] {
  const zones: BuddyinfoZone[] = []
  const lines = splitLines(text)
  lines.forEach((line, i) => {
    const m = LINE.exec(line)
    if (!m) {
      throw new ProcParseError(
        'buddyinfo',
        i + 1,
        line,
        'expected "Node <nid>, zone <name> <count per order>..."',
      )
    }
    const nrFree = m[3]
      .trim()
      .split(/ +/)
      .map((t) => {
        const n = parseCount(t)
        if (n === undefined) throw new ProcParseError('buddyinfo', i + 1, line, `bad count ${t}`)
        return n
      })
    if (zones.length > 0 && nrFree.length !== zones[0].nrFree.length) {
      throw new ProcParseError(
        'buddyinfo',
        i + 1,
        line,
        `has ${nrFree.length} orders but line 1 has ${zones[0].nrFree.length}`,
      )
    }
    zones.push({ nid: Number(m[1]), zone: m[2], nrFree })
  })
  if (zones.length === 0) throw new Error('buddyinfo: no zone lines')
  return zones
}
