/**
 * Workspace operations for the window, behind ipcMain.handle: native folder dialogs, atomic
 * writes (workspaceFs.ts) and the recent list. The page can only write to folders the user
 * picked in a dialog (this session, or earlier: the recent list is only filled from dialogs);
 * a path in a message alone grants nothing.
 */
import { app, dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { join } from 'node:path'
import { IPC } from '../protocol/preloadApi'
import {
  validateWorkspace,
  type OpenResult,
  type SaveResult,
  type WorkspaceData,
} from '../protocol/workspace'
import { addRecent, loadRecent } from './recent'
import { isTrustedUrl } from './window'
import { readWorkspaceFolder, writeWorkspaceFolder } from './workspaceFs'

export function registerWorkspaceIpc(getWindow: () => BrowserWindow | null): void {
  const recentFile = join(app.getPath('userData'), 'recent-workspaces.json')
  const approved = new Set<string>()

  const trusted = (e: IpcMainInvokeEvent) => {
    const url = e.senderFrame?.url ?? ''
    if (!isTrustedUrl(url)) throw new Error(`workspace request from an untrusted frame: ${url}`)
  }

  const remember = async (location: string, name: string) => {
    approved.add(location)
    await addRecent(recentFile, { location, name, openedAtMs: Date.now() })
  }

  const openAt = async (dir: string): Promise<OpenResult> => {
    const r = await readWorkspaceFolder(dir)
    if (r.status === 'opened') await remember(dir, r.workspace.manifest.name)
    return r
  }

  const pickFolder = async (title: string, buttonLabel: string): Promise<string | null> => {
    const win = getWindow()
    const options: Electron.OpenDialogOptions = {
      title,
      buttonLabel,
      properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
    }
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
    return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!
  }

  const saveAs = async (ws: WorkspaceData): Promise<SaveResult> => {
    const dir = await pickFolder('Save workspace to folder', 'Save here')
    if (!dir) return { status: 'cancelled' }
    const r = await writeWorkspaceFolder(dir, ws)
    if (r.status === 'saved') await remember(dir, ws.manifest.name)
    return r
  }

  /** Structured clone keeps shape but not trust: validate before touching the disk. */
  const checked = (ws: unknown): WorkspaceData | SaveResult => {
    const v = validateWorkspace(ws as WorkspaceData)
    return v.ok ? v.value : { status: 'error', problem: v.problem }
  }

  ipcMain.handle(IPC.workspaceOpen, async (e): Promise<OpenResult> => {
    trusted(e)
    const dir = await pickFolder('Open workspace folder', 'Open')
    return dir ? openAt(dir) : { status: 'cancelled' }
  })

  ipcMain.handle(IPC.workspaceOpenRecent, async (e, location: unknown): Promise<OpenResult> => {
    trusted(e)
    const recent = await loadRecent(recentFile)
    if (typeof location !== 'string' || !recent.some((r) => r.location === location)) {
      return {
        status: 'error',
        problem: { file: String(location), message: 'not in the recent-workspaces list' },
      }
    }
    return openAt(location)
  })

  ipcMain.handle(IPC.workspaceSave, async (e, raw: unknown): Promise<SaveResult> => {
    trusted(e)
    const ws = checked(raw)
    if ('status' in ws) return ws
    // A folder picked in a dialog this session, or one on the recent list (itself only ever
    // filled from dialogs), may be saved to without asking again.
    const known =
      ws.location !== undefined &&
      (approved.has(ws.location) ||
        (await loadRecent(recentFile)).some((r) => r.location === ws.location))
    if (ws.location && known) {
      const r = await writeWorkspaceFolder(ws.location, ws)
      if (r.status === 'saved') await remember(ws.location, ws.manifest.name)
      return r
    }
    return saveAs(ws)
  })

  ipcMain.handle(IPC.workspaceSaveAs, async (e, raw: unknown): Promise<SaveResult> => {
    trusted(e)
    const ws = checked(raw)
    return 'status' in ws ? ws : saveAs(ws)
  })

  ipcMain.handle(IPC.workspaceRecent, async (e) => {
    trusted(e)
    return loadRecent(recentFile)
  })
}
