/**
 * The example workspaces shipped in resources/examples/<name>/ (each a folder with an
 * mmwb-workspace.json), bundled into the build as text and validated exactly like a folder
 * opened from disk. Opening one only loads its text.
 */
import {
  MANIFEST_FILE,
  parseManifest,
  validateWorkspace,
  type WorkspaceData,
} from '../../../protocol/workspace'

const RAW = import.meta.glob(
  [
    '../../../resources/examples/*/mmwb-workspace.json',
    '../../../resources/examples/*/scripts/**/*.ts',
    '../../../resources/examples/*/results/**/*.json',
  ],
  { query: '?raw', import: 'default', eager: true },
) as Record<string, string>

export interface ExampleWorkspace {
  /** Folder name under resources/examples. */
  id: string
  name: string
  /** The first comment of the first script: what the example shows. */
  summary: string
  workspace: WorkspaceData
}

/** Files of each example folder, keyed by path relative to the folder. */
function byFolder(raw: Record<string, string>): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>()
  for (const [path, text] of Object.entries(raw)) {
    const m = /resources\/examples\/([^/]+)\/(.+)$/.exec(path)
    if (!m) continue
    const files = out.get(m[1]!) ?? {}
    files[m[2]!] = text
    out.set(m[1]!, files)
  }
  return out
}

/** The leading block or line comment of a script, as one sentence-ish line. */
export function leadingComment(source: string): string {
  const block = /^\s*\/\*\*?([\s\S]*?)\*\//.exec(source)
  const text = block
    ? block[1]!.replace(/^\s*\* ?/gm, '')
    : (source.match(/^(\s*\/\/.*\n)+/)?.[0] ?? '').replace(/^\s*\/\/ ?/gm, '')
  return text
    .trim()
    .split(/\n\s*\n/)[0]!
    .replace(/\s+/g, ' ')
}

export function loadExamples(raw: Record<string, string> = RAW): ExampleWorkspace[] {
  const out: ExampleWorkspace[] = []
  for (const [id, files] of byFolder(raw)) {
    const manifestText = files[MANIFEST_FILE]
    if (manifestText === undefined) continue
    const manifest = parseManifest(manifestText, `${id}/${MANIFEST_FILE}`)
    if (!manifest.ok) continue
    const listed = [...manifest.value.scripts, ...manifest.value.results]
    const wsFiles = Object.fromEntries(
      listed.filter((p) => files[p] !== undefined).map((p) => [p, files[p]!]),
    )
    const checked = validateWorkspace({ manifest: manifest.value, files: wsFiles })
    if (!checked.ok) continue
    const first = manifest.value.scripts[0]
    out.push({
      id,
      name: manifest.value.name,
      summary: first ? leadingComment(wsFiles[first] ?? '') : '',
      workspace: checked.value,
    })
  }
  return out.sort((a, b) => a.id.localeCompare(b.id))
}
