/**
 * Memory-map messages (issue 7, item 3) and their validation.
 *
 * - `mapframe` (host → client): a per-pageblock summary of the machine at simulated time
 *   `timeNs` (engine/mapview/frame.ts), streamed during a run started with
 *   `options.mapFrames` (on ticks and inside migrations, see `reason`), plus one with
 *   `final: true` before the run's `result` or `error`.
 *   The arrays cross as typed arrays (structured clone: Web Worker, MessagePort, and the
 *   CLI's `serialization: 'advanced'` IPC), never as JSON arrays.
 * - `mappage` (client → host): page detail of `[startPfn, startPfn + nrPages)` of run `runId`:
 *   of its live machine while it runs, of its final state afterwards (only the last
 *   map-streaming run is kept). Answered by `mappage-result`, or `error` with this `id`.
 */
import type { MapFrame } from '../engine/mapview/frame'
import type { PageDetail } from '../engine/mapview/detail'
import { InvalidMessageError } from './guards'

/**
 * Why a frame was taken: a runner tick, the final state, or a tracepoint inside a migration
 * (see engine-host/mapFrames.ts).
 */
export type MapFrameReason =
  'tick' | 'final' | 'mm_migrate_pages' | 'mm_compaction_end' | 'cma_alloc_finish'

export const MAP_FRAME_REASONS: readonly MapFrameReason[] = [
  'tick',
  'final',
  'mm_migrate_pages',
  'mm_compaction_end',
  'cma_alloc_finish',
]

export interface MapFrameMsg {
  type: 'mapframe'
  /** The run's id. */
  id: number
  /** 0, 1, 2, ... within the run. */
  seq: number
  /** Simulated time of the snapshot, in ns. */
  timeNs: number
  /** The state the run ended in. */
  final: boolean
  reason: MapFrameReason
  frame: MapFrame
  /**
   * The kernel text files at `timeNs`, by path (engine/proc/machineProc.ts `PROC_FILES`:
   * /proc/buddyinfo, /proc/pagetypeinfo, /proc/vmstat and the debugfs extfrag indices), as
   * `cat` prints them, so the kernel views can show and diff any two moments. Absent from
   * hosts that predate it.
   */
  proc?: Record<string, string>
}

export interface MapPageMsg {
  type: 'mappage'
  /** This request's id (not the run's). */
  id: number
  runId: number
  startPfn: number
  nrPages: number
}

export interface MapPageResultMsg {
  type: 'mappage-result'
  id: number
  runId: number
  /** Simulated time of the state the detail was read from, in ns. */
  timeNs: number
  detail: PageDetail
}

type Obj = Record<string, unknown>

function fail(field: string, problem: string): never {
  throw new InvalidMessageError(field, problem)
}

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object')
  return v as Obj
}

function uint(o: Obj, key: string, path: string): number {
  const v = o[key]
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    fail(`${path}.${key}`, 'must be an integer >= 0')
  return v
}

function time(o: Obj, key: string, path: string): number {
  const v = o[key]
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    fail(`${path}.${key}`, 'must be a finite number >= 0')
  return v
}

type TypedCtor<T> = { new (n: number): T; name: string }

function typed<T extends ArrayLike<number>>(
  o: Obj,
  key: string,
  path: string,
  ctor: TypedCtor<T>,
  length: number,
): T {
  const v = o[key]
  if (!(v instanceof (ctor as unknown as typeof Uint8Array)))
    fail(`${path}.${key}`, `must be a ${ctor.name}`)
  if ((v as unknown as T).length !== length)
    fail(`${path}.${key}`, `must have ${length} entries, one per pageblock or page`)
  return v as unknown as T
}

function mapFrame(v: unknown, path: string): MapFrame {
  const o = obj(v, path)
  const n = uint(o, 'nrPageblocks', path)
  const pageblockOrder = uint(o, 'pageblockOrder', path)
  if (pageblockOrder > 16) fail(`${path}.pageblockOrder`, 'must be <= 16')
  if (!Array.isArray(o.zones)) fail(`${path}.zones`, 'must be an array')
  const zones = (o.zones as unknown[]).map((z, i) => {
    const zp = `${path}.zones[${i}]`
    const zo = obj(z, zp)
    if (typeof zo.name !== 'string') fail(`${zp}.name`, 'must be a string')
    return {
      name: zo.name,
      nid: uint(zo, 'nid', zp),
      startPfn: uint(zo, 'startPfn', zp),
      endPfn: uint(zo, 'endPfn', zp),
    }
  })
  return {
    nrPageblocks: n,
    pageblockOrder,
    maxOrder: uint(o, 'maxOrder', path),
    endPfn: uint(o, 'endPfn', path),
    zones,
    pbFlags: typed(o, 'pbFlags', path, Uint8Array, n),
    freePages: typed(o, 'freePages', path, Uint16Array, n),
    pcpPages: typed(o, 'pcpPages', path, Uint16Array, n),
    movablePages: typed(o, 'movablePages', path, Uint16Array, n),
    unmovablePages: typed(o, 'unmovablePages', path, Uint16Array, n),
    reservedPages: typed(o, 'reservedPages', path, Uint16Array, n),
    maxFreeOrder: typed(o, 'maxFreeOrder', path, Int8Array, n),
  }
}

function pageDetail(v: unknown, path: string): PageDetail {
  const o = obj(v, path)
  const n = uint(o, 'nrPages', path)
  return {
    startPfn: uint(o, 'startPfn', path),
    nrPages: n,
    headPfn: typed(o, 'headPfn', path, Int32Array, n),
    order: typed(o, 'order', path, Uint8Array, n),
    kind: typed(o, 'kind', path, Uint8Array, n),
    flags: typed(o, 'flags', path, Int32Array, n),
    refcount: typed(o, 'refcount', path, Int32Array, n),
    mapcount: typed(o, 'mapcount', path, Int32Array, n),
  }
}

function procFiles(v: unknown, path: string): Record<string, string> {
  const o = obj(v, path)
  for (const [k, text] of Object.entries(o))
    if (typeof text !== 'string') fail(`${path}[${JSON.stringify(k)}]`, 'must be a string')
  return o as Record<string, string>
}

/** Validates a `mapframe` message (type already checked). */
export function parseMapFrameMsg(o: Obj): MapFrameMsg {
  const p = 'mapframe'
  if (typeof o.final !== 'boolean') fail(`${p}.final`, 'must be a boolean')
  const reason = o.reason as MapFrameReason
  if (!MAP_FRAME_REASONS.includes(reason))
    fail(`${p}.reason`, `must be one of ${MAP_FRAME_REASONS.join(', ')}`)
  const msg: MapFrameMsg = {
    type: 'mapframe',
    id: uint(o, 'id', p),
    seq: uint(o, 'seq', p),
    timeNs: time(o, 'timeNs', p),
    final: o.final,
    reason,
    frame: mapFrame(o.frame, `${p}.frame`),
  }
  if (o.proc !== undefined) msg.proc = procFiles(o.proc, `${p}.proc`)
  return msg
}

/** Validates a `mappage` request (type already checked). */
export function parseMapPageMsg(o: Obj): MapPageMsg {
  const p = 'mappage'
  return {
    type: 'mappage',
    id: uint(o, 'id', p),
    runId: uint(o, 'runId', p),
    startPfn: uint(o, 'startPfn', p),
    nrPages: uint(o, 'nrPages', p),
  }
}

/** Validates a `mappage-result` message (type already checked). */
export function parseMapPageResultMsg(o: Obj): MapPageResultMsg {
  const p = 'mappage-result'
  return {
    type: 'mappage-result',
    id: uint(o, 'id', p),
    runId: uint(o, 'runId', p),
    timeNs: time(o, 'timeNs', p),
    detail: pageDetail(o.detail, `${p}.detail`),
  }
}
