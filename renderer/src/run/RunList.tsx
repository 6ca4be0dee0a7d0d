/**
 * Progress per run of an experiment: one row per variant × seed with its status, a progress
 * bar and the simulated time reached. Clicking a finished run shows its /proc files.
 */
import type { RunEntry } from './experimentPlan'
import { variantLabel } from '../../../protocol/results/experiment'
import type { VariantColours } from '../results/palette'
import { colourOf } from '../results/palette'

function simTime(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`
  return `${ns} ns`
}

const STATUS_TEXT: Record<RunEntry['status'], string> = {
  queued: 'queued',
  running: 'running',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
}

export function RunList(p: {
  entries: RunEntry[]
  colours: VariantColours
  selectedKey: string | null
  onSelect(key: string): void
}) {
  return (
    <ul className="run-list" data-testid="run-list">
      {p.entries.map((e) => {
        const label = variantLabel(e.variant)
        const value = e.status === 'done' ? 1 : e.fraction >= 0 ? e.fraction : undefined
        return (
          <li
            key={e.key}
            className={`run-row run-${e.status}${p.selectedKey === e.key ? ' run-selected' : ''}`}
            data-testid="run-row"
            data-status={e.status}
            title={e.error ? `${e.error.name}: ${e.error.message}` : undefined}
          >
            <button
              className="link run-name"
              onClick={() => p.onSelect(e.key)}
              disabled={!e.result}
            >
              <span className="swatch" style={{ background: colourOf(p.colours, label) }} />
              {label} · seed {e.seed}
            </button>
            {e.status === 'queued' || e.status === 'cancelled' ? (
              <span className="run-bar muted">{STATUS_TEXT[e.status]}</span>
            ) : (
              <progress
                className="run-bar"
                max={1}
                value={e.status === 'failed' ? 0 : value}
                aria-label={`${label} seed ${e.seed} progress`}
              />
            )}
            <span
              className={`run-status muted${e.status === 'failed' ? ' run-status-failed' : ''}`}
            >
              {e.status === 'failed'
                ? (e.error?.name ?? 'failed')
                : e.simTimeNs > 0
                  ? simTime(e.simTimeNs)
                  : STATUS_TEXT[e.status]}
            </span>
          </li>
        )
      })}
    </ul>
  )
}
