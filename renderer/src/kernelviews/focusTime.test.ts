/** Which snapshot shows a focused moment: the last one taken at or before it. */
import { describe, expect, it } from 'vitest'
import { indexAtOrBefore } from './focusTime'

describe('indexAtOrBefore', () => {
  const times = [100, 200, 200, 350, 900]
  it('picks the last snapshot at or before the moment', () => {
    expect(indexAtOrBefore(times, 100)).toBe(0)
    expect(indexAtOrBefore(times, 250)).toBe(2)
    expect(indexAtOrBefore(times, 350)).toBe(3)
    expect(indexAtOrBefore(times, 10_000)).toBe(4)
  })
  it('falls back to the first snapshot for a moment before them all', () => {
    expect(indexAtOrBefore(times, 5)).toBe(0)
  })
})
