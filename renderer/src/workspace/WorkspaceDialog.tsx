/**
 * The Open and Save-as dialogs: recent workspaces and the places this mode can open from or
 * save to. Opening only loads text into the editor; nothing runs until the user presses Run.
 */
import { useEffect, useRef, useState } from 'react'
import type { RecentWorkspace } from '../../../protocol/workspace'
import type { SaveTarget, WorkspaceBackend } from './backend'

export type DialogKind = 'open' | 'save-as'

interface Props {
  kind: DialogKind
  backend: WorkspaceBackend
  currentName: string
  dirty: boolean
  onClose(): void
  onOpenRecent(location: string): void
  onOpenFolder(): void
  onUpload(files: FileList): void
  onSaveAs(name: string, target: SaveTarget): void
}

const TARGET_LABEL: Record<SaveTarget, string> = {
  default: 'Save',
  browser: 'Save in this browser',
  folder: 'Save to folder…',
  download: 'Download .zip',
}

function when(ms: number): string {
  return new Date(ms).toLocaleString()
}

export function WorkspaceDialog(props: Props) {
  const { kind, backend } = props
  const [recent, setRecent] = useState<RecentWorkspace[] | null>(null)
  const [name, setName] = useState(props.currentName)
  const uploadRef = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (kind !== 'open') return
    let live = true
    backend
      .recent()
      .then((r) => live && setRecent(r))
      .catch(() => live && setRecent([]))
    return () => {
      live = false
    }
  }, [kind, backend])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && props.onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [props])

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}
    >
      <div className="dialog" role="dialog" aria-modal="true" data-testid={`${kind}-dialog`}>
        {kind === 'open' ? (
          <>
            <h2>Open workspace</h2>
            {props.dirty && (
              <p className="dialog-note">Unsaved edits in the editor will be replaced.</p>
            )}
            <h3>{backend.kind === 'web' ? 'Saved in this browser' : 'Recent'}</h3>
            <ul className="recent-list" data-testid="recent-list">
              {recent === null && <li className="muted">Loading…</li>}
              {recent?.length === 0 && <li className="muted">None yet.</li>}
              {recent?.map((r) => (
                <li key={r.location}>
                  <button className="link" onClick={() => props.onOpenRecent(r.location)}>
                    <span className="recent-name">{r.name}</span>
                    <span className="muted">
                      {r.location} · {when(r.openedAtMs)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            <div className="dialog-actions">
              {backend.canOpenFolder && <button onClick={props.onOpenFolder}>Open folder…</button>}
              {backend.canUpload && (
                <>
                  <button onClick={() => uploadRef.current?.click()}>Upload folder…</button>
                  <input
                    ref={uploadRef}
                    type="file"
                    hidden
                    // @ts-expect-error -- non-standard but universal: select a whole folder
                    webkitdirectory=""
                    multiple
                    onChange={(e) => e.target.files && props.onUpload(e.target.files)}
                  />
                </>
              )}
              <span className="spacer" />
              <button onClick={props.onClose}>Cancel</button>
            </div>
          </>
        ) : (
          <>
            <h2>Save workspace as</h2>
            <label className="field">
              Name
              <input
                data-testid="workspace-name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                autoFocus
              />
            </label>
            <div className="dialog-actions">
              {backend.saveTargets.map((t) => (
                <button
                  key={t}
                  disabled={!name.trim()}
                  onClick={() => props.onSaveAs(name.trim(), t)}
                >
                  {backend.kind === 'desktop' && t === 'folder'
                    ? 'Choose folder…'
                    : TARGET_LABEL[t]}
                </button>
              ))}
              <span className="spacer" />
              <button onClick={props.onClose}>Cancel</button>
            </div>
          </>
        )}
      </div>
    </div>
  )
}
