/**
 * The workbench: workspace explorer and run panel on the left, editor tabs in the middle,
 * results (charts, comparison, welcome) and the /proc files on the right. The editing session
 * is mirrored to localStorage continuously, so neither an engine-host crash nor a renderer
 * reload loses unsaved text; workspaces saved in the browser are also autosaved.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { WireError } from '../../protocol/messages'
import { makeExperiment } from '../../protocol/results/experiment'
import { variantLabel } from '../../protocol/results/experiment'
import {
  describeProblem,
  newWorkspace,
  type OpenResult,
  type SaveResult,
  type WorkspaceData,
} from '../../protocol/workspace'
import { runMarkerLines, ScriptEditor, typeDiagnostics } from './editor/ScriptEditor'
import { formatRunError } from './engine/formatError'
import { useEngine } from './engine/useEngine'
import { EditorTabs } from './layout/EditorTabs'
import { Explorer } from './layout/Explorer'
import { TrustDialog } from './layout/TrustDialog'
import { pageTheme, type ChartContext } from './results/chartSetup'
import { userSeries } from './results/extract'
import { variantColours } from './results/palette'
import { ProcPanel } from './results/ProcPanel'
import { ResultsArea, type ResultsTab } from './results/ResultsArea'
import type { SeriesRun } from './results/SeriesChart'
import { parseSeeds, runKey } from './run/experimentPlan'
import { configErrorField, formOverride, MACHINE_FIELDS } from './run/machineFields'
import { RunPanel } from './run/RunPanel'
import { useDescribe } from './run/useDescribe'
import { useExperiment } from './run/useExperiment'
import { Toolbar } from './Toolbar'
import { DEFAULT_SCRIPT, DEFAULT_SCRIPT_PATH } from './defaultScript'
import { loadExamples, type ExampleWorkspace } from './welcome/examples'
import { Welcome } from './welcome/Welcome'
import { createWorkspaceBackend, type SaveTarget } from './workspace/backend'
import { loadExperiment, withExperiment } from './workspace/experimentFiles'
import { loadSession, SESSION_DEFAULTS, storeSession, type Session } from './workspace/session'
import { needsTrust, trustLocation } from './workspace/trust'
import { WorkspaceDialog, type DialogKind } from './workspace/WorkspaceDialog'
import { usePrefersDark, useShortcuts, useTicker } from './hooks'
import { EngineStatusLine } from './EngineStatusLine'
import { MemoryMap } from './memmap/MemoryMap'
import type { FetchPages } from './memmap/frameStore'

const CREATED_WITH = `mmwb ${import.meta.env.VITE_MMWB_VERSION ?? '0.1.0'}`
const AUTOSAVE_MS = 3000
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

  const applyOpened = useCallback(
    (r: OpenResult) => {
      setDialog(null)
      if (r.status === 'cancelled') return
      if (r.status === 'error') {
        setErrorText(`Could not open the workspace: ${describeProblem(r.problem)}`)
        return
      }
      const w = r.workspace
      if (!w.manifest.scripts[0]) {
        setErrorText(`Could not open the workspace: ${w.manifest.name} lists no scripts`)
        return
      }
      openWorkspace(
        w,
        !needsTrust(w.location),
        `Opened ${w.manifest.name} from ${w.location ?? 'upload'}`,
      )
    },
    [openWorkspace],
  )

  const openExample = (ex: ExampleWorkspace) =>
    openWorkspace(structuredClone(ex.workspace), true, `Opened example ${ex.name}`)

  const applySaved = useCallback((r: SaveResult, saved: WorkspaceData, quiet = false) => {
    setDialog(null)
    if (r.status === 'cancelled') return
    if (r.status === 'error') {
      setErrorText(`Could not save the workspace: ${describeProblem(r.problem)}`)
      return
    }
    setSession((s) => ({
      ...s,
      workspace: { ...s.workspace, manifest: saved.manifest, location: r.location },
      savedFiles: JSON.stringify(saved.files),
      trusted: true,
    }))
    setMessage(
      quiet ? `Autosaved ${saved.manifest.name}` : `Saved ${saved.manifest.name} to ${r.location}`,
    )
  }, [])

  const guard = useCallback(async (what: string, op: () => Promise<void>) => {
    try {
      await op()
    } catch (e) {
      setErrorText(`${what} failed: ${e instanceof Error ? e.message : String(e)}`)
    }
  }, [])

  const save = useCallback(
    () =>
      guard('Save', async () => {
        const cur = sessionRef.current.workspace
        if (!cur.location && backend.kind === 'web') {
          setDialog('save-as')
          return
        }
        applySaved(await backend.save(cur), cur)
      }),
    [guard, backend, applySaved],
  )
  const saveAs = (name: string, target: SaveTarget) =>
    guard('Save as', async () => {
      const cur = sessionRef.current.workspace
      const next = { ...cur, manifest: { ...cur.manifest, name } }
      applySaved(await backend.saveAs(next, target), next)
    })

  // Autosave workspaces kept in this browser, shortly after the last change.
  useEffect(() => {
    if (!dirty || running || !ws.location?.startsWith('browser:')) return
    const t = setTimeout(() => {
      const cur = sessionRef.current.workspace
      void guard('Autosave', async () => applySaved(await backend.save(cur), cur, true))
    }, AUTOSAVE_MS)
    return () => clearTimeout(t)
  }, [dirty, running, ws.location, filesJson, guard, backend, applySaved])

  useShortcuts({ onRun: startRun, onSave: () => void save() })

  const openScript = (path: string) => {
    setSession((s) => ({
      ...s,
      activePath: path,
      openTabs: s.openTabs.includes(path) ? s.openTabs : [...s.openTabs, path],
    }))
    setSelectedRun(null)
    setRunError(null)
    setErrorText(null)
  }
  const closeTab = (path: string) =>
    setSession((s) => {
      const tabs = s.openTabs.filter((t) => t !== path)
      if (tabs.length === 0) return s
      const i = s.openTabs.indexOf(path)
      return {
        ...s,
        openTabs: tabs,
        activePath: s.activePath === path ? tabs[Math.max(0, i - 1)]! : s.activePath,
      }
    })
  const newScript = () => {
    const name = window.prompt('Name of the new script', 'workload.ts')?.trim()
    if (!name) return
    const path = `scripts/${name.endsWith('.ts') ? name : `${name}.ts`}`
    if (ws.files[path] !== undefined) {
      setErrorText(`${path} already exists`)
      return
    }
    setSession((s) => ({
      ...s,
      workspace: {
        ...s.workspace,
        manifest: { ...s.workspace.manifest, scripts: [...s.workspace.manifest.scripts, path] },
        files: { ...s.workspace.files, [path]: DEFAULT_SCRIPT },
      },
      activePath: path,
      openTabs: [...s.openTabs, path],
    }))
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

  // What the results show: the saved/finished runs, plus the series streaming from a run.
  const live = exp.state?.path === activePath ? exp.state : null
  const seriesRuns: SeriesRun[] = useMemo(() => {
    const out: SeriesRun[] = (experiment?.runs ?? []).map((r) => ({
      label: variantLabel(r.variant),
      seed: r.seed,
      series: userSeries(r.series),
    }))
    const l = live?.live
    const entry = l && live?.entries.find((e) => e.key === l.key)
    if (l && entry && entry.status !== 'done')
      out.unshift({
        label: variantLabel(entry.variant),
        seed: entry.seed,
        series: userSeries(l.series),
      })
    return out
  }, [experiment, live])
  const map = live?.map ?? null
  const { mapPage } = engine
  const mapRunId = map?.runId ?? -1
  const fetchPages: FetchPages | undefined = useMemo(() => {
    if (mapRunId < 0) return undefined
    return async (startPfn, nrPages) => {
      const o = await mapPage(mapRunId, startPfn, nrPages)
      return o.kind === 'detail' ? { timeNs: o.msg.timeNs, detail: o.msg.detail } : null
    }
  }, [mapRunId, mapPage])
  const shownRun =
    experiment?.runs.find((r) => runKey(r.variant, r.seed) === selectedRun) ??
    experiment?.runs.at(-1) ??
    null
  const summary = experiment
    ? `${experiment.script} · ${experiment.runs.length} run(s)` +
      (shownRun ? ` · /proc of ${variantLabel(shownRun.variant)} seed ${shownRun.seed}` : '')
    : null

  return (
    <div className="app">
      <Toolbar
        canRun={engine.status.state === 'ready' && !running}
        running={running}
        progress={engine.progress}
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
            onOpenScript={openScript}
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
            onSelect={openScript}
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
            memmap={
              map ? (
                <div className="memmap-tab">
                  <div className="muted small-text memmap-caption">
                    {map.key.replace('/', ' · seed ')} · {map.frames.length} snapshot(s)
                  </div>
                  <MemoryMap frames={map.frames} fetchPages={fetchPages} dark={dark} />
                </div>
              ) : (
                <div className="chart-nodata">
                  No memory map yet: snapshots stream while a run goes. Press Run (saved results
                  keep no map).
                </div>
              )
            }
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
