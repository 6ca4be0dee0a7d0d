import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MANIFEST_FILE, newWorkspace, type WorkspaceData } from '../protocol/workspace'
import { readWorkspaceFolder, writeWorkspaceFolder } from './workspaceFs'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmwb-ws-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const script = "import { GFP_KERNEL } from 'mmwb'\nexport default () => {}\n"

function sample(): WorkspaceData {
  const ws = newWorkspace('frag', 'scripts/hello.ts', script, 'mmwb test')
  ws.manifest.results = ['results/hello.json']
  ws.files['results/hello.json'] = '{"schemaVersion":1}\n'
  return ws
}

/** Every file under `d` with its bytes and mtime, to prove a refused operation wrote nothing. */
async function snapshot(d: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const e of await readdir(d, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue
    const p = join(e.parentPath, e.name)
    out[p] = `${await readFile(p, 'utf8')}@${(await stat(p)).mtimeMs}`
  }
  return out
}

describe('workspace folders', () => {
  it('saves and reopens a workspace unchanged', async () => {
    expect(await writeWorkspaceFolder(dir, sample())).toEqual({ status: 'saved', location: dir })
    const r = await readWorkspaceFolder(dir)
    expect(r.status).toBe('opened')
    if (r.status === 'opened') {
      expect(r.workspace.files).toEqual(sample().files)
      expect(r.workspace.manifest).toEqual(sample().manifest)
      expect(r.workspace.location).toBe(dir)
    }
  })

  it('reports a corrupt manifest naming the file, and changes nothing on disk', async () => {
    await writeFile(join(dir, MANIFEST_FILE), '{"formatVersion": 1, "name": ')
    const before = await snapshot(dir)
    const r = await readWorkspaceFolder(dir)
    expect(r).toMatchObject({ status: 'error', problem: { file: join(dir, MANIFEST_FILE) } })
    const s = await writeWorkspaceFolder(dir, sample())
    expect(s.status).toBe('error')
    expect(await snapshot(dir)).toEqual(before)
  })

  it('refuses a newer-version manifest on open and on save, naming formatVersion', async () => {
    const newer = { ...sample().manifest, formatVersion: 2 }
    await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(newer))
    await mkdir(join(dir, 'scripts'))
    await writeFile(join(dir, 'scripts/hello.ts'), 'newer text')
    const before = await snapshot(dir)
    expect(await readWorkspaceFolder(dir)).toMatchObject({
      status: 'error',
      problem: { field: 'formatVersion' },
    })
    expect(await writeWorkspaceFolder(dir, sample())).toMatchObject({
      status: 'error',
      problem: { field: 'formatVersion' },
    })
    expect(await snapshot(dir)).toEqual(before)
  })

  it('names a script the manifest lists but the folder lacks', async () => {
    await writeWorkspaceFolder(dir, sample())
    await rm(join(dir, 'scripts/hello.ts'))
    expect(await readWorkspaceFolder(dir)).toMatchObject({
      status: 'error',
      problem: { file: join(dir, 'scripts/hello.ts') },
    })
  })

  it('refuses an invalid workspace before writing anything', async () => {
    const ws = sample()
    ws.manifest.scripts = ['../outside.ts']
    expect((await writeWorkspaceFolder(dir, ws)).status).toBe('error')
    expect(await readdir(dir)).toEqual([])
  })

  it('says so when the folder is not a workspace', async () => {
    expect(await readWorkspaceFolder(dir)).toMatchObject({
      status: 'error',
      problem: { file: join(dir, MANIFEST_FILE) },
    })
  })
})
