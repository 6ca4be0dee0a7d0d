/**
 * The workspace explorer: the workspace's scripts (● = unsaved changes) and saved results.
 * Clicking a script opens it in an editor tab; "+" adds a script.
 */
import { resultPathFor } from '../../../protocol/workspace'

interface Props {
  name: string
  scripts: string[]
  results: string[]
  activePath: string
  /** Scripts whose text differs from the last save. */
  dirtyPaths: ReadonlySet<string>
  workspaceDirty: boolean
  trusted: boolean
  onOpenScript(path: string): void
  onNewScript(): void
}

function base(path: string): string {
  return path.split('/').pop() ?? path
}

export function Explorer(p: Props) {
  return (
    <section className="explorer" data-testid="explorer" aria-label="Workspace explorer">
      <h3 className="side-title">
        <span className="explorer-name" title={p.name}>
          {p.name}
          {p.workspaceDirty && <span title="Unsaved changes"> ●</span>}
        </span>
        {!p.trusted && (
          <span className="untrusted" title="Opened from elsewhere: asks before running">
            untrusted
          </span>
        )}
      </h3>
      <div className="explorer-group">
        <div className="explorer-head">
          <span>scripts</span>
          <button
            className="small"
            onClick={p.onNewScript}
            title="New script"
            data-testid="new-script"
          >
            +
          </button>
        </div>
        <ul className="explorer-list" data-testid="script-list">
          {p.scripts.map((s) => (
            <li key={s}>
              <button
                className={s === p.activePath ? 'explorer-item active' : 'explorer-item'}
                onClick={() => p.onOpenScript(s)}
                title={s}
                data-testid="script-item"
              >
                <span className="file-icon">TS</span>
                {base(s)}
                {p.dirtyPaths.has(s) && (
                  <span className="dirty" title="Unsaved changes" data-testid="dirty-marker">
                    ●
                  </span>
                )}
                {p.results.includes(resultPathFor(s)) && (
                  <span className="has-result" title={`Saved result ${resultPathFor(s)}`}>
                    ◆
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
      </div>
      {p.results.length > 0 && (
        <div className="explorer-group">
          <div className="explorer-head">
            <span>results</span>
          </div>
          <ul className="explorer-list" data-testid="result-list">
            {p.results.map((r) => {
              const script = p.scripts.find((s) => resultPathFor(s) === r)
              return (
                <li key={r}>
                  <button
                    className="explorer-item"
                    disabled={!script}
                    onClick={() => script && p.onOpenScript(script)}
                    title={r}
                  >
                    <span className="file-icon json">{'{}'}</span>
                    {base(r)}
                    {p.dirtyPaths.has(r) && <span className="dirty">●</span>}
                  </button>
                </li>
              )
            })}
          </ul>
        </div>
      )}
    </section>
  )
}
