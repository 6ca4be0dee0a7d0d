import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IPC } from '../protocol/preloadApi'
import { MANIFEST_FILE, newWorkspace } from '../protocol/workspace'

type Handler = (e: unknown, ...args: unknown[]) => Promise<unknown>
const handlers = new Map<string, Handler>()
const dialogAnswers: (string | null)[] = []
let userData = ''

vi.mock('electron', () => ({
  app: { getPath: () => userData },
  ipcMain: { handle: (ch: string, fn: Handler) => handlers.set(ch, fn) },
  dialog: {
    showOpenDialog: vi.fn(async () => {
      const dir = dialogAnswers.shift() ?? null
      return { canceled: dir === null, filePaths: dir ? [dir] : [] }
    }),
  },
  BrowserWindow: class {},
  session: {},
}))

const { registerWorkspaceIpc } = await import('./workspaceIpc')

const trusted = { senderFrame: { url: 'app://workbench/index.html' } }
const untrusted = { senderFrame: { url: 'https://example.com/' } }
const call = (ch: string, e: unknown, ...args: unknown[]) => handlers.get(ch)!(e, ...args)

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mmwb-ipc-'))
  userData = join(root, 'userData')
  handlers.clear()
  dialogAnswers.length = 0
  registerWorkspaceIpc(() => null)
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

const ws = () => newWorkspace('study', 'scripts/a.ts', 'export default () => {}\n', 'mmwb test')

describe('workspace IPC (main)', () => {
  it('save-as writes where the user chose, then open finds it and lists it as recent', async () => {
    const dir = join(root, 'ws')
    dialogAnswers.push(dir)
    expect(await call(IPC.workspaceSaveAs, trusted, ws())).toEqual({
      status: 'saved',
      location: dir,
    })
    expect(await readFile(join(dir, 'scripts/a.ts'), 'utf8')).toBe('export default () => {}\n')
    dialogAnswers.push(dir)
    expect(await call(IPC.workspaceOpen, trusted)).toMatchObject({
      status: 'opened',
      workspace: { files: ws().files, location: dir },
    })
    expect(await call(IPC.workspaceRecent, trusted)).toMatchObject([
      { location: dir, name: 'study' },
    ])
  })

  it('saves to a known folder without asking, and asks for any other path', async () => {
    const dir = join(root, 'ws')
    dialogAnswers.push(dir)
    await call(IPC.workspaceSaveAs, trusted, ws())
    const edited = { ...ws(), location: dir, files: { 'scripts/a.ts': 'edited\n' } }
    expect(await call(IPC.workspaceSave, trusted, edited)).toEqual({
      status: 'saved',
      location: dir,
    })
    expect(await readFile(join(dir, 'scripts/a.ts'), 'utf8')).toBe('edited\n')
    // A path the user never picked: the dialog decides (here: cancelled), nothing is written.
    const elsewhere = join(root, 'elsewhere')
    expect(await call(IPC.workspaceSave, trusted, { ...ws(), location: elsewhere })).toEqual({
      status: 'cancelled',
    })
    expect(await readdir(root)).not.toContain('elsewhere')
  })

  it('refuses to open a folder that is not on the recent list', async () => {
    expect(await call(IPC.workspaceOpenRecent, trusted, '/etc')).toMatchObject({ status: 'error' })
  })

  it('reports a newer manifest on open, naming file and field, and leaves it as it was', async () => {
    const dir = join(root, 'newer')
    dialogAnswers.push(dir)
    await call(IPC.workspaceSaveAs, trusted, ws())
    const newer = JSON.stringify({ ...ws().manifest, formatVersion: 2 })
    await writeFile(join(dir, MANIFEST_FILE), newer)
    dialogAnswers.push(dir)
    expect(await call(IPC.workspaceOpen, trusted)).toMatchObject({
      status: 'error',
      problem: { file: join(dir, MANIFEST_FILE), field: 'formatVersion' },
    })
    dialogAnswers.push(dir)
    expect(await call(IPC.workspaceSaveAs, trusted, ws())).toMatchObject({ status: 'error' })
    expect(await readFile(join(dir, MANIFEST_FILE), 'utf8')).toBe(newer)
  })

  it('refuses an invalid workspace from the page before any dialog', async () => {
    const bad = { ...ws(), manifest: { ...ws().manifest, scripts: ['/etc/passwd.ts'] } }
    expect(await call(IPC.workspaceSaveAs, trusted, bad)).toMatchObject({
      status: 'error',
      problem: { field: 'scripts[0]' },
    })
  })

  it('rejects requests from frames that are not the workbench', async () => {
    await expect(call(IPC.workspaceRecent, untrusted)).rejects.toThrow(/untrusted frame/)
  })
})
