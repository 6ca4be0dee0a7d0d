import { describe, expect, it } from 'vitest'
import { crc32, zipStored } from './zip'

describe('zipStored', () => {
  it('computes the standard CRC-32 (check value of "123456789" is 0xCBF43926)', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
  })
  it('lays out local headers, central directory and end record', () => {
    const zip = zipStored({ 'a.txt': 'hi', 'scripts/b.ts': 'x' }, 'ws')
    const v = new DataView(zip.buffer)
    expect(v.getUint32(0, true)).toBe(0x04034b50)
    const end = zip.length - 22
    expect(v.getUint32(end, true)).toBe(0x06054b50)
    expect(v.getUint16(end + 10, true)).toBe(2)
    const cdOffset = v.getUint32(end + 16, true)
    expect(v.getUint32(cdOffset, true)).toBe(0x02014b50)
    const nameLen = v.getUint16(26, true)
    expect(new TextDecoder().decode(zip.subarray(30, 30 + nameLen))).toBe('ws/a.txt')
    expect(new TextDecoder().decode(zip.subarray(30 + nameLen, 32 + nameLen))).toBe('hi')
  })
})
