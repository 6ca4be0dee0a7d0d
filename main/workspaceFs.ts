/**
 * Workspace folders on disk (Electron main; plain Node, no Electron import, so it is unit
 * tested directly). Reading validates everything before returning; writing validates
 * everything before touching the disk, writes each file atomically, and the manifest last, so
 * an interrupted save never leaves a manifest listing files that are not there.
 */
import { readFile } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import {
  MANIFEST_FILE,
  isSafeRelativePath,
  parseManifest,
  serializeManifest,
  validateWorkspace,
  type OpenResult,
  type SaveResult,
  type WorkspaceData,
} from '../protocol/workspace'
import { atomicWriteFile } from './atomicWrite'

/** Resolves a manifest path inside `dir`, refusing anything that escapes it. */
function inside(dir: string, rel: string): string {
  const root = resolve(dir)
  const full = resolve(root, rel)
  if (!isSafeRelativePath(rel) || !full.startsWith(root + sep)) {
    throw new Error(`path escapes the workspace: ${rel}`)
  }
  return full
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
}

export async function readWorkspaceFolder(dir: string): Promise<OpenResult> {
  const manifestText = await readOrNull(join(dir, MANIFEST_FILE))
  if (manifestText === null) {
    return {
      status: 'error',
      problem: {
        file: join(dir, MANIFEST_FILE),
        message: 'not found: this folder is not an MM Workbench workspace',
      },
    }
  }
  const manifest = parseManifest(manifestText, join(dir, MANIFEST_FILE))
  if (!manifest.ok) return { status: 'error', problem: manifest.problem }
  const files: Record<string, string> = {}
  for (const rel of [...manifest.value.scripts, ...manifest.value.results]) {
    const text = await readOrNull(inside(dir, rel))
    if (text === null) {
      return {
        status: 'error',
        problem: { file: join(dir, rel), message: 'listed in the manifest but missing' },
      }
    }
    files[rel] = text
  }
  const checked = validateWorkspace({ manifest: manifest.value, files, location: dir })
  if (!checked.ok) {
    return {
      status: 'error',
      problem: { ...checked.problem, file: join(dir, checked.problem.file) },
    }
  }
  return { status: 'opened', workspace: checked.value }
}

/**
 * Writes `ws` into `dir`. Refuses, changing nothing, when `ws` is invalid or when `dir` holds
 * a manifest this version cannot read (corrupt, or written by a newer version): saving over
 * it would destroy a workspace the user may still open with the newer app.
 */
export async function writeWorkspaceFolder(dir: string, ws: WorkspaceData): Promise<SaveResult> {
  const checked = validateWorkspace(ws)
  if (!checked.ok) return { status: 'error', problem: checked.problem }
  const existing = await readOrNull(join(dir, MANIFEST_FILE))
  if (existing !== null) {
    const parsed = parseManifest(existing, join(dir, MANIFEST_FILE))
    if (!parsed.ok) return { status: 'error', problem: parsed.problem }
  }
  const targets = Object.entries(checked.value.files).map(
    ([rel, text]) => [inside(dir, rel), text] as const,
  )
  for (const [path, text] of targets) await atomicWriteFile(path, text)
  await atomicWriteFile(join(dir, MANIFEST_FILE), serializeManifest(checked.value.manifest))
  return { status: 'saved', location: dir }
}
