/**
 * The compact toolbar: Run/Stop with the running run's progress, and the workspace actions.
 * Seeds, variants, budget and the machine live in the run panel.
 */
import type { RunProgress } from './engine/useEngine'

interface Props {
  canRun: boolean
  running: boolean
  progress: RunProgress | null
  /** "run 2 of 4" while an experiment goes. */
  runCount: string | null
  nowMs: number
  workspaceName: string
  dirty: boolean
  onRun(): void
  onStop(): void
  onWelcome(): void
  onOpen(): void
  onSave(): void
  onSaveAs(): void
}

function formatSimTime(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`
  return `${ns} ns`
}

function ProgressIndicator({ progress, nowMs }: { progress: RunProgress; nowMs: number }) {
  const elapsedS = Math.max(0, (nowMs - progress.startedAtMs) / 1000).toFixed(1)
  const determinate = progress.fraction >= 0
  return (
    <span className="run-progress" data-testid="run-progress" role="status">
      <progress
        max={1}
        value={determinate ? progress.fraction : undefined}
        aria-label="Run progress"
      />
      <span className="muted">
        {progress.phase === 'queued' ? 'starting' : progress.phase} · {elapsedS} s
        {progress.simTimeNs > 0 && ` · sim ${formatSimTime(progress.simTimeNs)}`}
      </span>
    </span>
  )
}

export function Toolbar(p: Props) {
  const running = p.running
  return (
    <header className="toolbar">
      <span className="brand" title="MM Workbench">
        MM&nbsp;Workbench
      </span>
      <button
        className="primary"
        data-testid="run-button"
        disabled={!p.canRun || running}
        onClick={p.onRun}
        title="Run every selected variant × seed (Ctrl+Enter)"
      >
        ▶ Run
      </button>
      <button data-testid="stop-button" disabled={!running} onClick={p.onStop} title="Stop the run">
        ■ Stop
      </button>
      {running && p.runCount && <span className="muted">{p.runCount}</span>}
      {running && p.progress && <ProgressIndicator progress={p.progress} nowMs={p.nowMs} />}
      <span className="spacer" />
      <span className="workspace-name" data-testid="workspace-name-label" title="Workspace">
        {p.workspaceName}
        {p.dirty && <span title="Unsaved changes"> ●</span>}
      </span>
      <button
        data-testid="welcome-button"
        onClick={p.onWelcome}
        title="Examples and recent workspaces"
      >
        Welcome
      </button>
      <button data-testid="open-button" onClick={p.onOpen}>
        Open…
      </button>
      <button data-testid="save-button" onClick={p.onSave} title="Save (Ctrl+S)">
        Save
      </button>
      <button data-testid="save-as-button" onClick={p.onSaveAs}>
        Save as…
      </button>
    </header>
  )
}
