/**
 * The Content-Security-Policy of the workbench window: only the app's own code, no remote
 * anything. `img-src data:` is for Monaco's squiggle SVGs; `worker-src blob:` for Monaco's
 * workers; `'unsafe-inline'` styles because Monaco and chart.js set inline styles.
 * renderer/index.html carries the same policy as a meta tag (for web mode).
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
