import { describe, expect, it } from 'vitest'
import { MANIFEST_FILE, serializeManifest } from '../../../protocol/workspace'
import { readWorkspace } from './readWorkspace'

const manifest = {
  formatVersion: 1,
  name: 'w',
  scripts: ['scripts/a.ts'],
  results: [],
  createdWith: 'mmwb test',
}

function source(files: Record<string, string>) {
  const reads: string[] = []
  const read = async (p: string) => {
    reads.push(p)
    return files[p] ?? null
  }
  return { read, reads }
}

describe('readWorkspace (web mode: folders, uploads, browser storage)', () => {
  it('opens a valid workspace without touching anything but the listed files', async () => {
    const { read, reads } = source({
      [MANIFEST_FILE]: serializeManifest(manifest),
      'scripts/a.ts': 'export default () => {}',
      'scripts/unlisted.ts': 'never read',
    })
    const r = await readWorkspace(read, 'folder:w')
    expect(r).toEqual({
      status: 'opened',
      workspace: {
        manifest,
        files: { 'scripts/a.ts': 'export default () => {}' },
        location: 'folder:w',
      },
    })
    expect(reads).toEqual([MANIFEST_FILE, 'scripts/a.ts'])
  })

  it('refuses a newer manifest, naming the field, before reading any script', async () => {
    const { read, reads } = source({
      [MANIFEST_FILE]: JSON.stringify({ ...manifest, formatVersion: 7 }),
      'scripts/a.ts': 'x',
    })
    expect(await readWorkspace(read, 'folder:w')).toMatchObject({
      status: 'error',
      problem: { file: MANIFEST_FILE, field: 'formatVersion' },
    })
    expect(reads).toEqual([MANIFEST_FILE])
  })

  it('names a missing script and a folder without manifest', async () => {
    expect(
      await readWorkspace(source({ [MANIFEST_FILE]: serializeManifest(manifest) }).read, 'x'),
    ).toMatchObject({
      status: 'error',
      problem: { file: 'scripts/a.ts' },
    })
    expect(await readWorkspace(source({}).read, 'upload:x')).toMatchObject({
      status: 'error',
      problem: { file: MANIFEST_FILE },
    })
  })
})
