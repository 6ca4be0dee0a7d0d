/**
 * The workspace format, shared by Electron main (folder I/O) and the renderer (web mode).
 *
 * A workspace is a folder:
 *   mmwb-workspace.json   the manifest (this file's WorkspaceManifest)
 *   scripts/*.ts          workload scripts, listed in manifest.scripts
 *   results/*.json        saved RunResults, listed in manifest.results
 *
 * No Node or DOM imports: the same validation runs in every process, so a manifest that one
 * side rejects the other rejects too. Opening a workspace only reads text; it never runs scripts.
 */

/** Bumped on any incompatible change of the manifest; newer manifests are refused, not guessed. */
export const WORKSPACE_FORMAT_VERSION = 1
export const MANIFEST_FILE = 'mmwb-workspace.json'

export interface WorkspaceManifest {
  formatVersion: number
  /** Display name of the workspace. */
  name: string
  /** Script paths relative to the workspace folder, e.g. "scripts/hello.ts". */
  scripts: string[]
  /** Saved result paths relative to the workspace folder, e.g. "results/hello.json". */
  results: string[]
  /** The application and version that wrote the manifest, e.g. "mmwb 0.1.0". */
  createdWith: string
}

/** A workspace in memory: its manifest and the text of every file it lists. */
export interface WorkspaceData {
  manifest: WorkspaceManifest
  /** Relative path -> file text, for every path in manifest.scripts and manifest.results. */
  files: Record<string, string>
  /** Where it lives: a folder path (desktop) or a store key (web); absent when never saved. */
  location?: string
}

/** What is wrong, naming the file and, where it applies, the manifest field. */
export interface WorkspaceProblem {
  file: string
  field?: string
  message: string
}

export type OpenResult =
  | { status: 'opened'; workspace: WorkspaceData }
  | { status: 'cancelled' }
  | { status: 'error'; problem: WorkspaceProblem }

export type SaveResult =
  | { status: 'saved'; location: string }
  | { status: 'cancelled' }
  | { status: 'error'; problem: WorkspaceProblem }

export interface RecentWorkspace {
  location: string
  name: string
  /** When it was last opened or saved, ms since the epoch. */
  openedAtMs: number
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: WorkspaceProblem }

/** One-line human description of a problem: `mmwb-workspace.json: formatVersion: …`. */
export function describeProblem(p: WorkspaceProblem): string {
  return p.field ? `${p.file}: field "${p.field}": ${p.message}` : `${p.file}: ${p.message}`
}

/**
 * A path inside the workspace: relative, forward slashes, no "." or ".." segments, no
 * drive letters or backslashes. Anything else could write outside the folder.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > 255) return false
  if (path.startsWith('/') || path.includes('\\') || path.includes('\0') || /^[a-zA-Z]:/.test(path))
    return false
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..')
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function checkPathList(
  obj: Record<string, unknown>,
  field: 'scripts' | 'results',
  suffix: string,
  file: string,
): Checked<string[]> {
  const list = obj[field]
  if (!Array.isArray(list)) {
    return { ok: false, problem: { file, field, message: 'must be an array of relative paths' } }
  }
  const seen = new Set<string>()
  for (let i = 0; i < list.length; i++) {
    const p: unknown = list[i]
    const at = `${field}[${i}]`
    if (typeof p !== 'string' || !isSafeRelativePath(p)) {
      return {
        ok: false,
        problem: {
          file,
          field: at,
          message: `must be a relative path inside the workspace (got ${JSON.stringify(p)})`,
        },
      }
    }
    if (!p.endsWith(suffix)) {
      return {
        ok: false,
        problem: { file, field: at, message: `must end in ${suffix} (got "${p}")` },
      }
    }
    if (seen.has(p)) {
      return { ok: false, problem: { file, field: at, message: `"${p}" is listed twice` } }
    }
    seen.add(p)
  }
  return { ok: true, value: list as string[] }
}

/** Validates a parsed manifest object. `file` names the manifest in problems. */
export function validateManifest(raw: unknown, file = MANIFEST_FILE): Checked<WorkspaceManifest> {
  if (!isRecord(raw)) {
    return { ok: false, problem: { file, message: 'the manifest must be a JSON object' } }
  }
  const v = raw.formatVersion
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    return {
      ok: false,
      problem: {
        file,
        field: 'formatVersion',
        message: `must be a positive integer (got ${JSON.stringify(v)})`,
      },
    }
  }
  if (v > WORKSPACE_FORMAT_VERSION) {
    return {
      ok: false,
      problem: {
        file,
        field: 'formatVersion',
        message: `version ${v} was written by a newer MM Workbench; this one reads version ${WORKSPACE_FORMAT_VERSION}. Nothing was changed.`,
      },
    }
  }
  if (typeof raw.name !== 'string' || raw.name.trim() === '') {
    return { ok: false, problem: { file, field: 'name', message: 'must be a non-empty string' } }
  }
  if (typeof raw.createdWith !== 'string') {
    return { ok: false, problem: { file, field: 'createdWith', message: 'must be a string' } }
  }
  const scripts = checkPathList(raw, 'scripts', '.ts', file)
  if (!scripts.ok) return scripts
  const results = checkPathList(raw, 'results', '.json', file)
  if (!results.ok) return results
  return {
    ok: true,
    value: {
      formatVersion: v,
      name: raw.name,
      scripts: scripts.value,
      results: results.value,
      createdWith: raw.createdWith,
    },
  }
}

/** Parses and validates manifest text (what lies on disk). */
export function parseManifest(text: string, file = MANIFEST_FILE): Checked<WorkspaceManifest> {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e)
    return { ok: false, problem: { file, message: `not valid JSON (${why})` } }
  }
  return validateManifest(raw, file)
}

export function serializeManifest(m: WorkspaceManifest): string {
  const ordered: WorkspaceManifest = {
    formatVersion: m.formatVersion,
    name: m.name,
    scripts: m.scripts,
    results: m.results,
    createdWith: m.createdWith,
  }
  return JSON.stringify(ordered, null, 2) + '\n'
}

/**
 * Validates a whole in-memory workspace before anything is written or shown: the manifest,
 * that every listed file has text, that no unlisted file rides along, and that every saved
 * result is JSON. Returns the problem naming the first offending file.
 */
export function validateWorkspace(ws: WorkspaceData): Checked<WorkspaceData> {
  const m = validateManifest(ws.manifest)
  if (!m.ok) return m
  if (!isRecord(ws.files)) {
    return { ok: false, problem: { file: MANIFEST_FILE, message: 'workspace has no file table' } }
  }
  const listed = [...m.value.scripts, ...m.value.results]
  for (const path of listed) {
    if (typeof ws.files[path] !== 'string') {
      return { ok: false, problem: { file: path, message: 'listed in the manifest but missing' } }
    }
  }
  for (const path of Object.keys(ws.files)) {
    if (!listed.includes(path)) {
      return { ok: false, problem: { file: path, message: 'not listed in the manifest' } }
    }
  }
  for (const path of m.value.results) {
    try {
      JSON.parse(ws.files[path]!)
    } catch {
      return { ok: false, problem: { file: path, message: 'saved result is not valid JSON' } }
    }
  }
  return { ok: true, value: { ...ws, manifest: m.value } }
}

/** A fresh one-script workspace. */
export function newWorkspace(
  name: string,
  scriptPath: string,
  source: string,
  createdWith: string,
): WorkspaceData {
  return {
    manifest: {
      formatVersion: WORKSPACE_FORMAT_VERSION,
      name,
      scripts: [scriptPath],
      results: [],
      createdWith,
    },
    files: { [scriptPath]: source },
  }
}

/** Where the saved result of a script goes: scripts/hello.ts -> results/hello.json. */
export function resultPathFor(scriptPath: string): string {
  const base = scriptPath.split('/').pop()!.replace(/\.ts$/, '')
  return `results/${base}.json`
}
