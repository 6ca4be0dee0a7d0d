/**
 * The narrow API the preload exposes to the page as `window.mmwb` (contextBridge), and the IPC
 * channel names main and preload share. The renderer sees the preload only through this file.
 *
 * The engine port: a MessagePort cannot cross contextBridge, so the preload forwards the port
 * it receives from main with `window.postMessage(notice, '*', [port])`. The page listens for a
 * window `message` event whose data is an EnginePortNotice and takes `event.ports[0]`.
 */
import type { OpenResult, RecentWorkspace, SaveResult, WorkspaceData } from './workspace'

export const IPC = {
  /** renderer -> main (send): hand me an engine-host port (at start-up and after a reload). */
  engineConnect: 'mmwb:engine-connect',
  /** renderer -> main (send): kill and restart engine-host (e.g. a script overran its budget). */
  engineRestart: 'mmwb:engine-restart',
  /** main -> renderer (webContents.postMessage with one port): a fresh engine-host port. */
  enginePort: 'mmwb:engine-port',
  workspaceOpen: 'mmwb:workspace-open',
  workspaceOpenRecent: 'mmwb:workspace-open-recent',
  workspaceSave: 'mmwb:workspace-save',
  workspaceSaveAs: 'mmwb:workspace-save-as',
  workspaceRecent: 'mmwb:workspace-recent',
} as const

/** `data` of the window message carrying a new engine port (in `event.ports[0]`). */
export interface EnginePortNotice {
  channel: typeof IPC.enginePort
  /** Why a new port was needed when the previous engine-host died; null at start-up. */
  stoppedReason: string | null
}

export function isEnginePortNotice(v: unknown): v is EnginePortNotice {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return (
    o.channel === IPC.enginePort &&
    (o.stoppedReason === null || typeof o.stoppedReason === 'string')
  )
}

export interface MmwbPreloadApi {
  /** process.platform of the desktop app. */
  platform: string
  engine: {
    /** Ask main for an engine-host port; it arrives as a window message (EnginePortNotice). */
    connect(): void
    /** Kill engine-host and start a fresh one; a new port follows. `reason` is shown to the user. */
    restart(reason: string): void
  }
  workspace: {
    /** Native folder dialog, then read and validate; never runs a script. */
    open(): Promise<OpenResult>
    /** Re-open a folder from the recent list (only folders in that list are accepted). */
    openRecent(location: string): Promise<OpenResult>
    /** Save to `ws.location` if this session opened or saved it there, else ask like saveAs. */
    save(ws: WorkspaceData): Promise<SaveResult>
    /** Native folder dialog, then write atomically. */
    saveAs(ws: WorkspaceData): Promise<SaveResult>
    recent(): Promise<RecentWorkspace[]>
  }
}
