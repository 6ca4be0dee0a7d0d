/**
 * Opening and saving workspaces from the UI, and autosave: a workspace kept in this browser is
 * saved again shortly after the last change (crash recovery of unsaved text is separate: the
 * session in localStorage). Opening never runs anything; a workspace from elsewhere comes up
 * untrusted.
 */
import { useCallback, useEffect, type Dispatch, type RefObject, type SetStateAction } from 'react'
import {
  describeProblem,
  type OpenResult,
  type SaveResult,
  type WorkspaceData,
} from '../../../protocol/workspace'
import type { SaveTarget, WorkspaceBackend } from './backend'
import type { Session } from './session'
import { needsTrust } from './trust'

/** Autosave this long after the last change, in ms. */
export const AUTOSAVE_MS = 3000

interface Deps {
  backend: WorkspaceBackend
  sessionRef: RefObject<Session>
  setSession: Dispatch<SetStateAction<Session>>
  openWorkspace(ws: WorkspaceData, trusted: boolean, note: string): void
  showDialog(d: 'save-as' | null): void
  showError(text: string): void
  showMessage(text: string): void
  /** Autosave is due (a dirty browser workspace, no run going). */
  autosave: boolean
  /** Changes with every edit, restarting the autosave delay. */
  filesJson: string
}

export function useWorkspaceActions(d: Deps) {
  const { backend, sessionRef, setSession, openWorkspace, showDialog, showError, showMessage } = d

  const applyOpened = useCallback(
    (r: OpenResult) => {
      showDialog(null)
      if (r.status === 'cancelled') return
      if (r.status === 'error') {
        showError(`Could not open the workspace: ${describeProblem(r.problem)}`)
        return
      }
      const w = r.workspace
      if (!w.manifest.scripts[0]) {
        showError(`Could not open the workspace: ${w.manifest.name} lists no scripts`)
        return
      }
      openWorkspace(
        w,
        !needsTrust(w.location),
        `Opened ${w.manifest.name} from ${w.location ?? 'upload'}`,
      )
    },
    [openWorkspace, showDialog, showError],
  )

  const applySaved = useCallback(
    (r: SaveResult, saved: WorkspaceData, quiet = false) => {
      showDialog(null)
      if (r.status === 'cancelled') return
      if (r.status === 'error') {
        showError(`Could not save the workspace: ${describeProblem(r.problem)}`)
        return
      }
      setSession((s) => ({
        ...s,
        workspace: { ...s.workspace, manifest: saved.manifest, location: r.location },
        savedFiles: JSON.stringify(saved.files),
        trusted: true,
      }))
      showMessage(
        quiet
          ? `Autosaved ${saved.manifest.name}`
          : `Saved ${saved.manifest.name} to ${r.location}`,
      )
    },
    [setSession, showDialog, showError, showMessage],
  )

  const guard = useCallback(
    async (what: string, op: () => Promise<void>) => {
      try {
        await op()
      } catch (e) {
        showError(`${what} failed: ${e instanceof Error ? e.message : String(e)}`)
      }
    },
    [showError],
  )

  const save = useCallback(
    () =>
      guard('Save', async () => {
        const cur = sessionRef.current.workspace
        // Never saved in web mode: ask for a name first.
        if (!cur.location && backend.kind === 'web') {
          showDialog('save-as')
          return
        }
        applySaved(await backend.save(cur), cur)
      }),
    [guard, backend, applySaved, sessionRef, showDialog],
  )

  const saveAs = (name: string, target: SaveTarget) =>
    guard('Save as', async () => {
      const cur = sessionRef.current.workspace
      const next = { ...cur, manifest: { ...cur.manifest, name } }
      applySaved(await backend.saveAs(next, target), next)
    })

  useEffect(() => {
    if (!d.autosave) return
    const t = setTimeout(() => {
      const cur = sessionRef.current.workspace
      void guard('Autosave', async () => applySaved(await backend.save(cur), cur, true))
    }, AUTOSAVE_MS)
    return () => clearTimeout(t)
  }, [d.autosave, d.filesJson, guard, backend, applySaved, sessionRef])

  return { applyOpened, guard, save, saveAs }
}
