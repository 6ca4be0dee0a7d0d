import { describe, expect, it } from 'vitest'
import { formatRunError } from './formatError'

describe('formatRunError', () => {
  it('leads with file:line:column when the host located the error', () => {
    const text = formatRunError(
      { name: 'ScriptError', message: 'boom', location: { file: 'hello.ts', line: 12, column: 5 } },
      1000,
    )
    expect(text).toBe('hello.ts:12:5: ScriptError: boom')
  })
  it('reports a timeout with the budget, wherever it was detected', () => {
    expect(formatRunError({ name: 'ScriptTimeout', message: 'x' }, 2000)).toBe(
      'Script stopped: exceeded the time budget of 2000 ms',
    )
  })
})
