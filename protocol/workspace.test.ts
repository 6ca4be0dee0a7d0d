import { describe, expect, it } from 'vitest'
import {
  MANIFEST_FILE,
  isSafeRelativePath,
  newWorkspace,
  parseManifest,
  resultPathFor,
  serializeManifest,
  validateWorkspace,
} from './workspace'

const good = {
  formatVersion: 1,
  name: 'frag study',
  scripts: ['scripts/hello.ts'],
  results: ['results/hello.json'],
  createdWith: 'mmwb 0.1.0',
}

describe('parseManifest', () => {
  it('accepts a version-1 manifest and round-trips it', () => {
    const r = parseManifest(JSON.stringify(good))
    expect(r).toEqual({ ok: true, value: good })
    expect(parseManifest(serializeManifest(good))).toEqual({ ok: true, value: good })
  })
  it('names the file for text that is not JSON', () => {
    const r = parseManifest('{"formatVersion": 1,', 'ws/mmwb-workspace.json')
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.problem.file).toBe('ws/mmwb-workspace.json')
      expect(r.problem.message).toMatch(/not valid JSON/)
    }
  })
  it('refuses a newer format version, naming the field', () => {
    const r = parseManifest(JSON.stringify({ ...good, formatVersion: 2 }))
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.problem).toMatchObject({ file: MANIFEST_FILE, field: 'formatVersion' })
      expect(r.problem.message).toMatch(/newer/)
    }
  })
  it('names the offending entry of a path list', () => {
    const r = parseManifest(
      JSON.stringify({ ...good, scripts: ['scripts/a.ts', '../etc/passwd.ts'] }),
    )
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.problem.field).toBe('scripts[1]')
  })
  it('requires every field', () => {
    for (const field of ['name', 'createdWith', 'scripts', 'results', 'formatVersion'] as const) {
      const broken: Record<string, unknown> = { ...good }
      delete broken[field]
      const r = parseManifest(JSON.stringify(broken))
      expect(r.ok, field).toBe(false)
      if (!r.ok) expect(r.problem.field).toBe(field)
    }
  })
})

describe('isSafeRelativePath', () => {
  it('allows plain relative paths only', () => {
    expect(isSafeRelativePath('scripts/a.ts')).toBe(true)
    for (const bad of [
      '/abs.ts',
      '../up.ts',
      'a/../b.ts',
      'a//b.ts',
      'C:/x.ts',
      'a\\b.ts',
      './a.ts',
      '',
    ])
      expect(isSafeRelativePath(bad), bad).toBe(false)
  })
})

describe('validateWorkspace', () => {
  const ws = newWorkspace('w', 'scripts/a.ts', 'export default () => {}', 'mmwb test')
  it('accepts a fresh workspace', () => {
    expect(validateWorkspace(ws).ok).toBe(true)
  })
  it('refuses a listed file without text and an unlisted file', () => {
    const missing = validateWorkspace({ ...ws, files: {} })
    expect(missing.ok || missing.problem.file).toBe('scripts/a.ts')
    const extra = validateWorkspace({ ...ws, files: { ...ws.files, 'scripts/b.ts': '' } })
    expect(extra.ok || extra.problem.file).toBe('scripts/b.ts')
  })
  it('refuses a saved result that is not JSON', () => {
    const r = validateWorkspace({
      ...ws,
      manifest: { ...ws.manifest, results: ['results/a.json'] },
      files: { ...ws.files, 'results/a.json': '{' },
    })
    expect(r.ok || r.problem.file).toBe('results/a.json')
  })
  it('puts a script result beside the other results', () => {
    expect(resultPathFor('scripts/hello.ts')).toBe('results/hello.json')
  })
})
