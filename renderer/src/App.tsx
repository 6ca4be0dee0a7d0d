/**
 * The workbench: workspace explorer and run panel on the left, editor tabs in the middle,
 * results (charts, comparison, welcome) and the /proc files on the right. The editing session
 * is mirrored to localStorage continuously, so neither an engine-host crash nor a renderer
 * reload loses unsaved text; workspaces saved in the browser are also autosaved.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { WireError } from '../../protocol/messages'
import { makeExperiment } from '../../protocol/results/experiment'
import { newWorkspace, type WorkspaceData } from '../../protocol/workspace'
import { runMarkerLines, ScriptEditor, typeDiagnostics } from './editor/ScriptEditor'
import { formatRunError } from './engine/formatError'
import { useEngine } from './engine/useEngine'
import { EditorTabs } from './layout/EditorTabs'
import { Explorer } from './layout/Explorer'
import { TrustDialog } from './layout/TrustDialog'
import { pageTheme, type ChartContext } from './results/chartSetup'
import { variantColours } from './results/palette'
import { ProcPanel } from './results/ProcPanel'
import { ResultsArea, type ResultsTab } from './results/ResultsArea'
import { parseSeeds, runKey } from './run/experimentPlan'
import { configErrorField, formOverride, MACHINE_FIELDS } from './run/machineFields'
import { RunPanel } from './run/RunPanel'
import { useDescribe } from './run/useDescribe'
import { useExperiment } from './run/useExperiment'
import { Toolbar } from './Toolbar'
import { DEFAULT_SCRIPT, DEFAULT_SCRIPT_PATH } from './defaultScript'
import { loadExamples, type ExampleWorkspace } from './welcome/examples'
import { Welcome } from './welcome/Welcome'
import { createWorkspaceBackend } from './workspace/backend'
import { loadExperiment, withExperiment } from './workspace/experimentFiles'
import { loadSession, SESSION_DEFAULTS, storeSession, type Session } from './workspace/session'
import { trustLocation } from './workspace/trust'
import { WorkspaceDialog, type DialogKind } from './workspace/WorkspaceDialog'
import { useWorkspaceActions } from './workspace/useWorkspaceActions'
import { usePrefersDark, useShortcuts, useTicker } from './hooks'
import { EngineStatusLine } from './EngineStatusLine'
import { MemoryMapTab } from './results/MemoryMapTab'
import { useResultsView } from './results/useResultsView'
import { useScriptTabs } from './layout/useScriptTabs'

const CREATED_WITH = `mmwb ${import.meta.env.VITE_MMWB_VERSION ?? '0.1.0'}`
const EXAMPLES = loadExamples()

function sessionFor(ws: WorkspaceData, trusted: boolean, prev?: Session): Session {
  const first = ws.manifest.scripts[0]!
  return {
    ...SESSION_DEFAULTS,
    seed: prev?.seed ?? 1,
    budgetMs: prev?.budgetMs ?? 10_000,
    workspace: ws,
    activePath: first,
    openTabs: [first],
    savedFiles: ws.location || trusted ? JSON.stringify(ws.files) : null,
    trusted,
    machine: {},
  }
}

function initialSession(): Session {
  const ws = newWorkspace('untitled', DEFAULT_SCRIPT_PATH, DEFAULT_SCRIPT, CREATED_WITH)
  return { ...sessionFor(ws, true), savedFiles: null }
}

function basename(path: string): string {
  return path.split('/').pop() ?? path
}

export function App() {
  const engine = useEngine()
  const backend = useMemo(() => createWorkspaceBackend(), [])
  const [session, setSession] = useState<Session>(() => loadSession() ?? initialSession())
  const [revision, setRevision] = useState(0)
  const [runError, setRunError] = useState<WireError | null>(null)
  const [errorText, setErrorText] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [dialog, setDialog] = useState<DialogKind | 'trust' | null>(null)
  const [tab, setTab] = useState<ResultsTab>(() =>
    loadExperiment(session.workspace, session.activePath) ? 'series' : 'welcome',
  )
  const [selectedRun, setSelectedRun] = useState<string | null>(null)
  const dark = usePrefersDark()
  const nowMs = useTicker(engine.progress !== null)
  const sessionRef = useRef(session)
  sessionRef.current = session
  /** Bumped whenever another workspace is opened. */
  const epochRef = useRef(0)

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

  const { workspace: ws, activePath } = session
  const filesJson = useMemo(() => JSON.stringify(ws.files), [ws.files])
  const dirty = session.savedFiles !== filesJson
  const dirtyPaths = useMemo(() => {
    const saved = session.savedFiles
      ? (JSON.parse(session.savedFiles) as Record<string, string>)
      : {}
    return new Set(Object.keys(ws.files).filter((p) => saved[p] !== ws.files[p]))
  }, [ws.files, session.savedFiles])

  const experiment = useMemo(() => loadExperiment(ws, activePath), [ws, activePath])
  const exp = useExperiment(engine, {
    onResult: (path, plan, results, tag) => {
      if (tag !== epochRef.current) return // the workspace was replaced meanwhile
      const script = basename(path)
      const e = makeExperiment(script, plan.variants, plan.seeds, results)
      setSession((s) => ({ ...s, workspace: withExperiment(s.workspace, path, e) }))
      setSelectedRun(runKey(results.at(-1)!.variant, results.at(-1)!.seed))
    },
    onError: (error) => {
      setRunError(error)
      setErrorText(formatRunError(error, sessionRef.current.budgetMs))
    },
  })
  const running = exp.state?.running ?? false
  const machineOverride = useMemo(() => formOverride(session.machine), [session.machine])
  const activeText = ws.files[activePath] ?? ''
  const described = useDescribe(engine, activePath, activeText, machineOverride, !running)
  const description = described?.description ?? null

  const engineErrors = useMemo(() => {
    const e = described?.error
    if (!e || e.name !== 'ConfigError') return {}
    const f = configErrorField(e.message)
    return f && MACHINE_FIELDS.some((d) => d.name === f.field) ? { [f.field]: f.problem } : {}
  }, [described])

  const labels = useMemo(() => {
    const vs = experiment?.variants.length ? experiment.variants : (description?.variants ?? [])
    return vs.length ? vs : ['base']
  }, [experiment, description])
  const ctx: ChartContext = useMemo(
    () => ({ colours: variantColours(labels), theme: pageTheme() }),
    // `dark` re-reads the theme: its colours are CSS variables that follow the system.
    [labels, dark],
  )

  const seedsParsed = session.seedsText.trim() === '' ? null : parseSeeds(session.seedsText)
  const seedsError = typeof seedsParsed === 'string' ? seedsParsed : null

  const onEdit = useCallback((path: string, text: string) => {
    setSession((s) =>
      s.workspace.files[path] === text
        ? s
        : { ...s, workspace: { ...s.workspace, files: { ...s.workspace.files, [path]: text } } },
    )
  }, [])

  const startRun = useCallback(() => {
    const s = sessionRef.current
    if (running || engine.status.state !== 'ready') return
    if (!s.trusted) {
      setDialog('trust')
      return
    }
    const override = formOverride(s.machine)
    const parsed = s.seedsText.trim() === '' ? null : parseSeeds(s.seedsText)
    if (override === null || typeof parsed === 'string') {
      setErrorText(
        'Fix the run panel first: ' + (override === null ? 'the machine form has errors' : parsed),
      )
      return
    }
    const declared = description?.variants ?? []
    const variants = s.selectedVariants
      ? declared.filter((v) => s.selectedVariants!.includes(v))
      : declared
    if (declared.length > 0 && variants.length === 0) {
      setErrorText('Choose at least one variant to run.')
      return
    }
    const seeds = parsed ?? (description?.seeds.length ? description.seeds : [s.seed])
    setRunError(null)
    setErrorText(null)
    setSelectedRun(null)
    setTab((t) => (t === 'welcome' ? 'series' : t))
    void exp.start({
      path: s.activePath,
      script: { path: basename(s.activePath), source: s.workspace.files[s.activePath] ?? '' },
      plan: { variants, seeds },
      budgetMs: s.budgetMs,
      machine: Object.keys(override).length > 0 ? override : undefined,
      tag: epochRef.current,
    })
  }, [running, engine.status.state, description, exp])

  const openWorkspace = useCallback(
    (ws: WorkspaceData, trusted: boolean, note: string) => {
      // A run of the old workspace must not write its results into the new one.
      exp.stop()
      epochRef.current++
      setDialog(null)
      setSession((s) => sessionFor(ws, trusted, s))
      setRevision((n) => n + 1)
      setRunError(null)
      setErrorText(null)
      setSelectedRun(null)
      exp.setState(null)
      setTab(loadExperiment(ws, ws.manifest.scripts[0]!) ? 'series' : 'welcome')
      setMessage(note)
    },
    [exp],
  )

  const { applyOpened, guard, save, saveAs } = useWorkspaceActions({
    backend,
    sessionRef,
    setSession,
    openWorkspace,
    showDialog: setDialog,
    showError: setErrorText,
    showMessage: setMessage,
    autosave: dirty && !running && !!ws.location?.startsWith('browser:'),
    filesJson,
  })
  const openExample = (ex: ExampleWorkspace) =>
    openWorkspace(structuredClone(ex.workspace), true, `Opened example ${ex.name}`)

  useShortcuts({ onRun: startRun, onSave: () => void save() })

  const { openScript, closeTab, newScript } = useScriptTabs(setSession, (path) => {
    if (ws.files[path] === undefined) return true
    setErrorText(`${path} already exists`)
    return false
  })
  const pickScript = (path: string) => {
    openScript(path)
    setSelectedRun(null)
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
      workspaceFiles: () => sessionRef.current.workspace.files,
    }
  }, [engine, onEdit])

  const live = exp.state?.path === activePath ? exp.state : null
  const { seriesRuns, shownRun, summary, map, fetchPages, trace } = useResultsView(
    experiment,
    live,
    selectedRun,
    engine.mapPage,
  )

  return (
    <div className="app">
      <Toolbar
        canRun={engine.status.state === 'ready' && !running}
        running={running}
        progress={engine.progress}
        runCount={
          exp.state && exp.state.entries.length > 1
            ? `run ${Math.min(
                exp.state.entries.length,
                exp.state.entries.filter((e) => e.status !== 'queued').length,
              )} of ${exp.state.entries.length}`
            : null
        }
        nowMs={nowMs}
        workspaceName={ws.manifest.name}
        dirty={dirty}
        onRun={startRun}
        onStop={exp.stop}
        onWelcome={() => setTab('welcome')}
        onOpen={() => setDialog('open')}
        onSave={() => void save()}
        onSaveAs={() => setDialog('save-as')}
      />
      <main className="workarea">
        <aside className="sidebar">
          <Explorer
            name={ws.manifest.name}
            scripts={ws.manifest.scripts}
            results={ws.manifest.results}
            activePath={activePath}
            dirtyPaths={dirtyPaths}
            workspaceDirty={dirty}
            trusted={session.trusted}
            onOpenScript={pickScript}
            onNewScript={newScript}
          />
          <RunPanel
            description={description}
            describeError={described?.error ?? null}
            selectedVariants={session.selectedVariants}
            onVariants={(v) => setSession((s) => ({ ...s, selectedVariants: v }))}
            seedsText={session.seedsText}
            seedsError={seedsError}
            onSeeds={(t) => setSession((s) => ({ ...s, seedsText: t }))}
            budgetMs={session.budgetMs}
            onBudget={(budgetMs) => setSession((s) => ({ ...s, budgetMs }))}
            machine={session.machine}
            engineErrors={engineErrors}
            onMachine={(m) => setSession((s) => ({ ...s, machine: m as Record<string, string> }))}
            entries={live?.entries ?? []}
            colours={ctx.colours}
            selectedKey={shownRun ? runKey(shownRun.variant, shownRun.seed) : null}
            onSelectRun={setSelectedRun}
          />
        </aside>
        <section className="editor-pane">
          <EditorTabs
            tabs={session.openTabs}
            active={activePath}
            dirtyPaths={dirtyPaths}
            onSelect={pickScript}
            onClose={closeTab}
          />
          <ScriptEditor
            path={activePath}
            text={activeText}
            revision={revision}
            dark={dark}
            runError={runError}
            onChange={onEdit}
            onRun={startRun}
          />
          {errorText && (
            <div className="error-bar" data-testid="error" role="alert">
              {errorText}
            </div>
          )}
        </section>
        <section className="results-pane">
          <ResultsArea
            tab={tab}
            onTab={setTab}
            experiment={experiment}
            seriesRuns={seriesRuns}
            summary={summary}
            ctx={ctx}
            createdWith={CREATED_WITH}
            memmap={<MemoryMapTab map={map} fetchPages={fetchPages} dark={dark} />}
            mapFrames={map?.frames ?? null}
            trace={trace}
            welcome={
              <Welcome
                examples={EXAMPLES}
                backend={backend}
                onOpenExample={openExample}
                onOpenRecent={(loc) =>
                  void guard('Open', async () => applyOpened(await backend.openRecent(loc)))
                }
                onOpen={() => setDialog('open')}
                onNew={() => openWorkspace(initialSession().workspace, true, 'New workspace')}
              />
            }
          />
          <ProcPanel proc={shownRun?.proc ?? null} log={live?.log ?? shownRun?.log ?? []} />
        </section>
      </main>
      <footer className="statusbar">
        <EngineStatusLine status={engine.status} notice={engine.notice} mode={backend.kind} />
        <span className="spacer" />
        {message && <span className="muted">{message}</span>}
      </footer>
      {dialog === 'trust' && (
        <TrustDialog
          name={ws.manifest.name}
          location={ws.location ?? 'elsewhere'}
          onCancel={() => setDialog(null)}
          onTrust={() => {
            if (ws.location) trustLocation(ws.location)
            setSession((s) => ({ ...s, trusted: true }))
            sessionRef.current = { ...sessionRef.current, trusted: true }
            setDialog(null)
            startRun()
          }}
        />
      )}
      {(dialog === 'open' || dialog === 'save-as') && (
        <WorkspaceDialog
          kind={dialog}
          backend={backend}
          currentName={ws.manifest.name}
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
