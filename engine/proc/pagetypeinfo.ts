/**
 * /proc/pagetypeinfo: free blocks per migratetype and order, and pageblocks per migratetype.
 */
import { MIGRATETYPE_NAMES, MIGRATE_CMA, MIGRATE_ISOLATE, MIGRATE_TYPES } from '../mm/migratetype'
import { type ZoneInfo } from '../mm/zoneInfo'
import { ProcParseError, cInt, cStr, parseCount, splitLines, zonePrefix } from './cformat'

/**
 * pagetypeinfo_showfree_print stops walking a free list at this many entries and prints the
 * count with a '>' in front: a list of 100000 or more blocks prints ">100000".
 */
export const PAGETYPEINFO_FREECOUNT_CAP = 100000

export interface PagetypeinfoOptions {
  /** `pageblock_order` (x86_64 default 9). */
  pageblockOrder: number
  /**
   * CONFIG_CMA: when off, `enum migratetype` has no MIGRATE_CMA, so neither its row nor its
   * column is printed (Debian's 6.1 amd64 kernel in resources/proc-samples is built so).
   * Default true.
   */
  cma?: boolean
  /** CONFIG_MEMORY_ISOLATION: when off there is no MIGRATE_ISOLATE. Default true. */
  memoryIsolation?: boolean
}

/** The migratetypes the kernel enumerates (0..MIGRATE_TYPES-1 of its enum), in enum order. */
export function printedMigratetypes(opts: { cma?: boolean; memoryIsolation?: boolean }): number[] {
  const types: number[] = []
  for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
    if (mt === MIGRATE_CMA && opts.cma === false) continue
    if (mt === MIGRATE_ISOLATE && opts.memoryIsolation === false) continue
    types.push(mt)
  }
  return types
}

function groupByNode(zones: readonly ZoneInfo[]): ZoneInfo[][] {
  const nodes = new Map<number, ZoneInfo[]>()
  for (const z of zones) {
    if (z.presentPages === 0) continue
    const list = nodes.get(z.nid)
    if (list) list.push(z)
    else nodes.set(z.nid, [z])
  }
  return [...nodes.values()]
}

/** The free count as printed: `"%s%6lu "` with '>' when the walk hit the cap. */
function freeCell(count: number): string {
  return count >= PAGETYPEINFO_FREECOUNT_CAP
    ? '>' + cInt(PAGETYPEINFO_FREECOUNT_CAP, 6) + ' '
    : cInt(count, 6) + ' '
}

/**
 * mm/vmstat.c:pagetypeinfo_show, once per node with memory (seq_file iterates nodes, and each
 * node repeats the header): the pageblock lines, pagetypeinfo_showfree (header `"%-43s "` and
 * `"%6d "` per order; rows `"Node %4d, zone %8s, type %12s "` + pagetypeinfo_showfree_print
 * cells) and pagetypeinfo_showblockcount (`"\n%-23s"`, `"%12s "` per type; rows `"Node %d,
 * zone %8s "` + `"%12lu "`). The page_owner "Number of mixed blocks" section is not printed.
 */
export function formatPagetypeinfo(zones: readonly ZoneInfo[], opts: PagetypeinfoOptions): string {
  const types = printedMigratetypes(opts)
  const nrOrders = zones.length > 0 ? zones[0].nrFree.length : 0
  let out = ''
  for (const node of groupByNode(zones)) {
    out += `Page block order: ${opts.pageblockOrder}\n`
    out += `Pages per block:  ${2 ** opts.pageblockOrder}\n`
    out += '\n'
    out += cStr('Free pages count per migrate type at order', -43) + ' '
    for (let order = 0; order < nrOrders; order++) out += cInt(order, 6) + ' '
    out += '\n'
    for (const z of node) {
      for (const mt of types) {
        out += `Node ${cInt(z.nid, 4)}, zone ${cStr(z.name, 8)}, type ${cStr(MIGRATETYPE_NAMES[mt], 12)} `
        const row = z.nrFreeByType[mt]
        for (let order = 0; order < nrOrders; order++) out += freeCell(row ? row[order] : 0)
        out += '\n'
      }
    }
    out += '\n' + cStr('Number of blocks type ', -23)
    for (const mt of types) out += cStr(MIGRATETYPE_NAMES[mt], 12) + ' '
    out += '\n'
    for (const z of node) {
      out += zonePrefix(z.nid, z.name)
      for (const mt of types) out += cInt(z.nrPageblocksByType[mt] ?? 0, 12) + ' '
      out += '\n'
    }
  }
  return out
}

/** One zone of a parsed /proc/pagetypeinfo. Arrays are indexed by engine migratetype. */
export interface PagetypeinfoZone {
  nid: number
  zone: string
  /** Free blocks [migratetype][order]; a capped cell holds 100000 (see `capped`). */
  nrFreeByType: number[][]
  /** [migratetype][order]: true where the kernel printed ">100000" (real count ≥ 100000). */
  capped: boolean[][]
  /** Pageblocks per migratetype ("Number of blocks type"). */
  nrPageblocksByType: number[]
  /** "Number of mixed blocks" (CONFIG_PAGE_OWNER), when the file has that section. */
  nrMixedBlocksByType?: number[]
}

export interface Pagetypeinfo {
  pageblockOrder: number
  pagesPerBlock: number
  nrOrders: number
  /** Migratetypes the file prints, in column order (engine numbering, MIGRATE_*). */
  migratetypes: number[]
  zones: PagetypeinfoZone[]
}

const FREE_ROW = /^Node +(\d+), zone +(\S+), type +(\S+) (.*)$/
const COUNT_ROW = /^Node (\d+), zone +(\S+) ((?: *\d+ )+)$/

function migratetypeByName(name: string, fail: (why: string) => never): number {
  const mt = MIGRATETYPE_NAMES.indexOf(name)
  if (mt < 0) fail(`unknown migratetype ${name}`)
  return mt
}

/**
 * Parses /proc/pagetypeinfo text (one or more node sections, optional mixed-blocks section).
 * Errors name the line. Types the file does not print (CMA on a !CONFIG_CMA kernel) get zero rows.
 */
export function parsePagetypeinfo(text: string): Pagetypeinfo {
  const lines = splitLines(text)
  const result: Pagetypeinfo = {
    pageblockOrder: -1,
    pagesPerBlock: -1,
    nrOrders: -1,
    migratetypes: [],
    zones: [],
  }
  const byKey = new Map<string, PagetypeinfoZone>()
  let section: 'none' | 'free' | 'blocks' | 'mixed' = 'none'
  let columns: number[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const fail = (why: string): never => {
      throw new ProcParseError('pagetypeinfo', i + 1, line, why)
    }
    const count = (t: string): number => parseCount(t) ?? fail(`bad count ${t}`)
    let m: RegExpExecArray | null
    if ((m = /^Page block order: (\d+)$/.exec(line))) {
      const order = Number(m[1])
      if (result.pageblockOrder >= 0 && result.pageblockOrder !== order) fail('order changed')
      result.pageblockOrder = order
      section = 'none'
    } else if ((m = /^Pages per block: +(\d+)$/.exec(line))) {
      result.pagesPerBlock = Number(m[1])
      if (result.pagesPerBlock !== 2 ** result.pageblockOrder) fail('not 2^pageblock order')
    } else if (line === '') {
      section = 'none'
    } else if (line.startsWith('Free pages count per migrate type at order')) {
      const orders = line.slice(43).trim().split(/ +/).map(count)
      if (orders.some((o, k) => o !== k)) fail('orders are not 0, 1, 2, ...')
      if (result.nrOrders >= 0 && result.nrOrders !== orders.length) fail('order count changed')
      result.nrOrders = orders.length
      section = 'free'
    } else if (
      line.startsWith('Number of blocks type ') ||
      line.startsWith('Number of mixed blocks ')
    ) {
      columns = line
        .slice(23)
        .trim()
        .split(/ +/)
        .map((name) => migratetypeByName(name, fail))
      if (result.migratetypes.length > 0 && columns.join() !== result.migratetypes.join()) {
        fail('columns differ from the free-list rows')
      }
      section = line.startsWith('Number of blocks') ? 'blocks' : 'mixed'
    } else if (section === 'free' && (m = FREE_ROW.exec(line))) {
      const key = `${m[1]}:${m[2]}`
      let z = byKey.get(key)
      if (!z) {
        z = newZone(Number(m[1]), m[2], result.nrOrders)
        byKey.set(key, z)
        result.zones.push(z)
      }
      const mt = migratetypeByName(m[3], fail)
      if (result.zones.length === 1 && !result.migratetypes.includes(mt)) {
        result.migratetypes.push(mt)
      }
      const cells = m[4].trim().split(/ +/)
      if (cells.length !== result.nrOrders) fail(`expected ${result.nrOrders} counts`)
      cells.forEach((cell, order) => {
        const capped = cell.startsWith('>')
        const n = count(capped ? cell.slice(1) : cell)
        if (capped && n !== PAGETYPEINFO_FREECOUNT_CAP) fail(`'>' on ${n}, not on the cap`)
        z.nrFreeByType[mt][order] = n
        z.capped[mt][order] = capped
      })
    } else if ((section === 'blocks' || section === 'mixed') && (m = COUNT_ROW.exec(line))) {
      const z = byKey.get(`${m[1]}:${m[2]}`) ?? fail('zone has no free-list rows')
      const counts = m[3].trim().split(/ +/).map(count)
      if (counts.length !== columns.length) fail(`expected ${columns.length} counts`)
      const target = section === 'blocks' ? z.nrPageblocksByType : new Array(MIGRATE_TYPES).fill(0)
      columns.forEach((mt, k) => (target[mt] = counts[k]))
      if (section === 'mixed') z.nrMixedBlocksByType = target
    } else {
      fail(`unexpected line in section '${section}'`)
    }
  }
  if (result.zones.length === 0) throw new Error('pagetypeinfo: no zone rows')
  return result
}

function newZone(nid: number, zone: string, nrOrders: number): PagetypeinfoZone {
  const grid = <T>(v: T): T[][] =>
    Array.from({ length: MIGRATE_TYPES }, () => new Array<T>(nrOrders).fill(v))
  return {
    nid,
    zone,
    nrFreeByType: grid(0),
    capped: grid(false),
    nrPageblocksByType: new Array(MIGRATE_TYPES).fill(0),
  }
}
