/**
 * The run panel: variants and seeds to run (read from the script's exports with a `describe`
 * request, never by running it), the time budget, the machine form, and the progress of
 * every run of the experiment.
 */
import type { WireError } from '../../../protocol/messages'
import type { ScriptDescription } from '../engine/engineClient'
import { colourOf, type VariantColours } from '../results/palette'
import type { RunEntry } from './experimentPlan'
import { MachineForm } from './MachineForm'
import type { MachineFormValues } from './machineFields'
import { RunList } from './RunList'

interface Props {
  description: ScriptDescription | null
  describeError: WireError | null
  /** Chosen variants; null = all the script declares. */
  selectedVariants: string[] | null
  onVariants(v: string[] | null): void
  seedsText: string
  seedsError: string | null
  onSeeds(text: string): void
  budgetMs: number
  onBudget(ms: number): void
  machine: MachineFormValues
  engineErrors: Record<string, string>
  onMachine(v: MachineFormValues): void
  entries: RunEntry[]
  colours: VariantColours
  selectedKey: string | null
  onSelectRun(key: string): void
}

export function RunPanel(p: Props) {
  const variants = p.description?.variants ?? []
  const chosen = p.selectedVariants ?? variants
  const toggle = (v: string) => {
    const next = chosen.includes(v) ? chosen.filter((x) => x !== v) : [...chosen, v]
    p.onVariants(variants.filter((x) => next.includes(x)))
  }
  const otherError =
    p.describeError && Object.keys(p.engineErrors).length === 0 ? p.describeError : null
  return (
    <section className="run-panel" data-testid="run-panel" aria-label="Run panel">
      <h3 className="side-title">Run</h3>
      <div className="rp-section">
        <div className="rp-label">Variants</div>
        {variants.length === 0 ? (
          <div className="muted small-text" data-testid="variants-none">
            {p.description ? 'The script exports no variants: the base machine runs.' : '…'}
          </div>
        ) : (
          <div className="variant-list" data-testid="variant-list">
            {variants.map((v) => (
              <label key={v} className="variant-item">
                <input
                  type="checkbox"
                  checked={chosen.includes(v)}
                  onChange={() => toggle(v)}
                  data-testid={`variant-${v}`}
                />
                <span className="swatch" style={{ background: colourOf(p.colours, v) }} />
                {v}
              </label>
            ))}
          </div>
        )}
      </div>
      <div className="rp-section rp-grid">
        <label htmlFor="seeds-input" className="rp-label" title="Seeds: 1, 2, 3 or 1-5">
          Seeds
        </label>
        <input
          id="seeds-input"
          data-testid="seeds-input"
          value={p.seedsText}
          aria-invalid={!!p.seedsError}
          placeholder={p.description?.seeds.length ? p.description.seeds.join(', ') : '1'}
          onChange={(e) => p.onSeeds(e.target.value)}
        />
        <label htmlFor="budget-input" className="rp-label" title="Wall-clock time budget per run">
          Budget
        </label>
        <span className="rp-budget">
          <input
            id="budget-input"
            data-testid="budget-input"
            type="number"
            min={100}
            step={500}
            value={p.budgetMs}
            onChange={(e) => p.onBudget(Math.max(100, Math.trunc(Number(e.target.value) || 0)))}
          />
          <span className="muted">ms / run</span>
        </span>
      </div>
      {p.seedsError && (
        <div className="mf-error" role="alert" data-testid="seeds-error">
          {p.seedsError}
        </div>
      )}
      <details className="rp-section" open>
        <summary className="rp-label">Machine</summary>
        <MachineForm
          values={p.machine}
          scriptMachine={p.description?.machine ?? {}}
          engineErrors={p.engineErrors}
          onChange={p.onMachine}
        />
      </details>
      {otherError && (
        <div className="mf-error" data-testid="describe-error">
          {otherError.name}: {otherError.message}
        </div>
      )}
      {p.entries.length > 0 && (
        <div className="rp-section">
          <div className="rp-label">Runs</div>
          <RunList
            entries={p.entries}
            colours={p.colours}
            selectedKey={p.selectedKey}
            onSelect={p.onSelectRun}
          />
        </div>
      )}
    </section>
  )
}
