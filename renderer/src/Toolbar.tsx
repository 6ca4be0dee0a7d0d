/**
 * The compact toolbar: Run/Stop with progress, seed and budget, the script picker, and the
 * workspace actions.
 */
import type { RunProgress } from './engine/useEngine'

interface Props {
  canRun: boolean
  progress: RunProgress | null
  nowMs: number
  seed: number
  budgetMs: number
  scripts: string[]
  activePath: string
  workspaceName: string
  dirty: boolean
  onRun(): void
  onStop(): void
  onSeed(seed: number): void
  onBudget(ms: number): void
  onPickScript(path: string): void
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
  const running = p.progress !== null
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
        title="Run the script (Ctrl+Enter)"
      >
        ▶ Run
      </button>
      <button data-testid="stop-button" disabled={!running} onClick={p.onStop} title="Stop the run">
        ■ Stop
      </button>
      <label className="field-inline" title="Seed of the run's random number generator">
        seed
        <input
          data-testid="seed-input"
          type="number"
          min={0}
          step={1}
          value={p.seed}
          onChange={(e) => p.onSeed(Math.max(0, Math.trunc(Number(e.target.value) || 0)))}
        />
      </label>
      <label className="field-inline" title="Wall-clock time budget of a run">
        budget
        <input
          data-testid="budget-input"
          type="number"
          min={100}
          step={500}
          value={p.budgetMs}
          onChange={(e) => p.onBudget(Math.max(100, Math.trunc(Number(e.target.value) || 0)))}
        />
        ms
      </label>
      {running && <ProgressIndicator progress={p.progress!} nowMs={p.nowMs} />}
      <span className="spacer" />
      {p.scripts.length > 1 && (
        <select
          aria-label="Script"
          value={p.activePath}
          onChange={(e) => p.onPickScript(e.target.value)}
        >
          {p.scripts.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      )}
      <span className="workspace-name" data-testid="workspace-name-label" title="Workspace">
        {p.workspaceName}
        {p.dirty && <span title="Unsaved changes"> ●</span>}
      </span>
      <button data-testid="open-button" onClick={p.onOpen}>
        Open…
      </button>
      <button data-testid="save-button" onClick={p.onSave}>
        Save
      </button>
      <button data-testid="save-as-button" onClick={p.onSaveAs}>
        Save as…
      </button>
    </header>
  )
}
