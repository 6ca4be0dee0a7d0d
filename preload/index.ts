/**
 * The preload: a narrow typed API on `window.mmwb` and the engine port. No raw ipcRenderer
 * reaches the page; every channel is fixed here.
 *
 * A MessagePort cannot cross contextBridge, so the engine port main sends is forwarded to the
 * page with window.postMessage (see protocol/preloadApi.ts, EnginePortNotice).
 */
import { contextBridge, ipcRenderer } from 'electron'
import { IPC, type EnginePortNotice, type MmwbPreloadApi } from '../protocol/preloadApi'
import type { WorkspaceData } from '../protocol/workspace'

ipcRenderer.on(IPC.enginePort, (event, data: { stoppedReason?: unknown }) => {
  const notice: EnginePortNotice = {
    channel: IPC.enginePort,
    stoppedReason: typeof data?.stoppedReason === 'string' ? data.stoppedReason : null,
  }
  window.postMessage(notice, '*', event.ports)
})

const api: MmwbPreloadApi = {
  platform: process.platform,
  engine: {
    connect: () => ipcRenderer.send(IPC.engineConnect),
    restart: (reason: string) => ipcRenderer.send(IPC.engineRestart, String(reason)),
  },
  workspace: {
    open: () => ipcRenderer.invoke(IPC.workspaceOpen),
    openRecent: (location: string) => ipcRenderer.invoke(IPC.workspaceOpenRecent, location),
    save: (ws: WorkspaceData) => ipcRenderer.invoke(IPC.workspaceSave, ws),
    saveAs: (ws: WorkspaceData) => ipcRenderer.invoke(IPC.workspaceSaveAs, ws),
    recent: () => ipcRenderer.invoke(IPC.workspaceRecent),
  },
}

contextBridge.exposeInMainWorld('mmwb', api)

export type Api = typeof api
