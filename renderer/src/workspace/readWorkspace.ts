/**
 * Reads a workspace from any file source (a File System Access folder, an uploaded folder,
 * browser storage) and validates it with the same rules Electron main uses. Only text is
 * read: opening a workspace never runs its scripts.
 */
import {
  MANIFEST_FILE,
  parseManifest,
  validateWorkspace,
  type OpenResult,
} from '../../../protocol/workspace'

/** Returns a file's text, or null when it does not exist. */
export type ReadText = (relativePath: string) => Promise<string | null>

export async function readWorkspace(read: ReadText, location: string): Promise<OpenResult> {
  const manifestText = await read(MANIFEST_FILE)
  if (manifestText === null) {
    return {
      status: 'error',
      problem: {
        file: MANIFEST_FILE,
        message: `not found in ${location}: this is not an MM Workbench workspace`,
      },
    }
  }
  const manifest = parseManifest(manifestText)
  if (!manifest.ok) return { status: 'error', problem: manifest.problem }
  const files: Record<string, string> = {}
  for (const path of [...manifest.value.scripts, ...manifest.value.results]) {
    const text = await read(path)
    if (text === null) {
      return {
        status: 'error',
        problem: { file: path, message: 'listed in the manifest but missing' },
      }
    }
    files[path] = text
  }
  const checked = validateWorkspace({ manifest: manifest.value, files, location })
  if (!checked.ok) return { status: 'error', problem: checked.problem }
  return { status: 'opened', workspace: checked.value }
}
