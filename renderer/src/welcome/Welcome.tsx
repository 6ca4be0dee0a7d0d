/**
 * The welcome screen: the example workspaces that ship with the workbench, the recent
 * workspaces, and a fresh one. Opening anything only loads text: nothing runs until Run.
 */
import { useEffect, useState } from 'react'
import type { RecentWorkspace } from '../../../protocol/workspace'
import type { WorkspaceBackend } from '../workspace/backend'
import type { ExampleWorkspace } from './examples'

interface Props {
  examples: ExampleWorkspace[]
  backend: WorkspaceBackend
  onOpenExample(ex: ExampleWorkspace): void
  onOpenRecent(location: string): void
  onOpen(): void
  onNew(): void
}

/** The example's first comment without its repeated title. */
function summaryOf(ex: ExampleWorkspace): string {
  const s = ex.summary || ex.id
  return s.startsWith(ex.name) ? s.slice(ex.name.length).replace(/^[\s:.,-]+/, '') : s
}

export function Welcome(p: Props) {
  const [recent, setRecent] = useState<RecentWorkspace[] | null>(null)
  useEffect(() => {
    let live = true
    p.backend
      .recent()
      .then((r) => live && setRecent(r.slice(0, 8)))
      .catch(() => live && setRecent([]))
    return () => {
      live = false
    }
  }, [p.backend])

  return (
    <div className="welcome" data-testid="welcome">
      <h2>MM Workbench</h2>
      <p className="muted">
        Write a workload in TypeScript, run it on a page-granular model of the kernel&apos;s
        physical memory across variants and seeds, and compare what happened.
      </p>
      <div className="welcome-cols">
        <section>
          <h3>Examples</h3>
          {p.examples.length === 0 && <p className="muted">No example workspaces in this build.</p>}
          <ul className="welcome-list" data-testid="examples">
            {p.examples.map((ex) => (
              <li key={ex.id}>
                <button
                  className="link welcome-item"
                  data-testid={`example-${ex.id}`}
                  onClick={() => p.onOpenExample(ex)}
                >
                  <span className="welcome-name">{ex.name}</span>
                  <span className="muted welcome-summary">{summaryOf(ex)}</span>
                  <span className="muted small-text">
                    {ex.workspace.manifest.scripts.length} script(s)
                    {ex.workspace.manifest.results.length > 0 &&
                      ` · ${ex.workspace.manifest.results.length} saved result(s)`}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h3>Recent</h3>
          <ul className="welcome-list" data-testid="welcome-recent">
            {recent === null && <li className="muted">Loading…</li>}
            {recent?.length === 0 && <li className="muted">None yet.</li>}
            {recent?.map((r) => (
              <li key={r.location}>
                <button className="link welcome-item" onClick={() => p.onOpenRecent(r.location)}>
                  <span className="welcome-name">{r.name}</span>
                  <span className="muted small-text">
                    {r.location} · {new Date(r.openedAtMs).toLocaleString()}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <div className="welcome-actions">
            <button onClick={p.onNew} data-testid="new-workspace">
              New workspace
            </button>
            <button onClick={p.onOpen}>Open…</button>
          </div>
          <h3>Keys</h3>
          <ul className="muted small-text keys">
            <li>
              <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>Enter</kbd> run the experiment
            </li>
            <li>
              <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>S</kbd> save the workspace
            </li>
          </ul>
        </section>
      </div>
    </div>
  )
}
