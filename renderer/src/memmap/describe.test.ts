import { describe, expect, it } from 'vitest'
import {
  __GFP_COMP,
  allocPages,
  folioSetFlags,
  GFP_HIGHUSER_MOVABLE,
  PG_anon,
  PG_lru,
} from '../../../engine/mm'
import { testMachine } from '../../../engine/mm/testing'
import { pageDetail } from '../../../engine/mapview/detail'
import { pageblockFrame } from '../../../engine/mapview/frame'
import { describePfn } from './describe'

const value = (d: ReturnType<typeof describePfn>, label: string) =>
  d.lines.find((l) => l.label === label)?.value

describe('describePfn (hover tooltip)', () => {
  it('gives the pfn in hex and decimal, its pageblock, zone and migratetype', () => {
    const m = testMachine()
    const d = describePfn(pageblockFrame(m), 1000, [])
    expect(value(d, 'pfn')).toBe('0x3e8 (1000)')
    expect(value(d, 'pageblock')).toBe('1 [0x200-0x3ff]')
    expect(value(d, 'zone')).toBe('Node 0, zone Normal')
    expect(value(d, 'migratetype')).toBe('Movable')
    expect(value(d, 'owner')).toBeUndefined() // no page detail: pageblock facts only
  })

  it('with page detail: the folio head and order, the flags by kernel name, refcount and mapcount', () => {
    const m = testMachine()
    const head = allocPages(m, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 2)
    folioSetFlags(m, head, PG_lru | PG_anon, true)
    const d = describePfn(pageblockFrame(m), head + 1, [pageDetail(m, head, 4)])
    expect(value(d, 'owner')).toBe('anon')
    expect(value(d, 'folio')).toBe(`head 0x${head.toString(16)}, order 2 (4 pages)`)
    expect(value(d, 'flags')).toBe('0x10010(lru|head|anon)')
    expect(value(d, 'refcount')).toBe('1')
    expect(value(d, 'mapcount')).toBe('0')
  })
})
