import { describe, expect, it } from 'vitest'
import { experimentJsonSchema, runResultJsonSchema, type JsonSchema } from './jsonSchema'
import { sampleExperiment, sampleRunResult } from './fixtures'
import { validateRunResult } from './schema'

/** Results broken on purpose need untyped access. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>

/** Draft 2020-12 keywords these schemas may use; anything else is a typo. */
const KNOWN = new Set([
  '$schema',
  '$id',
  '$ref',
  '$defs',
  'title',
  'description',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'prefixItems',
  'minItems',
  'uniqueItems',
  'minimum',
  'maximum',
  'minLength',
  'pattern',
])
const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'])

/** Structure check: known keywords, valid types, required ⊆ properties, resolvable $refs. */
function structureProblems(s: unknown, root: JsonSchema, path: string): string[] {
  if (typeof s === 'boolean') return []
  if (typeof s !== 'object' || s === null) return [`${path}: not a schema`]
  const o = s as JsonSchema
  const out: string[] = []
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) out.push(`${path}: unknown keyword ${k}`)
  const types = o.type === undefined ? [] : Array.isArray(o.type) ? o.type : [o.type]
  for (const t of types) if (!TYPES.has(t as string)) out.push(`${path}: bad type ${String(t)}`)
  const props = (o.properties ?? {}) as Record<string, unknown>
  for (const r of (o.required ?? []) as string[]) {
    if (!(r in props)) out.push(`${path}: required "${r}" is not in properties`)
  }
  if (typeof o.$ref === 'string') {
    const m = /^#\/\$defs\/(.+)$/.exec(o.$ref)
    const defs = (root.$defs ?? {}) as Record<string, unknown>
    if (!m || !(m[1] in defs)) out.push(`${path}: unresolved $ref ${o.$ref}`)
  }
  for (const [k, sub] of Object.entries(props))
    out.push(...structureProblems(sub, root, `${path}.properties.${k}`))
  for (const [k, sub] of Object.entries((o.$defs ?? {}) as Record<string, unknown>)) {
    out.push(...structureProblems(sub, root, `${path}.$defs.${k}`))
  }
  for (const k of ['items', 'additionalProperties', 'propertyNames']) {
    if (o[k] !== undefined) out.push(...structureProblems(o[k], root, `${path}.${k}`))
  }
  ;((o.prefixItems ?? []) as unknown[]).forEach((sub, i) =>
    out.push(...structureProblems(sub, root, `${path}.prefixItems[${i}]`)),
  )
  return out
}

/** A validator for the keywords above, enough to run the sample through the schema. */
function valid(v: unknown, s: unknown, root: JsonSchema): boolean {
  if (s === true) return true
  if (s === false) return false
  const o = s as JsonSchema
  if (typeof o.$ref === 'string') {
    const name = o.$ref.slice('#/$defs/'.length)
    return valid(v, (root.$defs as Record<string, unknown>)[name], root)
  }
  if (o.type !== undefined) {
    const types = (Array.isArray(o.type) ? o.type : [o.type]) as string[]
    const typeOf = (t: string): boolean =>
      t === 'null'
        ? v === null
        : t === 'array'
          ? Array.isArray(v)
          : t === 'object'
            ? typeof v === 'object' && v !== null && !Array.isArray(v)
            : t === 'integer'
              ? Number.isInteger(v)
              : typeof v === t
    if (!types.some(typeOf)) return false
  }
  if (typeof v === 'number') {
    if (typeof o.minimum === 'number' && v < o.minimum) return false
    if (typeof o.maximum === 'number' && v > o.maximum) return false
  }
  if (typeof v === 'string') {
    if (typeof o.minLength === 'number' && v.length < o.minLength) return false
    if (typeof o.pattern === 'string' && !new RegExp(o.pattern, 'u').test(v)) return false
  }
  if (Array.isArray(v)) {
    const prefix = (o.prefixItems ?? []) as unknown[]
    if (typeof o.minItems === 'number' && v.length < o.minItems) return false
    if (o.uniqueItems === true && new Set(v.map((e) => JSON.stringify(e))).size !== v.length)
      return false
    for (let i = 0; i < v.length; i++) {
      const sub = i < prefix.length ? prefix[i] : o.items
      if (sub !== undefined && !valid(v[i], sub, root)) return false
    }
  } else if (typeof v === 'object' && v !== null) {
    const rec = v as Record<string, unknown>
    const props = (o.properties ?? {}) as Record<string, unknown>
    for (const r of (o.required ?? []) as string[]) if (!(r in rec)) return false
    for (const [k, e] of Object.entries(rec)) {
      if (o.propertyNames !== undefined && !valid(k, o.propertyNames, root)) return false
      const sub = k in props ? props[k] : o.additionalProperties
      if (sub !== undefined && !valid(e, sub, root)) return false
    }
  }
  return true
}

describe('JSON Schema documents', () => {
  it.each([
    ['RunResult', runResultJsonSchema],
    ['ExperimentResult', experimentJsonSchema],
  ])('%s schema is well-formed draft 2020-12', (_name, schema) => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(structureProblems(schema, schema, '#')).toEqual([])
  })

  it('the structure check catches a required key missing from properties', () => {
    const bad = { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'b'] }
    expect(structureProblems(bad, bad, '#')).toEqual(['#: required "b" is not in properties'])
  })

  it('a sample result passes both validateRunResult and the JSON Schema', () => {
    const r = JSON.parse(JSON.stringify(sampleRunResult()))
    expect(validateRunResult(r)).toEqual(r)
    expect(valid(r, runResultJsonSchema, runResultJsonSchema)).toBe(true)
    const x = JSON.parse(JSON.stringify(sampleExperiment()))
    expect(valid(x, experimentJsonSchema, experimentJsonSchema)).toBe(true)
  })

  it('rejects what validateRunResult rejects, where JSON Schema can say it', () => {
    const edits: ((r: Loose) => void)[] = [
      (r) => (r.series.latencyNs[0][1] = 'x'),
      (r) => (r.series.latencyNs[0] = [1]),
      (r) => (r.vmstat.compact_stall = 1.5),
      (r) => (r.seed = -1),
      (r) => (r.schemaVersion = 2),
      (r) => (r.proc = { buddyinfo: '' }),
      (r) => delete r.wall,
      (r) => (r.variant = ''),
    ]
    for (const edit of edits) {
      const r = JSON.parse(JSON.stringify(sampleRunResult()))
      edit(r)
      expect(valid(r, runResultJsonSchema, runResultJsonSchema)).toBe(false)
      expect(() => validateRunResult(r)).toThrow()
    }
  })

  it('lists every RunResult field as required', () => {
    expect(runResultJsonSchema.required).toEqual(Object.keys(sampleRunResult()))
  })
})
