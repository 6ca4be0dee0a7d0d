import { describe, expect, it } from 'vitest'
import { defineMachineObservers, defineMachineState } from './machineState'
import { restoreMachine, restoreSnapshot, snapshot, SnapshotError } from './snapshot'
import { BlobWriter, decodePlain, encodePlain } from './snapshotCodec'
import { testMachine } from './testing'

function roundTrip(v: unknown): unknown {
  const blobs = new BlobWriter()
  const tree = JSON.parse(JSON.stringify(encodePlain(v, 'v', blobs))) as unknown
  const bytes = new Uint8Array(blobs.size)
  blobs.writeTo(bytes, 0)
  return decodePlain(tree, bytes, 0)
}

describe('snapshot codec', () => {
  it('round-trips every kind of plain data, special numbers and typed arrays included', () => {
    const v = {
      n: [1, -0, NaN, Infinity, -Infinity, 2 ** 53 - 1, 0.1],
      s: 'zone «Normal» ☃',
      b: [true, false],
      z: null,
      u: undefined,
      holes: [undefined, 3],
      i8: Int8Array.from([-1, 5, -128]),
      u16: Uint16Array.from([65535, 1, 2]),
      f64: Float64Array.from([NaN, -0, 1.5]),
      map: new Map<number, string[]>([
        [7, ['a']],
        [3, []],
      ]),
      set: new Set(['x', 'y']),
      dollar: { $: 'not a tag', v: 1 },
      nested: [{ a: { b: new Uint32Array([4294967295]) } }],
    }
    const r = roundTrip(v) as typeof v
    expect(Object.is(r.n[1], -0)).toBe(true)
    expect(r.n[2]).toBeNaN()
    expect(r).toEqual(v)
    expect(r.i8).toBeInstanceOf(Int8Array)
    expect(r.u16).toBeInstanceOf(Uint16Array)
    expect(Object.is(r.f64[1], -0)).toBe(true)
    expect(r.map).toBeInstanceOf(Map)
    expect([...r.map.keys()]).toEqual([7, 3])
    expect('u' in r).toBe(true)
  })

  it('refuses what is not plain data, naming where it sits', () => {
    class Dev {
      x = 1
    }
    expect(() => roundTrip({ a: [{ f: () => 1 }] })).toThrow(/v\.a\[0\]\.f: a function/)
    expect(() => roundTrip({ d: new Dev() })).toThrow(/v\.d: an instance of Dev/)
    const shared = [1]
    expect(() => roundTrip({ a: shared, b: shared })).toThrow(/v\.b: cycle or shared/)
    const buf = new Int32Array(8)
    expect(() => roundTrip([buf.subarray(0, 4), buf.subarray(4)])).toThrow(/shared/)
    expect(() => roundTrip({ big: 1n })).toThrow(/bigint/)
  })
})

function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  const x = new Uint8Array(a)
  const y = new Uint8Array(b)
  return x.length === y.length && x.every((v, i) => v === y[i])
}

const counterState = defineMachineState('test.counter', (m) => ({
  hits: new Float64Array(m.zones.length),
  names: [] as string[],
}))
const attachLog: string[] = []
const withAttach = defineMachineState('test.attached', () => ({ n: 0 }), {
  attach: (_m, s) => attachLog.push(`attach ${s.n}`),
})
const obs = defineMachineObservers('test.observers', () => ({ list: [] as (() => void)[] }))

describe('per-machine state registry', () => {
  it('keeps each machine its own state, and a snapshot carries it', () => {
    const a = testMachine({})
    const b = testMachine({})
    counterState(a).hits[0] += 3
    counterState(a).names.push('kswapd0')
    expect(counterState(b).hits[0]).toBe(0)
    obs(a).list.push(() => {})
    const r = restoreMachine(snapshot(a))
    expect(counterState(r).hits[0]).toBe(3)
    expect(counterState(r).names).toEqual(['kswapd0'])
    // Observers are not state: the restored machine has none until its owners subscribe.
    expect(obs(r).list).toEqual([])
    expect(sameBytes(snapshot(r), snapshot(a))).toBe(true)
  })

  it('runs attach when the state is created and when a restored state is adopted', () => {
    attachLog.length = 0
    const a = testMachine({})
    withAttach(a).n = 5
    withAttach(a)
    const r = restoreMachine(snapshot(a))
    // Adopted (and attached) by the restore; the snapshot of the restored machine is the same.
    expect(sameBytes(snapshot(r), snapshot(a))).toBe(true)
    expect(withAttach(r).n).toBe(5)
    expect(attachLog).toEqual(['attach 0', 'attach 5'])
  })

  it('gives back the driver run data', () => {
    const a = testMachine({})
    const { run } = restoreSnapshot(snapshot(a, { clockNs: 12, rng: new Uint32Array([1, 2]) }))
    expect(run).toEqual({ clockNs: 12, rng: new Uint32Array([1, 2]) })
  })

  it('rejects foreign, old and truncated buffers with a SnapshotError', () => {
    expect(() => restoreMachine(new ArrayBuffer(16))).toThrow(SnapshotError)
    const s = snapshot(testMachine({}))
    const old = s.slice(0)
    new DataView(old).setUint32(4, 3, true)
    expect(() => restoreMachine(old)).toThrow(/snapshot format 3 is not supported \(expected 4\)/)
    expect(() => restoreMachine(s.slice(0, s.byteLength - 8))).toThrow(/truncated snapshot/)
  })
})
