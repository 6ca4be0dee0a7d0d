/**
 * Asked before the first run of a workspace that came from elsewhere (an uploaded or opened
 * folder): its scripts are code, and opening it ran nothing. Trust is remembered per location.
 */
import { useEffect } from 'react'

export function TrustDialog(p: {
  name: string
  location: string
  onTrust(): void
  onCancel(): void
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && p.onCancel()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [p])
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" data-testid="trust-dialog">
        <h2>Run scripts of “{p.name}”?</h2>
        <p>
          This workspace was opened from <code>{p.location}</code>, not created here. Its scripts
          run in the sandboxed engine-host, but they are still code from elsewhere. Opening it ran
          nothing.
        </p>
        <div className="dialog-actions">
          <button className="primary" data-testid="trust-run" onClick={p.onTrust} autoFocus>
            Trust and run
          </button>
          <span className="spacer" />
          <button onClick={p.onCancel}>Cancel</button>
        </div>
      </div>
    </div>
  )
}
