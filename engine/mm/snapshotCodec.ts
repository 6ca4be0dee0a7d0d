/**
 * The generic, deterministic codec of plain data for snapshots: a value becomes a JSON tree
 * plus binary blobs (typed arrays, kept as bytes, each 8-byte aligned in the blob area).
 *
 * Plain data is: numbers (NaN, ±Infinity and -0 included), strings, booleans, null, undefined,
 * arrays, plain objects (prototype Object.prototype or null), typed arrays, Map and Set of
 * plain data. Anything else (functions, class instances, bigints, symbols) is refused with the
 * path where it sits, and so are cycles and shared references (restoring would split a shared
 * object in two). The same value always encodes to the same bytes: nothing depends on
 * addresses or time, and object keys keep their insertion order.
 *
 * Tree encoding: JSON values stand for themselves; anything JSON cannot say is an object with a
 * `$` tag: `{$:'n',v:'NaN'|'Infinity'|'-Infinity'|'-0'}`, `{$:'u'}` (undefined), `{$:'ta',
 * t:'Int32Array',n:length,o:byteOffset}`, `{$:'map',v:[[k,v],…]}`, `{$:'set',v:[…]}`, and
 * `{$:'o',v:{…}}` for a plain object that has a `$` key of its own.
 */

/** A snapshot buffer that is not one, of another format version, or damaged. */
export class SnapshotError extends Error {
  override name = 'SnapshotError'
}

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array

const TYPED: Record<string, new (n: number) => TypedArray> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
}

const align8 = (n: number): number => (n + 7) & ~7

function typedName(v: object): string | null {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return null
  const name = (v as TypedArray).constructor.name
  return name in TYPED ? name : null
}

/** Collects the blobs of one encoding. */
export class BlobWriter {
  readonly parts: Uint8Array[] = []
  size = 0

  add(a: TypedArray): number {
    const off = this.size
    this.parts.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    this.size += align8(a.byteLength)
    return off
  }

  /** Copy the blobs into `out` at `base`. */
  writeTo(out: Uint8Array, base: number): void {
    let off = base
    for (const p of this.parts) {
      out.set(p, off)
      off += align8(p.byteLength)
    }
  }
}

/** Encode `v` into a JSON-able tree, appending its typed arrays to `blobs`. */
export function encodePlain(v: unknown, path: string, blobs: BlobWriter): unknown {
  try {
    return enc(v, blobs, new Set<object>())
  } catch (e) {
    if (!(e instanceof NotPlainData)) throw e
    throw new TypeError(`${path}${e.where.join('')}: ${e.message}`)
  }
}

/** Thrown while encoding; each container on the way out prepends where the value sat. */
class NotPlainData extends Error {
  readonly where: string[] = []
}

function enc(v: unknown, blobs: BlobWriter, seen: Set<object>): unknown {
  switch (typeof v) {
    case 'number':
      if (Number.isFinite(v) && !Object.is(v, -0)) return v
      return { $: 'n', v: Object.is(v, -0) ? '-0' : String(v) }
    case 'string':
    case 'boolean':
      return v
    case 'undefined':
      return { $: 'u' }
    case 'object':
      break
    default:
      throw new NotPlainData(`a ${typeof v} is not plain data and cannot be snapshotted`)
  }
  if (v === null) return null
  const o = v as object
  const owner = ArrayBuffer.isView(o) ? o.buffer : o
  if (seen.has(owner))
    throw new NotPlainData('cycle or shared reference; machine state must be a tree')
  seen.add(owner)
  const ta = typedName(o)
  if (ta !== null) {
    const a = o as TypedArray
    return { $: 'ta', t: ta, n: a.length, o: blobs.add(a) }
  }
  if (Array.isArray(o)) {
    const out: unknown[] = new Array<unknown>(o.length)
    for (let i = 0; i < o.length; i++) out[i] = encAt(o[i], blobs, seen, i)
    return out
  }
  if (o instanceof Map) {
    const out: unknown[] = []
    for (const [k, x] of o) out.push([encAt(k, blobs, seen, '<key>'), encAt(x, blobs, seen, k)])
    return { $: 'map', v: out }
  }
  if (o instanceof Set) {
    const out: unknown[] = []
    for (const x of o) out.push(encAt(x, blobs, seen, '<item>'))
    return { $: 'set', v: out }
  }
  const proto = Object.getPrototypeOf(o) as object | null
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? '?'
    throw new NotPlainData(
      `an instance of ${name} is not plain data; keep state as plain objects and put the functions beside it`,
    )
  }
  const out: Record<string, unknown> = {}
  const rec = o as Record<string, unknown>
  for (const k of Object.keys(rec)) out[k] = encAt(rec[k], blobs, seen, k)
  return '$' in rec ? { $: 'o', v: out } : out
}

/** `enc` of a member: on failure, note the member's key or index in the error. */
function encAt(v: unknown, blobs: BlobWriter, seen: Set<object>, key: unknown): unknown {
  if (typeof v !== 'object' || v === null) {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
      return enc(v, blobs, seen)
  }
  try {
    return enc(v, blobs, seen)
  } catch (e) {
    if (e instanceof NotPlainData)
      e.where.unshift(
        typeof key === 'number'
          ? `[${key}]`
          : typeof key === 'string' && key[0] !== '<'
            ? `.${key}`
            : `<${String(key)}>`,
      )
    throw e
  }
}

/** Decode a tree of `encodePlain` with the blob area at `bytes[base..]`. */
export function decodePlain(t: unknown, bytes: Uint8Array, base: number): unknown {
  if (t === null || typeof t !== 'object') return t
  if (Array.isArray(t)) return t.map((x) => decodePlain(x, bytes, base))
  const o = t as Record<string, unknown>
  switch (o.$) {
    case undefined:
      break
    case 'n':
      return o.v === '-0' ? -0 : Number(o.v)
    case 'u':
      return undefined
    case 'ta': {
      const C = TYPED[o.t as string]
      if (C === undefined)
        throw new SnapshotError(`damaged snapshot: unknown array type ${String(o.t)}`)
      const a = new C(o.n as number)
      const start = base + (o.o as number)
      if (start + a.byteLength > bytes.length) throw new SnapshotError('truncated snapshot')
      new Uint8Array(a.buffer).set(bytes.subarray(start, start + a.byteLength))
      return a
    }
    case 'map':
      return new Map(
        (o.v as [unknown, unknown][]).map(([k, v]) => [
          decodePlain(k, bytes, base),
          decodePlain(v, bytes, base),
        ]),
      )
    case 'set':
      return new Set((o.v as unknown[]).map((x) => decodePlain(x, bytes, base)))
    case 'o':
      return decodeObject(o.v as Record<string, unknown>, bytes, base)
    default:
      throw new SnapshotError(`damaged snapshot: unknown tag ${JSON.stringify(o.$)}`)
  }
  return decodeObject(o, bytes, base)
}

function decodeObject(o: Record<string, unknown>, bytes: Uint8Array, base: number): unknown {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(o)) out[k] = decodePlain(o[k], bytes, base)
  return out
}

/** JSON text as ASCII bytes (non-ASCII characters as \u escapes, which JSON.parse undoes). */
export function jsonAscii(v: unknown): Uint8Array {
  let s = JSON.stringify(v)
  if (/[\u0080-\uffff]/.test(s))
    s = s.replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}

export function parseAscii(b: Uint8Array): unknown {
  let s = ''
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096))
  try {
    return JSON.parse(s)
  } catch {
    throw new SnapshotError('damaged snapshot: its header is not valid JSON')
  }
}

export { align8 }
