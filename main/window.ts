/**
 * The workbench window, locked down: context isolation, sandbox, no Node in the page, web
 * security on, a CSP header on every response, and no navigation or new windows (nothing
 * remote is ever loaded; external links are not followed).
 */
import { BrowserWindow, session } from 'electron'
import { join } from 'node:path'
import { APP_URL } from './appProtocol'
import { CSP } from './csp'

/** The dev server of `electron-vite dev`, when running in development. */
export function devRendererUrl(): string | undefined {
  return process.env.ELECTRON_RENDERER_URL
}

export function isTrustedUrl(url: string): boolean {
  const dev = devRendererUrl()
  return (
    url.startsWith(`${APP_URL.split('/index.html')[0]}/`) ||
    (dev !== undefined && url.startsWith(dev))
  )
}

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'MM Workbench',
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  })

  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.webContents.on('will-navigate', (e, url) => {
    if (!isTrustedUrl(url)) e.preventDefault()
  })
  win.webContents.on('will-redirect', (e, url) => {
    if (!isTrustedUrl(url)) e.preventDefault()
  })
  win.once('ready-to-show', () => win.show())

  const dev = devRendererUrl()
  void (dev ? win.loadURL(dev) : win.loadURL(APP_URL))
  return win
}

/** CSP on responses that do not come from our own protocol handler (the dev server). */
export function installSessionPolicy(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] },
    })
  })
  // No permission (camera, notifications, …) is ever needed.
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))
  // Refuse every request for remote content; the app is entirely local.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const u = details.url
    const local =
      u.startsWith('app:') ||
      u.startsWith('data:') ||
      u.startsWith('blob:') ||
      u.startsWith('devtools:') ||
      u.startsWith('file:') ||
      (devRendererUrl() !== undefined &&
        (u.startsWith(devRendererUrl()!) || u.startsWith('ws://localhost')))
    callback({ cancel: !local })
  })
}
