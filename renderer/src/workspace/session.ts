/**
 * Crash recovery of unsaved work: the whole editing session (workspace files as edited, the
 * active script, seed and budget) is kept in localStorage on every change, and restored at
 * start-up. Saving a workspace is separate and explicit.
 */
import { validateManifest, type WorkspaceData } from '../../../protocol/workspace'

export interface Session {
  workspace: WorkspaceData
  activePath: string
  seed: number
  budgetMs: number
  /** JSON of `workspace.files` at the last open or save; differs from now when dirty. */
  savedFiles: string | null
}

const KEY = 'mmwb.session.v1'

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY)
    if (!raw) return null
    const s = JSON.parse(raw) as Partial<Session>
    const ws = s.workspace
    if (
      !ws ||
      !validateManifest(ws.manifest).ok ||
      typeof ws.files !== 'object' ||
      ws.files === null
    )
      return null
    if (typeof s.activePath !== 'string' || typeof ws.files[s.activePath] !== 'string') return null
    return {
      workspace: ws,
      activePath: s.activePath,
      seed: Number.isSafeInteger(s.seed) ? s.seed! : 1,
      budgetMs: Number.isSafeInteger(s.budgetMs) && s.budgetMs! > 0 ? s.budgetMs! : 10_000,
      savedFiles: typeof s.savedFiles === 'string' ? s.savedFiles : null,
    }
  } catch {
    return null
  }
}

export function storeSession(s: Session): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s))
  } catch {
    // Storage full or disabled: the session simply is not recoverable; editing goes on.
  }
}
