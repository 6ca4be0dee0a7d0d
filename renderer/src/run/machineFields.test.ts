import { describe, expect, it } from 'vitest'
import { checkForm, configErrorField, formOverride } from './machineFields'

describe('machine form checks (the ranges of parseMachineConfig)', () => {
  it('accepts an empty form: everything as the script says', () => {
    expect(checkForm({})).toEqual({})
    expect(formOverride({})).toEqual({})
  })
  it('checks ranges, integers, eras and the pageblock multiple', () => {
    expect(checkForm({ memoryMiB: '32' }).memoryMiB).toBe('must be in 64..65536')
    expect(checkForm({ memoryMiB: '65' }).memoryMiB).toBe(
      'must be a multiple of the pageblock size',
    )
    expect(checkForm({ nrCpus: '2', nrNodes: '4' }).nrCpus).toBe('must be in 4..1024')
    expect(checkForm({ kernelEra: '5.4' }).kernelEra).toMatch(/^must be one of 6.1, /)
    expect(checkForm({ pageblockOrder: '11', maxPageOrder: '10' }).pageblockOrder).toBe(
      'must be in 1..10',
    )
    expect(checkForm({ nrCpus: '1.5' }).nrCpus).toBe('must be an integer')
  })
  it('turns valid text into typed overrides, nothing for an invalid form', () => {
    expect(formOverride({ memoryMiB: '1024', pcp: 'false', kernelEra: '6.6' })).toEqual({
      memoryMiB: 1024,
      pcp: false,
      kernelEra: '6.6',
    })
    expect(formOverride({ memoryMiB: 'x' })).toBeNull()
  })
  it('reads the field of an engine ConfigError', () => {
    expect(configErrorField('kernelEra: must be one of 6.1, 6.6')).toEqual({
      field: 'kernelEra',
      problem: 'must be one of 6.1, 6.6',
    })
    expect(configErrorField('zones[1].sizeMiB: bad')?.field).toBe('zones[1].sizeMiB')
  })
})
