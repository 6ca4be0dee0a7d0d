/**
 * Monaco, bundled for offline use: workers come from the bundle (Vite `?worker`), never a CDN,
 * and the workload API's declaration file is loaded as the `mmwb` package so that
 * `import { GFP_KERNEL, type Kernel } from 'mmwb'` gets completions and diagnostics.
 *
 * In monaco-editor 0.57 the TypeScript API lives in its own module (`monaco.typescript` in the
 * full build); the old `monaco.languages.typescript` is undefined at runtime.
 */
// The lean entry points: the editor core, its features, and TypeScript only (the full
// 'monaco-editor' entry also bundles ~80 other languages and the css/html/json workers).
import * as monaco from 'monaco-editor/editor'
import 'monaco-editor/features/register.all'
import 'monaco-editor/languages/definitions/typescript/register'
import * as ts from 'monaco-editor/languages/features/typescript/register'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import TsWorker from 'monaco-editor/language/typescript/ts.worker?worker'
import mmwbDts from '../../../engine/api/mmwb.d.ts?raw'

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    if (label === 'typescript' || label === 'javascript') return new TsWorker()
    return new EditorWorker()
  },
}

ts.typescriptDefaults.setCompilerOptions({
  target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.NodeJs,
  strict: true,
  noEmit: true,
  allowNonTsExtensions: true,
  lib: ['es2020'],
})
ts.typescriptDefaults.setEagerModelSync(true)
ts.typescriptDefaults.addExtraLib(mmwbDts, 'file:///node_modules/mmwb/index.d.ts')

// The sandbox's only global besides the language's own (lib es2020, no DOM: scripts have no
// window, timers or fetch). Its output goes to the run log (engine/api/guestKernel.ts).
const SANDBOX_GLOBALS = `/** Writes to the run log (the workbench's "console" tab, the CLI's output). */
declare const console: {
  log(...data: unknown[]): void
  info(...data: unknown[]): void
  debug(...data: unknown[]): void
  /** Logged as a warning. */
  warn(...data: unknown[]): void
  /** Logged as a warning. */
  error(...data: unknown[]): void
}
`
ts.typescriptDefaults.addExtraLib(SANDBOX_GLOBALS, 'file:///mmwb-sandbox-globals.d.ts')

/** The owner of markers set from run errors (Monaco's own diagnostics use another owner). */
export const RUN_MARKER_OWNER = 'mmwb-run'

export function modelUri(path: string): monaco.Uri {
  return monaco.Uri.parse(`file:///${path}`)
}

export { monaco }
