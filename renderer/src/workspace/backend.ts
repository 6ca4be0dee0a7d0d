/**
 * Workspace operations, the same for the UI in both modes:
 * - desktop: through the preload to Electron main (native dialogs, atomic writes, recent list);
 * - web: browser storage (IndexedDB), File System Access folders where available, and
 *   download (.zip) / upload (folder) otherwise.
 */
import type {
  OpenResult,
  RecentWorkspace,
  SaveResult,
  WorkspaceData,
} from '../../../protocol/workspace'
import { listBrowserWorkspaces, openFromBrowser, saveToBrowser } from './browserStore'
import {
  FOLDER_PREFIX,
  folderAccessAvailable,
  hasFolderHandle,
  openFolder,
  saveFolderAs,
  saveToFolder,
} from './folderAccess'
import { downloadWorkspace, workspaceFromUpload } from './transfer'

export type SaveTarget = 'default' | 'folder' | 'browser' | 'download'

export interface WorkspaceBackend {
  readonly kind: 'desktop' | 'web'
  /** Which save-as destinations this mode offers. */
  readonly saveTargets: SaveTarget[]
  readonly canOpenFolder: boolean
  readonly canUpload: boolean
  openFolder(): Promise<OpenResult>
  openRecent(location: string): Promise<OpenResult>
  upload(files: FileList): Promise<OpenResult>
  recent(): Promise<RecentWorkspace[]>
  /** Save where the workspace came from (asking only when it has no place yet). */
  save(ws: WorkspaceData): Promise<SaveResult>
  saveAs(ws: WorkspaceData, target: SaveTarget): Promise<SaveResult>
}

/** Plain data only crosses to main (structured clone); drop anything React may have attached. */
function plain(ws: WorkspaceData): WorkspaceData {
  return JSON.parse(JSON.stringify(ws)) as WorkspaceData
}

function desktopBackend(api: NonNullable<Window['mmwb']>): WorkspaceBackend {
  return {
    kind: 'desktop',
    saveTargets: ['folder'],
    canOpenFolder: true,
    canUpload: false,
    openFolder: () => api.workspace.open(),
    openRecent: (location) => api.workspace.openRecent(location),
    upload: async () => ({ status: 'cancelled' }),
    recent: () => api.workspace.recent(),
    save: (ws) => api.workspace.save(plain(ws)),
    saveAs: (ws) => api.workspace.saveAs(plain(ws)),
  }
}

function webBackend(): WorkspaceBackend {
  const fsa = folderAccessAvailable()
  return {
    kind: 'web',
    saveTargets: fsa ? ['browser', 'folder', 'download'] : ['browser', 'download'],
    canOpenFolder: fsa,
    canUpload: true,
    openFolder: () => openFolder(),
    openRecent: (location) => openFromBrowser(location),
    upload: (files) => workspaceFromUpload(files),
    recent: () => listBrowserWorkspaces(),
    async save(ws) {
      if (ws.location?.startsWith(FOLDER_PREFIX) && hasFolderHandle(ws.location)) {
        const r = await saveToFolder(ws)
        if (r.status === 'saved') await saveToBrowser(ws)
        return r
      }
      return { status: 'saved', location: await saveToBrowser(ws) }
    },
    async saveAs(ws, target) {
      if (target === 'folder') {
        const r = await saveFolderAs(ws)
        if (r.status === 'saved') await saveToBrowser(ws)
        return r
      }
      if (target === 'download') {
        const r = downloadWorkspace(ws)
        if (!r.ok) return { status: 'error', problem: { file: 'workspace', message: r.message } }
        // Keep a browser copy too, so the download is also reopenable from this page.
        return { status: 'saved', location: await saveToBrowser(ws) }
      }
      return { status: 'saved', location: await saveToBrowser(ws) }
    },
  }
}

export function createWorkspaceBackend(): WorkspaceBackend {
  return window.mmwb ? desktopBackend(window.mmwb) : webBackend()
}
