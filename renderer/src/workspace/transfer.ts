/**
 * Web mode without the File System Access API: download a workspace as a .zip of its folder,
 * and upload a folder (an <input webkitdirectory> selection) as a workspace.
 */
import {
  MANIFEST_FILE,
  serializeManifest,
  validateWorkspace,
  type OpenResult,
  type WorkspaceData,
} from '../../../protocol/workspace'
import { readWorkspace } from './readWorkspace'
import { zipStored } from './zip'

function folderName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'workspace'
}

export function downloadWorkspace(
  ws: WorkspaceData,
): { ok: true } | { ok: false; message: string } {
  const checked = validateWorkspace(ws)
  if (!checked.ok)
    return { ok: false, message: `${checked.problem.file}: ${checked.problem.message}` }
  const folder = folderName(ws.manifest.name)
  const bytes = zipStored({ [MANIFEST_FILE]: serializeManifest(ws.manifest), ...ws.files }, folder)
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }))
  const a = document.createElement('a')
  a.href = url
  a.download = `${folder}.zip`
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return { ok: true }
}

/** Files from a folder selection carry `webkitRelativePath` = "<folder>/<path>". */
export async function workspaceFromUpload(files: FileList): Promise<OpenResult> {
  const byPath = new Map<string, File>()
  let folder = ''
  for (const f of Array.from(files)) {
    const rel = f.webkitRelativePath || f.name
    const slash = rel.indexOf('/')
    if (slash > 0) folder = rel.slice(0, slash)
    byPath.set(slash > 0 ? rel.slice(slash + 1) : rel, f)
  }
  return readWorkspace(
    async (p) => {
      const f = byPath.get(p)
      return f ? await f.text() : null
    },
    `upload:${folder || 'folder'}`,
  )
}
