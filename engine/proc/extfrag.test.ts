import { describe, expect, it } from 'vitest'
import {
  extfragForOrder,
  fillContigPageInfo,
  formatExtfragIndex,
  formatUnusableIndex,
  fragmentationIndex,
  unusableIndex,
  zoneFragmentationIndex,
} from './extfrag'
import { zoneInfoFromProc } from './procZoneInfo'

const zone = (nrFree: number[], name = 'Normal') =>
  zoneInfoFromProc([{ nid: 0, zone: name, nrFree }])
const orders11 = (entries: Record<number, number>): number[] =>
  Array.from({ length: 11 }, (_, o) => entries[o] ?? 0)

describe('mm/vmstat.c:fill_contig_page_info', () => {
  it('counts pages, blocks and blocks of the suitable order', () => {
    // 4 order-0, 2 order-1, 1 order-2 blocks: 4 + 4 + 4 = 12 pages in 7 blocks.
    expect(fillContigPageInfo([4, 2, 1], 1)).toEqual({
      freePages: 12,
      freeBlocksTotal: 7,
      freeBlocksSuitable: 4, // two order-1 blocks, and the order-2 block makes two more
    })
  })

  it('does not overflow on 64 GiB of order-10 blocks', () => {
    const info = fillContigPageInfo(orders11({ 10: 16384 }), 0)
    expect(info.freePages).toBe(16 * 1024 * 1024)
    expect(info.freeBlocksSuitable).toBe(16 * 1024 * 1024)
  })
})

describe('mm/vmstat.c:unusable_free_index and __fragmentation_index', () => {
  it('all memory free as one order-10 block: nothing unusable, every order would succeed', () => {
    const nrFree = orders11({ 10: 1 })
    for (let order = 0; order <= 10; order++) {
      const info = fillContigPageInfo(nrFree, order)
      expect(unusableIndex(order, info)).toBe(0)
      expect(fragmentationIndex(order, info)).toBe(-1000)
    }
    expect(formatUnusableIndex(zone(nrFree))).toBe(
      'Node 0, zone   Normal ' + '0.000 '.repeat(11) + '\n',
    )
    expect(formatExtfragIndex(zone(nrFree))).toBe(
      'Node 0, zone   Normal ' + '-1.000 '.repeat(11) + '\n',
    )
  })

  it('1024 free order-0 pages: only order 0 is usable; the index grows with the order', () => {
    const nrFree = orders11({ 0: 1024 })
    expect(unusableIndex(0, fillContigPageInfo(nrFree, 0))).toBe(0)
    expect(unusableIndex(1, fillContigPageInfo(nrFree, 1))).toBe(1000)
    // 1000 - (1000 + 1024*1000/2) / 1024 = 1000 - 513000/1024 = 1000 - 500
    expect(zoneFragmentationIndex(nrFree, 1)).toBe(500)
    // 1000 - (1000 + 256000) / 1024 = 1000 - 250
    expect(zoneFragmentationIndex(nrFree, 2)).toBe(750)
    // 1000 - (1000 + 1000) / 1024 = 999
    expect(zoneFragmentationIndex(nrFree, 10)).toBe(999)
    expect(formatUnusableIndex(zone(nrFree, 'DMA32'))).toBe(
      'Node 0, zone    DMA32 0.000 ' + '1.000 '.repeat(10) + '\n',
    )
    expect(formatExtfragIndex(zone(nrFree, 'DMA32'))).toBe(
      'Node 0, zone    DMA32 -1.000  0.500  0.750  0.875  0.937  0.968  0.984  0.992  0.996  0.998  0.999 \n',
    )
  })

  it('a mixed zone', () => {
    const nrFree = [4, 2, 1, 0]
    // (12 - 4<<1) * 1000 / 12 = 333; (12 - 1<<2) * 1000 / 12 = 666
    expect(unusableIndex(1, fillContigPageInfo(nrFree, 1))).toBe(333)
    expect(unusableIndex(2, fillContigPageInfo(nrFree, 2))).toBe(666)
    // order 3 fails: 1000 - (1000 + 12000/8) / 7 = 1000 - 357
    expect(zoneFragmentationIndex(nrFree, 3)).toBe(643)
    expect(formatUnusableIndex(zone(nrFree))).toBe(
      'Node 0, zone   Normal 0.000 0.333 0.666 1.000 \n',
    )
    expect(formatExtfragIndex(zone(nrFree))).toBe(
      'Node 0, zone   Normal -1.000 -1.000 -1.000  0.643 \n',
    )
  })

  it('no free memory: unusable 1.000 and fragmentation 0 (no blocks)', () => {
    const nrFree = [0, 0]
    expect(formatUnusableIndex(zone(nrFree))).toBe('Node 0, zone   Normal 1.000 1.000 \n')
    expect(formatExtfragIndex(zone(nrFree))).toBe('Node 0, zone   Normal  0.000  0.000 \n')
  })

  it('one free block of half the request goes below zero and prints as C does', () => {
    // 1000 - (1000 + 512*1000/1024) / 1 = -500; "%2d.%03d" of -500/1000 = 0 and -500%1000 = -500
    const nrFree = orders11({ 9: 1 })
    expect(zoneFragmentationIndex(nrFree, 10)).toBe(-500)
    expect(formatExtfragIndex(zone(nrFree)).endsWith(' 0.-500 \n')).toBe(true)
    // one order-3 block against order 10: 1000 - (1000 + 8000/1024) = -7 → "%03d" is "-07"
    expect(zoneFragmentationIndex(orders11({ 3: 1 }), 10)).toBe(-7)
    expect(formatExtfragIndex(zone(orders11({ 3: 1 }))).endsWith(' 0.-07 \n')).toBe(true)
  })
})

describe('mm/vmstat.c:extfrag_for_order', () => {
  it('is the percentage of free pages in blocks below the order', () => {
    expect(extfragForOrder(orders11({ 0: 1024 }), 0)).toBe(0)
    expect(extfragForOrder(orders11({ 0: 1024 }), 1)).toBe(100)
    expect(extfragForOrder([4, 2, 1], 1)).toBe(33)
    expect(extfragForOrder([0, 0], 1)).toBe(0)
  })
})
