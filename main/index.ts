/**
 * Electron main: one locked-down window, engine-host in a utility process with a direct port
 * to the window, and workspace folder I/O. Main never imports the engine: the model runs only
 * in engine-host.
 */
import { app, BrowserWindow, ipcMain } from 'electron'
import { join } from 'node:path'
import { IPC, type EnginePortNotice } from '../protocol/preloadApi'
import { handleAppScheme, registerAppScheme } from './appProtocol'
import { EngineHostSupervisor } from './engineHost'
import { createMainWindow, installSessionPolicy, isTrustedUrl } from './window'
import { registerWorkspaceIpc } from './workspaceIpc'

registerAppScheme()

let win: BrowserWindow | null = null
let engine: EngineHostSupervisor | null = null

function openWindow(): void {
  engine?.dispose()
  win = createMainWindow()
  const w = win
  engine = new EngineHostSupervisor(join(__dirname, 'engineHost.js'), (port, stoppedReason) => {
    if (w.isDestroyed()) return
    const notice: Omit<EnginePortNotice, 'channel'> = { stoppedReason }
    w.webContents.postMessage(IPC.enginePort, notice, [port])
  })
  w.on('closed', () => {
    engine?.dispose()
    engine = null
    win = null
  })
}

function fromOurWindow(e: Electron.IpcMainEvent): boolean {
  return win !== null && e.sender === win.webContents && isTrustedUrl(e.senderFrame?.url ?? '')
}

app.whenReady().then(() => {
  handleAppScheme(join(__dirname, '../renderer'))
  installSessionPolicy()
  ipcMain.on(IPC.engineConnect, (e) => {
    if (fromOurWindow(e)) engine?.connect()
  })
  ipcMain.on(IPC.engineRestart, (e, reason: unknown) => {
    if (fromOurWindow(e))
      engine?.restart(typeof reason === 'string' ? reason.slice(0, 500) : 'restart requested')
  })
  registerWorkspaceIpc(() => win)
  openWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

// No webview, no remote windows, from any web contents.
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (ev) => ev.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
})
