/**
 * The machine-config form of the run panel, checked as the user types. An empty field shows
 * the script's value (or the engine default) as its placeholder; a set field overrides it
 * for every variant. Errors from the engine (ConfigError) appear beside the field they name.
 */
import { checkField, MACHINE_FIELDS, type MachineFormValues } from './machineFields'

interface Props {
  values: MachineFormValues
  /** The script's `machine` export, for placeholders. */
  scriptMachine: Record<string, unknown>
  /** An engine ConfigError for a field, by field name. */
  engineErrors: Record<string, string>
  onChange(values: MachineFormValues): void
}

export function MachineForm({ values, scriptMachine, engineErrors, onChange }: Props) {
  const set = (name: string, text: string) => onChange({ ...values, [name]: text })
  return (
    <div className="machine-form" data-testid="machine-form">
      {MACHINE_FIELDS.map((def) => {
        const text = values[def.name] ?? ''
        const err = checkField(def, text, values) ?? engineErrors[def.name] ?? null
        const fromScript = scriptMachine[def.name]
        const placeholder = fromScript === undefined ? 'default' : String(fromScript)
        const id = `mf-${def.name}`
        return (
          <div key={def.name} className={err ? 'mf-row mf-invalid' : 'mf-row'} title={def.hint}>
            <label htmlFor={id}>{def.label}</label>
            {def.kind === 'int' && (
              <input
                id={id}
                data-testid={id}
                inputMode="numeric"
                value={text}
                placeholder={placeholder}
                aria-invalid={!!err}
                onChange={(e) => set(def.name, e.target.value.trim())}
              />
            )}
            {def.kind !== 'int' && (
              <select
                id={id}
                data-testid={id}
                value={text}
                aria-invalid={!!err}
                onChange={(e) => set(def.name, e.target.value)}
              >
                <option value="">{placeholder}</option>
                {(def.kind === 'enum' ? def.options : ['true', 'false']).map((o) => (
                  <option key={o} value={o}>
                    {def.kind === 'bool' ? (o === 'true' ? 'on' : 'off') : o}
                  </option>
                ))}
              </select>
            )}
            {def.kind === 'int' && def.unit ? (
              <span className="muted mf-unit">{def.unit}</span>
            ) : (
              <span />
            )}
            {err && (
              <span className="mf-error" role="alert" data-testid={`${id}-error`}>
                {err}
              </span>
            )}
          </div>
        )
      })}
    </div>
  )
}
