/** Editor tabs and new scripts: which scripts are open, which is active. */
import type { Dispatch, SetStateAction } from 'react'
import { DEFAULT_SCRIPT } from '../defaultScript'
import type { Session } from '../workspace/session'

export function useScriptTabs(
  setSession: Dispatch<SetStateAction<Session>>,
  /** Whether a new script may take this path (reports why not itself). */
  canCreate: (path: string) => boolean,
) {
  const openScript = (path: string) =>
    setSession((s) => ({
      ...s,
      activePath: path,
      openTabs: s.openTabs.includes(path) ? s.openTabs : [...s.openTabs, path],
    }))

  const closeTab = (path: string) =>
    setSession((s) => {
      const tabs = s.openTabs.filter((t) => t !== path)
      if (tabs.length === 0) return s
      const i = s.openTabs.indexOf(path)
      return {
        ...s,
        openTabs: tabs,
        activePath: s.activePath === path ? tabs[Math.max(0, i - 1)]! : s.activePath,
      }
    })

  const newScript = () => {
    const name = window.prompt('Name of the new script', 'workload.ts')?.trim()
    if (!name) return
    const path = `scripts/${name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/\.ts$/, '')}.ts`
    if (!canCreate(path)) return
    setSession((s) => ({
      ...s,
      workspace: {
        ...s.workspace,
        manifest: { ...s.workspace.manifest, scripts: [...s.workspace.manifest.scripts, path] },
        files: { ...s.workspace.files, [path]: DEFAULT_SCRIPT },
      },
      activePath: path,
      openTabs: [...s.openTabs, path],
    }))
  }

  return { openScript, closeTab, newScript }
}
