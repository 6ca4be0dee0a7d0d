import { describe, expect, it } from 'vitest'
import {
  InvalidMessageError,
  parseClientMessage,
  parseHostMessage,
  parseRunResult,
  toWireError,
} from './guards'
import { PROTOCOL_VERSION } from './messages'
import { RESULT_SCHEMA_VERSION, type RunResult } from './result'

function fieldOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidMessageError)
    return (e as InvalidMessageError).field
  }
  throw new Error('expected the parser to reject the message')
}

const result: RunResult = {
  schemaVersion: RESULT_SCHEMA_VERSION,
  script: 'hello.ts',
  seed: 1,
  variant: null,
  machine: { memoryMiB: 64 },
  simTimeNs: 1000,
  series: {
    free: [
      [0, 1],
      [10, 2],
    ],
  },
  vmstat: { nr_free_pages: 100 },
  proc: { '/proc/buddyinfo': 'Node 0, zone   Normal ...\n' },
  log: ['hi'],
  wall: { elapsedMs: 3 },
}

describe('parseClientMessage', () => {
  it('accepts every well-formed client message unchanged', () => {
    const msgs = [
      { type: 'hello', protocolVersion: PROTOCOL_VERSION },
      {
        type: 'run',
        id: 7,
        script: { path: 'a.ts', source: 'export default () => {}' },
        options: { seed: 3, timeBudgetMs: 1000, variant: 'v', stream: true },
      },
      { type: 'cancel', id: 7 },
      { type: 'ping', id: 8 },
    ]
    for (const m of msgs) expect(parseClientMessage(m)).toEqual(m)
  })

  it('drops fields it does not know, so nothing unvalidated gets through', () => {
    expect(parseClientMessage({ type: 'ping', id: 1, extra: { evil: true } })).toEqual({
      type: 'ping',
      id: 1,
    })
  })

  it('names the offending field', () => {
    expect(fieldOf(() => parseClientMessage(null))).toBe('message')
    expect(fieldOf(() => parseClientMessage({ type: 'launch' }))).toBe('message.type')
    expect(fieldOf(() => parseClientMessage({ type: 'ping', id: -1 }))).toBe('ping.id')
    expect(fieldOf(() => parseClientMessage({ type: 'ping', id: 1.5 }))).toBe('ping.id')
    expect(fieldOf(() => parseClientMessage({ type: 'hello' }))).toBe('hello.protocolVersion')
    const run = {
      type: 'run',
      id: 1,
      script: { path: 'a.ts', source: '' },
      options: { seed: 1, timeBudgetMs: 10 },
    }
    expect(fieldOf(() => parseClientMessage({ ...run, script: { path: 'a.ts' } }))).toBe(
      'run.script.source',
    )
    expect(
      fieldOf(() => parseClientMessage({ ...run, options: { seed: 'x', timeBudgetMs: 1 } })),
    ).toBe('run.options.seed')
    expect(
      fieldOf(() => parseClientMessage({ ...run, options: { seed: 1, timeBudgetMs: 0 } })),
    ).toBe('run.options.timeBudgetMs')
    expect(
      fieldOf(() =>
        parseClientMessage({ ...run, options: { seed: 1, timeBudgetMs: 5, stream: 'yes' } }),
      ),
    ).toBe('run.options.stream')
  })
})

describe('parseHostMessage', () => {
  it('accepts every well-formed host message', () => {
    const msgs = [
      { type: 'hello-ack', protocolVersion: 1, engineVersion: '0.1.0' },
      { type: 'pong', id: 1 },
      { type: 'progress', id: 1, phase: 'run', fraction: -1, simTimeNs: 5 },
      { type: 'series', id: 1, series: { a: [[1, 2]] } },
      { type: 'log', id: 1, level: 'info', text: 'x' },
      {
        type: 'trace',
        id: 1,
        written: 1,
        records: [
          {
            timeNs: 5,
            task: 'main',
            pid: 1000,
            cpu: 0,
            name: 'mm_page_free',
            fields: { pfn: 3, order: 0 },
          },
        ],
      },
      { type: 'result', id: 1, result },
      {
        type: 'error',
        id: -1,
        error: { name: 'ScriptError', message: 'boom', location: { file: 'a.ts', line: 3 } },
      },
    ]
    for (const m of msgs) expect(parseHostMessage(m)).toEqual(m)
  })

  it('names the offending field, deep inside a result', () => {
    expect(
      fieldOf(() =>
        parseHostMessage({ type: 'progress', id: 1, phase: 'run', fraction: 2, simTimeNs: 0 }),
      ),
    ).toBe('progress.fraction')
    expect(
      fieldOf(() =>
        parseHostMessage({ type: 'result', id: 1, result: { ...result, series: { a: [[1]] } } }),
      ),
    ).toBe('result.result.series.a[0]')
    expect(fieldOf(() => parseHostMessage({ type: 'error', id: 2, error: { name: 'X' } }))).toBe(
      'error.error.message',
    )
    expect(
      fieldOf(() =>
        parseHostMessage({
          type: 'trace',
          id: 1,
          written: 1,
          records: [{ timeNs: 1, task: 't', pid: 1, cpu: 0, name: 'x', fields: { a: [1] } }],
        }),
      ),
    ).toBe('trace.records[0].fields.a')
    expect(
      fieldOf(() =>
        parseHostMessage({
          type: 'error',
          id: 2,
          error: { name: 'X', message: 'y', location: { file: 'a', line: 0 } },
        }),
      ),
    ).toBe('error.error.location.line')
  })

  it('round-trips a result through JSON', () => {
    expect(parseRunResult(JSON.parse(JSON.stringify(result)))).toEqual(result)
  })
})

describe('toWireError', () => {
  it('keeps name, message, stack and a valid location', () => {
    const e = Object.assign(new TypeError('bad'), {
      location: { file: 'a.ts', line: 4, column: 2 },
    })
    const w = toWireError(e)
    expect(w).toMatchObject({
      name: 'TypeError',
      message: 'bad',
      location: { file: 'a.ts', line: 4, column: 2 },
    })
    expect(w.stack).toContain('bad')
  })
  it('turns thrown non-errors into a plain Error', () => {
    expect(toWireError('oops')).toEqual({ name: 'Error', message: 'oops' })
    expect(toWireError(42)).toEqual({ name: 'Error', message: '42' })
  })
  it('drops a malformed location rather than sending it', () => {
    expect(
      toWireError(Object.assign(new Error('x'), { location: { file: 'a', line: 0 } })).location,
    ).toBeUndefined()
  })
})
