/**
 * The Monaco editor of the active workload script. One model per script path
 * (file:///scripts/hello.ts) so run errors can be pinned to the right file as markers.
 */
import { useEffect, useRef } from 'react'
import type { WireError } from '../../../protocol/messages'
import { modelUri, monaco, RUN_MARKER_OWNER } from './monacoSetup'

export interface ScriptEditorProps {
  path: string
  /** Text to load when the model for `path` does not exist yet, or when `revision` changes. */
  text: string
  /** Bumped by the app when `text` must replace the model's content (workspace opened). */
  revision: number
  dark: boolean
  /** The last run's error, pinned as a marker when it names this file. */
  runError: WireError | null
  onChange(path: string, text: string): void
  /** Ctrl/Cmd+Enter runs the script. */
  onRun(): void
}

function getModel(path: string, text: string): monaco.editor.ITextModel {
  const uri = modelUri(path)
  return monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, 'typescript', uri)
}

export function ScriptEditor(props: ScriptEditorProps) {
  const hostRef = useRef<HTMLDivElement>(null)
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null)
  const propsRef = useRef(props)
  propsRef.current = props

  useEffect(() => {
    const editor = monaco.editor.create(hostRef.current!, {
      model: getModel(propsRef.current.path, propsRef.current.text),
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      tabSize: 2,
      fixedOverflowWidgets: true,
      renderLineHighlight: 'line',
    })
    editor.onDidChangeModelContent(() => {
      const model = editor.getModel()
      if (!model) return
      propsRef.current.onChange(propsRef.current.path, model.getValue())
    })
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => propsRef.current.onRun())
    editorRef.current = editor
    return () => {
      editor.dispose()
      editorRef.current = null
    }
  }, [])

  // Switch model on path change; replace content when the app loads a workspace. `text` is
  // deliberately not a dependency: typing changes it, and must not reset the model.
  useEffect(() => {
    const editor = editorRef.current
    if (!editor) return
    const model = getModel(props.path, props.text)
    if (model.getValue() !== props.text) model.setValue(props.text)
    if (editor.getModel() !== model) editor.setModel(model)
  }, [props.path, props.revision])

  useEffect(() => {
    monaco.editor.setTheme(props.dark ? 'vs-dark' : 'vs')
  }, [props.dark])

  useEffect(() => {
    for (const model of monaco.editor.getModels()) {
      monaco.editor.setModelMarkers(model, RUN_MARKER_OWNER, [])
    }
    const loc = props.runError?.location
    if (!loc) return
    const model = monaco.editor.getModel(modelUri(props.path))
    if (!model || !sameFile(loc.file, props.path)) return
    const line = Math.min(Math.max(1, loc.line), model.getLineCount())
    const column = loc.column ?? model.getLineFirstNonWhitespaceColumn(line) ?? 1
    monaco.editor.setModelMarkers(model, RUN_MARKER_OWNER, [
      {
        severity: monaco.MarkerSeverity.Error,
        message: `${props.runError!.name}: ${props.runError!.message}`,
        startLineNumber: line,
        startColumn: Math.max(1, column),
        endLineNumber: line,
        endColumn: model.getLineMaxColumn(line),
      },
    ])
    editorRef.current?.revealLineInCenterIfOutsideViewport(line)
  }, [props.runError, props.path])

  return <div className="editor-host" data-testid="editor" ref={hostRef} />
}

/** The host names the file by the display path it was given; accept a bare basename too. */
function sameFile(file: string, path: string): boolean {
  return file === path || path.endsWith('/' + file) || file.endsWith('/' + path)
}

/** Monaco's own TypeScript warnings and errors of `path`, as "line: message" (for the e2e test hook). */
export function typeDiagnostics(path: string): string[] {
  return monaco.editor
    .getModelMarkers({ resource: modelUri(path) })
    .filter((m) => m.owner !== RUN_MARKER_OWNER && m.severity >= monaco.MarkerSeverity.Warning)
    .map((m) => `${m.startLineNumber}: ${m.message}`)
}

/** Lines of `path` that carry a run-error marker (for the e2e test hook). */
export function runMarkerLines(path: string): number[] {
  return monaco.editor
    .getModelMarkers({ owner: RUN_MARKER_OWNER, resource: modelUri(path) })
    .map((m) => m.startLineNumber)
}
