/**
 * Workspace folders through the File System Access API (Chromium): the web-mode counterpart
 * of the desktop's native folder dialog. Each file is written with createWritable(), which
 * writes a swap file and replaces the target on close(), so a file is never half-written;
 * the manifest is written last so a torn save never lists files that are not there.
 */
import {
  MANIFEST_FILE,
  parseManifest,
  serializeManifest,
  validateWorkspace,
  type OpenResult,
  type SaveResult,
  type WorkspaceData,
} from '../../../protocol/workspace'
import { readWorkspace } from './readWorkspace'

interface DirectoryPickerOptions {
  id?: string
  mode?: 'read' | 'readwrite'
}
type PickerWindow = Window & {
  showDirectoryPicker?: (o?: DirectoryPickerOptions) => Promise<FileSystemDirectoryHandle>
}

export const FOLDER_PREFIX = 'folder:'

/** Handles of folders the user picked in this page session, by location. */
const handles = new Map<string, FileSystemDirectoryHandle>()

export function folderAccessAvailable(): boolean {
  return typeof (window as PickerWindow).showDirectoryPicker === 'function'
}

export function hasFolderHandle(location: string | undefined): boolean {
  return location !== undefined && handles.has(location)
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError'
}

async function pick(mode: 'read' | 'readwrite'): Promise<FileSystemDirectoryHandle | null> {
  try {
    return await (window as PickerWindow).showDirectoryPicker!({ id: 'mmwb-workspace', mode })
  } catch (e) {
    if (isAbort(e)) return null
    throw e
  }
}

async function dirOf(
  root: FileSystemDirectoryHandle,
  parts: string[],
  create: boolean,
): Promise<FileSystemDirectoryHandle | null> {
  let dir = root
  for (const part of parts) {
    try {
      dir = await dir.getDirectoryHandle(part, { create })
    } catch (e) {
      if (e instanceof DOMException && e.name === 'NotFoundError') return null
      throw e
    }
  }
  return dir
}

async function readText(root: FileSystemDirectoryHandle, path: string): Promise<string | null> {
  const parts = path.split('/')
  const dir = await dirOf(root, parts.slice(0, -1), false)
  if (!dir) return null
  try {
    const file = await (await dir.getFileHandle(parts[parts.length - 1]!)).getFile()
    return await file.text()
  } catch (e) {
    if (e instanceof DOMException && e.name === 'NotFoundError') return null
    throw e
  }
}

async function writeText(
  root: FileSystemDirectoryHandle,
  path: string,
  text: string,
): Promise<void> {
  const parts = path.split('/')
  const dir = (await dirOf(root, parts.slice(0, -1), true))!
  const handle = await dir.getFileHandle(parts[parts.length - 1]!, { create: true })
  const out = await handle.createWritable()
  await out.write(text)
  await out.close()
}

export async function openFolder(): Promise<OpenResult> {
  const root = await pick('read')
  if (!root) return { status: 'cancelled' }
  const location = FOLDER_PREFIX + root.name
  const result = await readWorkspace((p) => readText(root, p), location)
  if (result.status === 'opened') handles.set(location, root)
  return result
}

async function writeWorkspace(
  root: FileSystemDirectoryHandle,
  ws: WorkspaceData,
): Promise<SaveResult> {
  const checked = validateWorkspace(ws)
  if (!checked.ok) return { status: 'error', problem: checked.problem }
  // Never overwrite a workspace this version cannot read (a newer or corrupt manifest).
  const existing = await readText(root, MANIFEST_FILE)
  if (existing !== null) {
    const parsed = parseManifest(existing)
    if (!parsed.ok) return { status: 'error', problem: parsed.problem }
  }
  for (const [path, text] of Object.entries(ws.files)) await writeText(root, path, text)
  await writeText(root, MANIFEST_FILE, serializeManifest(ws.manifest))
  const location = FOLDER_PREFIX + root.name
  handles.set(location, root)
  return { status: 'saved', location }
}

export async function saveToFolder(ws: WorkspaceData): Promise<SaveResult> {
  const root = ws.location ? handles.get(ws.location) : undefined
  if (root) return writeWorkspace(root, ws)
  return saveFolderAs(ws)
}

export async function saveFolderAs(ws: WorkspaceData): Promise<SaveResult> {
  const root = await pick('readwrite')
  if (!root) return { status: 'cancelled' }
  return writeWorkspace(root, ws)
}
