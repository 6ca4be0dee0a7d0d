import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MIGRATE_CMA, MIGRATE_MOVABLE, MIGRATE_UNMOVABLE } from '../mm/migratetype'
import { parseBuddyinfo } from './buddyinfo'
import { formatPagetypeinfo, parsePagetypeinfo, printedMigratetypes } from './pagetypeinfo'
import { resolveCappedCounts, zoneInfoFromProc } from './procZoneInfo'

const SAMPLES = new URL('../../resources/proc-samples/', import.meta.url)
const samplePaths = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((c) => readdirSync(new URL(`${c.name}/`, SAMPLES)).map((s) => `${c.name}/${s}`))
const read = (path: string): string => readFileSync(new URL(path, SAMPLES), 'utf8')

describe('/proc/pagetypeinfo (mm/vmstat.c:pagetypeinfo_show)', () => {
  it.each(samplePaths)('round-trips %s byte for byte', (path) => {
    const text = read(`${path}/pagetypeinfo`)
    const pti = parsePagetypeinfo(text)
    const zones = zoneInfoFromProc(parseBuddyinfo(read(`${path}/buddyinfo`)), pti)
    const cma = pti.migratetypes.includes(MIGRATE_CMA)
    expect(cma).toBe(false) // Debian's 6.1 amd64 kernel is built without CONFIG_CMA
    expect(formatPagetypeinfo(zones, { pageblockOrder: pti.pageblockOrder, cma })).toBe(text)
  })

  it('parses the start sample: pageblock types and free lists', () => {
    const pti = parsePagetypeinfo(read('w1_p8k1/start/pagetypeinfo'))
    expect(pti.pageblockOrder).toBe(9)
    expect(pti.pagesPerBlock).toBe(512)
    expect(pti.nrOrders).toBe(11)
    expect(pti.migratetypes).toEqual([0, 1, 2, 3, 5])
    const [dma, dma32] = pti.zones
    expect(dma.nrPageblocksByType).toEqual([1, 7, 0, 0, 0, 0])
    expect(dma32.nrPageblocksByType).toEqual([19, 479, 6, 0, 0, 0])
    expect(dma32.nrFreeByType[MIGRATE_MOVABLE][10]).toBe(225)
    expect(dma.nrFreeByType[MIGRATE_UNMOVABLE]).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0])
  })

  it('flags ">100000" cells and resolves them exactly from buddyinfo', () => {
    const path = 'w1_p2k1/fragmented'
    const pti = parsePagetypeinfo(read(`${path}/pagetypeinfo`))
    const dma32 = pti.zones[1]
    expect(dma32.capped[MIGRATE_MOVABLE][0]).toBe(true)
    expect(dma32.nrFreeByType[MIGRATE_MOVABLE][0]).toBe(100000)
    const buddy = parseBuddyinfo(read(`${path}/buddyinfo`))[1]
    const exact = resolveCappedCounts(buddy.nrFree, dma32.nrFreeByType, dma32.capped)
    // buddyinfo order 0 is 110590; every other type has 0 order-0 blocks in this sample.
    expect(exact[MIGRATE_MOVABLE][0]).toBe(110590)
  })

  it('prints ">100000" from 100000 blocks on: the walk stops when ++freecount >= 100000', () => {
    const [z] = zoneInfoFromProc([{ nid: 0, zone: 'Normal', nrFree: [99999 + 100000 + 7] }])
    z.nrFreeByType[MIGRATE_UNMOVABLE][0] = 99999
    z.nrFreeByType[MIGRATE_MOVABLE][0] = 100000
    z.nrFreeByType[MIGRATE_CMA][0] = 7
    z.nrPageblocksByType[MIGRATE_MOVABLE] = 1
    const lines = formatPagetypeinfo([z], { pageblockOrder: 9 }).split('\n')
    expect(lines[4]).toBe('Node    0, zone   Normal, type    Unmovable  99999 ')
    expect(lines[5]).toBe('Node    0, zone   Normal, type      Movable >100000 ')
    expect(lines[8]).toBe('Node    0, zone   Normal, type          CMA      7 ')
  })

  it('prints the CMA row and column on a CONFIG_CMA kernel', () => {
    expect(printedMigratetypes({})).toEqual([0, 1, 2, 3, 4, 5])
    expect(printedMigratetypes({ cma: false })).toEqual([0, 1, 2, 3, 5])
    const [z] = zoneInfoFromProc([{ nid: 0, zone: 'DMA32', nrFree: [0, 0] }])
    z.nrPageblocksByType[MIGRATE_CMA] = 3
    const text = formatPagetypeinfo([z], { pageblockOrder: 9 })
    expect(text).toContain(
      'Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic          CMA      Isolate \n' +
        'Node 0, zone    DMA32            0            0            0            0            3            0 \n',
    )
    expect(parsePagetypeinfo(text).zones[0].nrPageblocksByType[MIGRATE_CMA]).toBe(3)
  })

  it('repeats the whole file per node, as seq_file shows it node by node', () => {
    const zones = zoneInfoFromProc([
      { nid: 0, zone: 'DMA32', nrFree: [1] },
      { nid: 1, zone: 'Normal', nrFree: [2] },
    ])
    const text = formatPagetypeinfo(zones, { pageblockOrder: 9, cma: false })
    expect(text.match(/Page block order: 9\n/g)).toHaveLength(2)
    const pti = parsePagetypeinfo(text)
    expect(pti.zones.map((z) => [z.nid, z.zone, z.nrFreeByType[0][0]])).toEqual([
      [0, 'DMA32', 0],
      [1, 'Normal', 0],
    ])
  })

  it('names the offending line in errors', () => {
    const good = read('w1_p8k1/start/pagetypeinfo').split('\n')
    const bad = [...good]
    bad[5] = bad[5].replace('Movable', 'Bogus')
    expect(() => parsePagetypeinfo(bad.join('\n'))).toThrow(/line 6: unknown migratetype Bogus/)
    const short = [...good]
    short[6] = short[6].replace(/ +0 $/, ' ')
    expect(() => parsePagetypeinfo(short.join('\n'))).toThrow(/line 7: expected 11 counts/)
    const stray = [...good]
    stray[2] = 'hello'
    expect(() => parsePagetypeinfo(stray.join('\n'))).toThrow(/line 3: unexpected line/)
  })

  it('reads the page_owner "Number of mixed blocks" section when present', () => {
    // pagetypeinfo_showmixedcount: "\n%-23s" then "%12s " names, rows like the block counts.
    const text =
      read('w1_p8k1/start/pagetypeinfo') +
      '\nNumber of mixed blocks     Unmovable      Movable  Reclaimable   HighAtomic      Isolate \n' +
      'Node 0, zone      DMA            1            0            0            0            0 \n' +
      'Node 0, zone    DMA32            4           17            2            0            0 \n'
    const pti = parsePagetypeinfo(text)
    expect(pti.zones[1].nrMixedBlocksByType).toEqual([4, 17, 2, 0, 0, 0])
    expect(pti.zones[1].nrPageblocksByType).toEqual([19, 479, 6, 0, 0, 0])
  })
})
