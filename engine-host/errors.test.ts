import { describe, expect, it } from 'vitest'
import { HostError, scriptErrorFrom, userStack } from './errors'

const stack = (name: string, message: string) =>
  [
    `${name}: ${message}`,
    '    at assertLiveFolio (/work/main/engine/api/folioOps.ts:40:11)',
    '    at Object.folioPut (/work/main/engine/api/kernel.ts:120:7)',
    '    at helper (w.ts:9:5)',
    '    at exports.default (w.ts:3:3)',
    '    at node:internal/process/task_queues:95:5',
  ].join('\n')

describe('script error mapping', () => {
  it("keeps only the script's frames and pins the error to the deepest one", () => {
    const e = scriptErrorFrom(
      { name: 'Error', message: 'boom', stack: stack('Error', 'boom') },
      'w.ts',
    )
    expect(e).toBeInstanceOf(HostError)
    expect(e.name).toBe('ScriptError')
    expect(e.message).toBe('Error: boom (w.ts:9)')
    expect(e.location).toEqual({ file: 'w.ts', line: 9, column: 5 })
    expect(e.stack).toBe('Error: boom\n    at helper (w.ts:9:5)\n    at exports.default (w.ts:3:3)')
  })

  it('shifts lines by the wrapper offset of the Function-constructor runner', () => {
    expect(userStack('E: x\n    at f (w.ts:12:1)', 'w.ts', 2)).toBe('E: x\n    at f (w.ts:10:1)')
    const e = scriptErrorFrom(
      { name: 'Error', message: 'x', stack: 'Error: x\n    at f (w.ts:12:1)' },
      'w.ts',
      2,
    )
    expect(e.location?.line).toBe(10)
  })

  it('classifies by kind: config, invariant, memory, simulator bug', () => {
    const of = (name: string, message: string) =>
      scriptErrorFrom({ name, message, stack: stack(name, message) }, 'w.ts')
    expect(of('ConfigError', 'memoryMiB: must be in 64..65536').name).toBe('ConfigError')
    expect(of('InvariantError', 'free-list at pfn 3').name).toBe('InvariantViolation')
    expect(of('RangeError', 'Invalid array length').name).toBe('ScriptOutOfMemory')
    expect(of('RangeError', 'Maximum call stack size exceeded').message).toMatch(
      /runaway recursion/,
    )
    expect(of('RangeError', 'order 11 is not in 0..10').name).toBe('ScriptError')
    const bug = of('InternalError', "TypeError: Cannot read properties of undefined (reading '0')")
    expect(bug.name).toBe('InternalError')
    expect(bug.message).toMatch(/^internal error in the simulator/)
  })

  it('accepts thrown non-errors', () => {
    expect(scriptErrorFrom('just a string', 'w.ts').message).toBe('Error: just a string')
    expect(scriptErrorFrom(42, 'w.ts').message).toBe('Error: 42')
  })
})
