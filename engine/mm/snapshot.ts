/**
 * Whole-machine snapshots as one ArrayBuffer: a header (magic "MMWB", format version, JSON
 * length), the JSON of the config and the zones' scalar state, then every typed array in a
 * fixed order, each 8-byte aligned. No timestamps or addresses, so the same config and
 * operations give byte-identical snapshots. Trace subscribers are not state and are not saved.
 */
import { parseMachineConfig, type MachineConfig } from './config'
import { Machine } from './machine'
import { type Zone } from './zone'

const MAGIC = 0x42574d4d // "MMWB" little-endian
// 3: the event and per-node counter arrays grew with the reclaim counters.
const VERSION = 3

type Arrays = (Uint8Array | Uint32Array | Int32Array | Float64Array)[]

function arraysOf(m: Machine): Arrays {
  return [
    m.pg,
    m.refcount,
    m.mapcount,
    m.pincount,
    m.pbFlags,
    m.pbIsolatedMt,
    m.faHead,
    m.faTail,
    m.faCount,
    m.nrFree,
    m.pcpHead,
    m.pcpTail,
    m.pcpCount,
    m.pcpFreeFactor,
    m.vmEvents,
    m.nodeStat,
  ]
}

interface Header {
  cfg: MachineConfig
  zones: Record<string, unknown>[]
  cpu: number
  op: string
  totalcmaPages: number
}

function encodeAscii(s: string): Uint8Array {
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    out[i] = c < 128 ? c : 63
  }
  return out
}

function decodeAscii(b: Uint8Array): string {
  let s = ''
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096))
  return s
}

const align8 = (n: number): number => (n + 7) & ~7

/** Serialise the whole machine state. */
export function snapshot(m: Machine): ArrayBuffer {
  const zones = m.zones.map((z) => ({ ...z, lowmemReserve: [...z.lowmemReserve] }))
  const header: Header = {
    cfg: m.cfg,
    zones,
    cpu: m.cpu,
    op: m.op,
    totalcmaPages: m.totalcmaPages,
  }
  const json = encodeAscii(JSON.stringify(header))
  const arrays = arraysOf(m)
  let size = 12 + align8(json.length)
  for (const a of arrays) size += align8(a.byteLength)
  const buf = new ArrayBuffer(size)
  const dv = new DataView(buf)
  dv.setUint32(0, MAGIC, true)
  dv.setUint32(4, VERSION, true)
  dv.setUint32(8, json.length, true)
  const bytes = new Uint8Array(buf)
  bytes.set(json, 12)
  let off = 12 + align8(json.length)
  for (const a of arrays) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off)
    off += align8(a.byteLength)
  }
  return buf
}

/** Rebuild a machine from `snapshot()` output. */
export function restoreMachine(buf: ArrayBuffer): Machine {
  const dv = new DataView(buf)
  if (buf.byteLength < 12 || dv.getUint32(0, true) !== MAGIC)
    throw new Error('not an MM Workbench machine snapshot')
  if (dv.getUint32(4, true) !== VERSION)
    throw new Error(
      `snapshot format ${dv.getUint32(4, true)} is not supported (expected ${VERSION})`,
    )
  const len = dv.getUint32(8, true)
  const header = JSON.parse(decodeAscii(new Uint8Array(buf, 12, len))) as Header
  const m = new Machine(parseMachineConfig(header.cfg))
  m.zones.forEach((z: Zone, i) => Object.assign(z, header.zones[i]))
  m.cpu = header.cpu
  m.localNid = Math.floor((header.cpu * m.cfg.nrNodes) / m.nrCpus)
  m.op = header.op
  m.totalcmaPages = header.totalcmaPages
  let off = 12 + align8(len)
  const src = new Uint8Array(buf)
  for (const a of arraysOf(m)) {
    if (off + a.byteLength > buf.byteLength) throw new Error('truncated snapshot')
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength).set(src.subarray(off, off + a.byteLength))
    off += align8(a.byteLength)
  }
  return m
}
