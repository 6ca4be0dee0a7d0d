/** Tabs of the scripts open in the editor, with unsaved markers and close buttons. */
interface Props {
  tabs: string[]
  active: string
  dirtyPaths: ReadonlySet<string>
  onSelect(path: string): void
  onClose(path: string): void
}

export function EditorTabs(p: Props) {
  return (
    <div className="editor-tabs" role="tablist" data-testid="editor-tabs">
      {p.tabs.map((t) => (
        <div
          key={t}
          role="tab"
          aria-selected={t === p.active}
          className={t === p.active ? 'etab etab-active' : 'etab'}
          title={t}
          onClick={() => p.onSelect(t)}
          data-testid="editor-tab"
        >
          <span>{t.split('/').pop()}</span>
          {p.dirtyPaths.has(t) && <span className="dirty">●</span>}
          {p.tabs.length > 1 && (
            <button
              className="etab-close"
              aria-label={`Close ${t}`}
              onClick={(e) => {
                e.stopPropagation()
                p.onClose(t)
              }}
            >
              ×
            </button>
          )}
        </div>
      ))}
    </div>
  )
}
