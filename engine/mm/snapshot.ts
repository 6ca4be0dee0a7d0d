/**
 * Whole-machine snapshots as one ArrayBuffer: a header (magic "MMWB", format version, JSON
 * length), the JSON of the config, the zones' scalar state and the trees of every registered
 * per-mechanism state (machineState.ts), then engine/mm's typed arrays in a fixed order, then
 * the registered states' typed arrays (snapshotCodec.ts), each 8-byte aligned. No timestamps or
 * addresses, so the same config and operations give byte-identical snapshots.
 *
 * Not saved: trace subscribers and the observers of `defineMachineObservers` (callbacks, not
 * state; their owners subscribe again on the restored machine), and per-operation scratch
 * (`rmqueueMode`, `fallbackCanSteal`, `moveCounts`), which no operation carries over to the next.
 *
 * A driver may store its own plain data with the machine (`snapshot(m, run)`): a workload's
 * run state (scheduler, page locks, RNG, devices); `restoreSnapshot` gives it back.
 */
import { parseMachineConfig, type MachineConfig } from './config'
import { Machine } from './machine'
import { adoptRestoredStates, machineStates } from './machineState'
import {
  align8,
  BlobWriter,
  decodePlain,
  encodePlain,
  jsonAscii,
  parseAscii,
  SnapshotError,
} from './snapshotCodec'
import { type Zone } from './zone'

export { SnapshotError } from './snapshotCodec'

const MAGIC = 0x42574d4d // "MMWB" little-endian
// 3: the event and per-node counter arrays grew with the reclaim counters.
// 4: every per-mechanism state of the registry (machineState.ts) and the driver's run data.
const VERSION = 4

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
  zones: unknown
  cpu: number
  op: string
  totalcmaPages: number
  debugVm: boolean
  pcpEnabled: boolean
  /** Registered states, sorted by key: [key, encoded tree]. */
  ext: [string, unknown][]
  /** The driver's run data, if any. */
  run?: unknown
}

/** Serialise the whole machine state, and the driver's `run` data (plain data) if given. */
export function snapshot(m: Machine, run?: unknown): ArrayBuffer {
  const blobs = new BlobWriter()
  const zones = encodePlain(
    m.zones.map((z) => ({ ...z, lowmemReserve: [...z.lowmemReserve] })),
    'zones',
    blobs,
  )
  const ext: [string, unknown][] = machineStates(m).map(([k, s]) => [
    k,
    encodePlain(s, `machine state '${k}'`, blobs),
  ])
  const header: Header = {
    cfg: m.cfg,
    zones,
    cpu: m.cpu,
    op: m.op,
    totalcmaPages: m.totalcmaPages,
    debugVm: m.debugVm,
    pcpEnabled: m.pcpEnabled,
    ext,
  }
  if (run !== undefined) header.run = encodePlain(run, 'run', blobs)
  const json = jsonAscii(header)
  const arrays = arraysOf(m)
  let size = 12 + align8(json.length)
  for (const a of arrays) size += align8(a.byteLength)
  const blobBase = size
  size += blobs.size
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
  blobs.writeTo(bytes, blobBase)
  return buf
}

/**
 * Rebuild a machine from `snapshot()` output, with the driver's run data. Every registered
 * state is adopted at once (its `attach` re-subscribes its observers).
 */
export function restoreSnapshot(buf: ArrayBuffer): { machine: Machine; run: unknown } {
  const dv = new DataView(buf)
  if (buf.byteLength < 12 || dv.getUint32(0, true) !== MAGIC)
    throw new SnapshotError('not an MM Workbench machine snapshot')
  if (dv.getUint32(4, true) !== VERSION)
    throw new SnapshotError(
      `snapshot format ${dv.getUint32(4, true)} is not supported (expected ${VERSION})`,
    )
  const len = dv.getUint32(8, true)
  if (12 + len > buf.byteLength) throw new SnapshotError('truncated snapshot')
  const header = parseAscii(new Uint8Array(buf, 12, len)) as Header
  const m = new Machine(parseMachineConfig(header.cfg))
  const src = new Uint8Array(buf)
  let off = 12 + align8(len)
  for (const a of arraysOf(m)) {
    if (off + a.byteLength > buf.byteLength) throw new SnapshotError('truncated snapshot')
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength).set(src.subarray(off, off + a.byteLength))
    off += align8(a.byteLength)
  }
  const zones = decodePlain(header.zones, src, off) as Record<string, unknown>[]
  m.zones.forEach((z: Zone, i) => Object.assign(z, zones[i]))
  m.cpu = header.cpu
  m.localNid = Math.floor((header.cpu * m.cfg.nrNodes) / m.nrCpus)
  m.op = header.op
  m.totalcmaPages = header.totalcmaPages
  m.debugVm = header.debugVm
  m.pcpEnabled = header.pcpEnabled
  for (const [k, t] of header.ext) m.restored[k] = decodePlain(t, src, off)
  adoptRestoredStates(m)
  const run = header.run === undefined ? undefined : decodePlain(header.run, src, off)
  return { machine: m, run }
}

/** Rebuild a machine from `snapshot()` output. */
export function restoreMachine(buf: ArrayBuffer): Machine {
  return restoreSnapshot(buf).machine
}
