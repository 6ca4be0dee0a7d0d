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
    const file = fileFor(base, request.url)
    if (!file) return new Response('not found', { status: 404 })
    try {
      const res = await net.fetch(pathToFileURL(file).toString())
      const headers = new Headers(res.headers)
      headers.set('Content-Security-Policy', CSP)
      headers.set('X-Content-Type-Options', 'nosniff')
      return new Response(res.body, { status: res.status, headers })
    } catch {
      return new Response('not found', { status: 404 })
    }
  })
}

/** The file under `base` an app:// URL names, or null when it names none (or escapes). */
export function fileFor(base: string, url: string): string | null {
  let u: URL
  let rel: string
  try {
    u = new URL(url)
    rel = decodeURIComponent(u.pathname).replace(/^\/+/, '') || 'index.html'
  } catch {
    return null
  }
  const file = resolve(base, rel)
  if (u.host !== APP_HOST || rel.includes('\0') || !file.startsWith(base + sep)) return null
  return file
}
