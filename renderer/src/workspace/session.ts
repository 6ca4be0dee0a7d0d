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
  /** Scripts open in editor tabs, in tab order (always includes activePath). */
  openTabs: string[]
  /** The scripts may run without asking (created here, or trusted by the user). */
  trusted: boolean
  /** The seeds field; '' = the script's `seeds` export (else seed `seed`). */
  seedsText: string
  /** Variants to run; null = every variant the script declares. */
  selectedVariants: string[] | null
  /** The machine form's text, by field; missing = as the script says. */
  machine: Record<string, string>
}

/** The fields added after the first version, with their defaults. */
export const SESSION_DEFAULTS = {
  seedsText: '',
  selectedVariants: null,
  machine: {},
  trusted: true,
} as const

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
      openTabs: (Array.isArray(s.openTabs) ? s.openTabs : [])
        .filter((p): p is string => typeof p === 'string' && typeof ws.files[p] === 'string')
        .concat(
          Array.isArray(s.openTabs) && s.openTabs.includes(s.activePath) ? [] : [s.activePath],
        ),
      trusted: s.trusted !== false,
      seedsText: typeof s.seedsText === 'string' ? s.seedsText : SESSION_DEFAULTS.seedsText,
      selectedVariants:
        Array.isArray(s.selectedVariants) && s.selectedVariants.every((v) => typeof v === 'string')
          ? s.selectedVariants
          : null,
      machine:
        typeof s.machine === 'object' && s.machine !== null && !Array.isArray(s.machine)
          ? Object.fromEntries(
              Object.entries(s.machine).filter(
                (e): e is [string, string] => typeof e[1] === 'string',
              ),
            )
          : {},
    }
  } catch {
    return null
  }
}

export function storeSession(s: Session): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s))
    return
  } catch {
    // Most likely over the storage quota because of large saved results: keep what matters
    // for crash recovery, the scripts, and drop the results (a run re-creates them).
  }
  try {
    localStorage.setItem(KEY, JSON.stringify(withoutResults(s)))
  } catch {
    // Storage disabled: the session simply is not recoverable; editing goes on.
  }
}

function withoutResults(s: Session): Session {
  const { manifest, files } = s.workspace
  const scripts = Object.fromEntries(manifest.scripts.map((p) => [p, files[p] ?? '']))
  const clean = s.savedFiles === JSON.stringify(files)
  return {
    ...s,
    workspace: { ...s.workspace, manifest: { ...manifest, results: [] }, files: scripts },
    // Still clean after restore only if it was clean; a dirty session stays dirty.
    savedFiles: clean ? JSON.stringify(scripts) : null,
  }
}
