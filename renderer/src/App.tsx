/**
 * The workbench: toolbar, editor, and the results of the last run (chart and /proc text).
 * The editing session is mirrored to localStorage continuously, so neither an engine-host
 * crash nor a renderer reload loses unsaved text.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { WireError } from '../../protocol/messages'
import type { RunResult, SeriesPoint } from '../../protocol/result'
import { parseRunResult } from '../../protocol/guards'
import {
  describeProblem,
  newWorkspace,
  resultPathFor,
  type OpenResult,
  type SaveResult,
  type WorkspaceData,
} from '../../protocol/workspace'
import { runMarkerLines, ScriptEditor, typeDiagnostics } from './editor/ScriptEditor'
import { formatRunError } from './engine/formatError'
import { useEngine } from './engine/useEngine'
import { appendSeries } from './results/chartPlan'
import { ProcPanel } from './results/ProcPanel'
import { SeriesChart } from './results/SeriesChart'
import { Toolbar } from './Toolbar'
import { DEFAULT_SCRIPT, DEFAULT_SCRIPT_PATH } from './defaultScript'
import { createWorkspaceBackend, type SaveTarget } from './workspace/backend'
import { loadSession, storeSession, type Session } from './workspace/session'
import { WorkspaceDialog, type DialogKind } from './workspace/WorkspaceDialog'
import { usePrefersDark, useTicker } from './hooks'
import { EngineStatusLine } from './EngineStatusLine'

const CREATED_WITH = `mmwb ${import.meta.env.VITE_MMWB_VERSION ?? '0.1.0'}`

interface ResultView {
  series: Record<string, SeriesPoint[]>
  proc: Record<string, string> | null
  log: string[]
  summary: string | null
}

const EMPTY_VIEW: ResultView = { series: {}, proc: null, log: [], summary: null }

function initialSession(): Session {
  return {
    workspace: newWorkspace('untitled', DEFAULT_SCRIPT_PATH, DEFAULT_SCRIPT, CREATED_WITH),
    activePath: DEFAULT_SCRIPT_PATH,
    seed: 1,
    budgetMs: 10_000,
    savedFiles: null,
  }
}

function summaryOf(r: RunResult): string {
  return `${r.script} · seed ${r.seed} · simulated ${(r.simTimeNs / 1e6).toFixed(3)} ms · ${Math.round(r.wall.elapsedMs)} ms wall`
}

function viewOfResult(r: RunResult): ResultView {
  return { series: r.series, proc: r.proc, log: r.log, summary: summaryOf(r) }
}

/** The saved result of the active script, shown on open; opening never runs anything. */
function savedView(ws: WorkspaceData, path: string): ResultView {
  const text = ws.files[resultPathFor(path)]
  if (text === undefined) return EMPTY_VIEW
  try {
    return {
      ...viewOfResult(parseRunResult(JSON.parse(text))),
      summary: `saved result · ${resultPathFor(path)}`,
    }
  } catch {
    return EMPTY_VIEW
  }
}

function basename(path: string): string {
  return path.split('/').pop() ?? path
}

export function App() {
  const engine = useEngine()
  const backend = useMemo(() => createWorkspaceBackend(), [])
  const [session, setSession] = useState<Session>(() => loadSession() ?? initialSession())
  const [revision, setRevision] = useState(0)
  const [view, setView] = useState<ResultView>(() =>
    savedView(session.workspace, session.activePath),
  )
  const [runError, setRunError] = useState<WireError | null>(null)
  const [errorText, setErrorText] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [dialog, setDialog] = useState<DialogKind | null>(null)
  const dark = usePrefersDark()
  const nowMs = useTicker(engine.progress !== null)
  const sessionRef = useRef(session)
  sessionRef.current = session

  // Mirror the session to localStorage: soon after each change, and when the page goes away.
  useEffect(() => {
    const t = setTimeout(() => storeSession(session), 200)
    return () => clearTimeout(t)
  }, [session])
  useEffect(() => {
    const flush = () => storeSession(sessionRef.current)
    window.addEventListener('pagehide', flush)
    return () => window.removeEventListener('pagehide', flush)
  }, [])

  const filesJson = useMemo(
    () => JSON.stringify(session.workspace.files),
    [session.workspace.files],
  )
  const dirty = session.savedFiles !== filesJson

  const onEdit = useCallback((path: string, text: string) => {
    setSession((s) =>
      s.workspace.files[path] === text
        ? s
        : { ...s, workspace: { ...s.workspace, files: { ...s.workspace.files, [path]: text } } },
    )
  }, [])

  const runScript = useCallback(async () => {
    const s = sessionRef.current
    const path = s.activePath
    setRunError(null)
    setErrorText(null)
    setView(EMPTY_VIEW)
    const acc: Record<string, SeriesPoint[]> = {}
    let streamed: Record<string, SeriesPoint[]> = {}
    let frame = 0
    const log: string[] = []
    const outcome = await engine.run(
      { path: basename(path), source: s.workspace.files[path] ?? '' },
      { seed: s.seed, timeBudgetMs: s.budgetMs, stream: true },
      {
        onSeries: (more) => {
          streamed = appendSeries(acc, more)
          if (!frame) {
            frame = requestAnimationFrame(() => {
              frame = 0
              setView((v) => ({ ...v, series: streamed }))
            })
          }
        },
        onLog: (level, text) => {
          log.push(level === 'warn' ? `warning: ${text}` : text)
          setView((v) => ({ ...v, log: [...log] }))
        },
      },
    )
    if (frame) cancelAnimationFrame(frame)
    if (outcome.kind === 'result') {
      setView(viewOfResult(outcome.result))
      const rp = resultPathFor(path)
      setSession((cur) => {
        const m = cur.workspace.manifest
        return {
          ...cur,
          workspace: {
            ...cur.workspace,
            manifest: m.results.includes(rp) ? m : { ...m, results: [...m.results, rp] },
            files: { ...cur.workspace.files, [rp]: JSON.stringify(outcome.result) + '\n' },
          },
        }
      })
    } else {
      setView((v) => ({ ...v, series: streamed, log }))
      setRunError(outcome.error)
      setErrorText(formatRunError(outcome.error, s.budgetMs))
    }
  }, [engine])

  const applyOpened = useCallback((r: OpenResult) => {
    setDialog(null)
    if (r.status === 'cancelled') return
    if (r.status === 'error') {
      setErrorText(`Could not open the workspace: ${describeProblem(r.problem)}`)
      return
    }
    const ws = r.workspace
    const active = ws.manifest.scripts[0]
    if (!active) {
      setErrorText(`Could not open the workspace: ${ws.manifest.name} lists no scripts`)
      return
    }
    setSession((s) => ({
      ...s,
      workspace: ws,
      activePath: active,
      savedFiles: JSON.stringify(ws.files),
    }))
    setRevision((n) => n + 1)
    setRunError(null)
    setErrorText(null)
    setView(savedView(ws, active))
    setMessage(`Opened ${ws.manifest.name} from ${ws.location ?? 'upload'}`)
  }, [])

  const applySaved = useCallback((r: SaveResult, ws: WorkspaceData) => {
    setDialog(null)
    if (r.status === 'cancelled') return
    if (r.status === 'error') {
      setErrorText(`Could not save the workspace: ${describeProblem(r.problem)}`)
      return
    }
    setSession((s) => ({
      ...s,
      workspace: { ...s.workspace, manifest: ws.manifest, location: r.location },
      savedFiles: JSON.stringify(ws.files),
    }))
    setMessage(`Saved ${ws.manifest.name} to ${r.location}`)
  }, [])

  const guard = useCallback(async (what: string, op: () => Promise<void>) => {
    try {
      await op()
    } catch (e) {
      setErrorText(`${what} failed: ${e instanceof Error ? e.message : String(e)}`)
    }
  }, [])

  const save = () =>
    guard('Save', async () => {
      const ws = sessionRef.current.workspace
      applySaved(await backend.save(ws), ws)
    })
  const saveAs = (name: string, target: SaveTarget) =>
    guard('Save as', async () => {
      const cur = sessionRef.current.workspace
      const ws = { ...cur, manifest: { ...cur.manifest, name } }
      applySaved(await backend.saveAs(ws, target), ws)
    })

  const pickScript = (path: string) => {
    setSession((s) => ({ ...s, activePath: path }))
    setRevision((n) => n + 1)
    setView(savedView(session.workspace, path))
    setRunError(null)
    setErrorText(null)
  }

  // Hooks for the end-to-end tests (set text without the keyboard, crash engine-host).
  useEffect(() => {
    const w = window as unknown as Record<string, unknown>
    w.__mmwbTest = {
      getSource: () => sessionRef.current.workspace.files[sessionRef.current.activePath],
      setSource: (text: string) => {
        onEdit(sessionRef.current.activePath, text)
        setRevision((n) => n + 1)
      },
      crashEngine: (reason: string) => engine.simulateCrash(reason),
      runMarkerLines: () => runMarkerLines(sessionRef.current.activePath),
      typeDiagnostics: () => typeDiagnostics(sessionRef.current.activePath),
    }
  }, [engine, onEdit])

  const activeText = session.workspace.files[session.activePath] ?? ''

  return (
    <div className="app">
      <Toolbar
        canRun={engine.status.state === 'ready'}
        progress={engine.progress}
        nowMs={nowMs}
        seed={session.seed}
        budgetMs={session.budgetMs}
        scripts={session.workspace.manifest.scripts}
        activePath={session.activePath}
        workspaceName={session.workspace.manifest.name}
        dirty={dirty}
        onRun={() => void runScript()}
        onStop={engine.stop}
        onSeed={(seed) => setSession((s) => ({ ...s, seed }))}
        onBudget={(budgetMs) => setSession((s) => ({ ...s, budgetMs }))}
        onPickScript={pickScript}
        onOpen={() => setDialog('open')}
        onSave={() => void save()}
        onSaveAs={() => setDialog('save-as')}
      />
      <main className="workarea">
        <section className="editor-pane">
          <div className="pane-title">
            <span>{session.activePath}</span>
            <span className="muted">TypeScript · Ctrl+Enter runs</span>
          </div>
          <ScriptEditor
            path={session.activePath}
            text={activeText}
            revision={revision}
            dark={dark}
            runError={runError}
            onChange={onEdit}
            onRun={() => engine.status.state === 'ready' && !engine.progress && void runScript()}
          />
          {errorText && (
            <div className="error-bar" data-testid="error" role="alert">
              {errorText}
            </div>
          )}
        </section>
        <section className="results-pane">
          <section className="panel chart-panel">
            <div className="pane-title">
              <span>Series</span>
              <span className="muted">{view.summary ?? 'no run yet'}</span>
            </div>
            <SeriesChart series={view.series} />
          </section>
          <ProcPanel proc={view.proc} log={view.log} />
        </section>
      </main>
      <footer className="statusbar">
        <EngineStatusLine status={engine.status} notice={engine.notice} mode={backend.kind} />
        <span className="spacer" />
        {message && <span className="muted">{message}</span>}
      </footer>
      {dialog && (
        <WorkspaceDialog
          kind={dialog}
          backend={backend}
          currentName={session.workspace.manifest.name}
          dirty={dirty}
          onClose={() => setDialog(null)}
          onOpenRecent={(loc) =>
            void guard('Open', async () => applyOpened(await backend.openRecent(loc)))
          }
          onOpenFolder={() =>
            void guard('Open', async () => applyOpened(await backend.openFolder()))
          }
          onUpload={(files) =>
            void guard('Upload', async () => applyOpened(await backend.upload(files)))
          }
          onSaveAs={(name, target) => void saveAs(name, target)}
        />
      )}
    </div>
  )
}
