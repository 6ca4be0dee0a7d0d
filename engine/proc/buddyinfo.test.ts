import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatBuddyinfo, parseBuddyinfo } from './buddyinfo'
import { zoneInfoFromProc } from './procZoneInfo'

const SAMPLES = new URL('../../resources/proc-samples/', import.meta.url)
const samplePaths = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((c) => readdirSync(new URL(`${c.name}/`, SAMPLES)).map((s) => `${c.name}/${s}`))
const read = (path: string): string => readFileSync(new URL(path, SAMPLES), 'utf8')

describe('/proc/buddyinfo (mm/vmstat.c:frag_show_print)', () => {
  it('finds the 18 real samples', () => {
    expect(samplePaths).toHaveLength(18)
  })

  it.each(samplePaths)('round-trips %s byte for byte', (path) => {
    const text = read(`${path}/buddyinfo`)
    const zones = parseBuddyinfo(text)
    expect(zones.map((z) => z.zone)).toEqual(['DMA', 'DMA32'])
    expect(formatBuddyinfo(zoneInfoFromProc(zones))).toBe(text)
  })

  it('parses the boot sample of the 1 GiB guest', () => {
    const zones = parseBuddyinfo(read('w1_p8k1/start/buddyinfo'))
    expect(zones[0]).toEqual({ nid: 0, zone: 'DMA', nrFree: [0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 3] })
    expect(zones[1].nrFree[10]).toBe(225)
  })

  it('prints "%6lu " without truncating wide counts and "%8s" zone names', () => {
    const [z] = zoneInfoFromProc([{ nid: 1, zone: 'Movable', nrFree: [1234567, 0, 5] }])
    expect(formatBuddyinfo([z])).toBe('Node 1, zone  Movable 1234567      0      5 \n')
  })

  it('skips zones without present pages (populated_zone)', () => {
    const [a, b] = zoneInfoFromProc([
      { nid: 0, zone: 'DMA32', nrFree: [1] },
      { nid: 0, zone: 'Normal', nrFree: [0] },
    ])
    expect(formatBuddyinfo([a, { ...b, presentPages: 0 }])).toBe('Node 0, zone    DMA32      1 \n')
  })

  it('names the offending line in errors', () => {
    expect(() => parseBuddyinfo('Node 0, zone DMA 1 2 3 \nNode 0, zone DMA32 1 x 3 \n')).toThrow(
      /line 2/,
    )
    expect(() => parseBuddyinfo('Node 0, zone DMA 1 2 3 \nNode 0, zone DMA32 1 2 \n')).toThrow(
      /line 2: has 2 orders but line 1 has 3/,
    )
    expect(() => parseBuddyinfo('')).toThrow(/no zone lines/)
  })
})
