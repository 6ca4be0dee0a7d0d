/**
 * Serves the built renderer from `app://workbench/…` instead of file://. A standard, secure
 * scheme gives the page a real origin, so `'self'` in the CSP, module scripts and module
 * workers (Monaco's, engine-host's in web builds) behave as on https; file:// pages have an
 * opaque origin and Chromium restricts module workers there.
 */
import { net, protocol } from 'electron'
import { resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CSP } from './csp'

export const APP_SCHEME = 'app'
export const APP_HOST = 'workbench'
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Maps app://workbench/<path> to a file under `root`; anything outside is 404. */
export function handleAppScheme(root: string): void {
  const base = resolve(root)
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html'
    const file = resolve(base, rel)
    if (url.host !== APP_HOST || !(file === base || file.startsWith(base + sep))) {
      return new Response('not found', { status: 404 })
    }
    const res = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(res.headers)
    headers.set('Content-Security-Policy', CSP)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(res.body, { status: res.status, headers })
  })
}
