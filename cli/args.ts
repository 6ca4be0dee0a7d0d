/**
 * A small command-line parser: positional arguments plus `--name value` / `--name=value`
 * options and boolean flags, with errors that say what was wrong.
 */
export class UsageError extends Error {
  override name = 'UsageError'
}

export interface OptionSpec {
  /** Takes a value (`--seed 3`); otherwise a boolean flag (`--quiet`). */
  value: boolean
}

export interface Parsed {
  positionals: string[]
  options: Record<string, string | true>
}

export function parseArgs(argv: readonly string[], spec: Record<string, OptionSpec>): Parsed {
  const positionals: string[] = []
  const options: Record<string, string | true> = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (a === '-h') {
      options.help = true
      continue
    }
    if (!a.startsWith('--')) {
      if (a.startsWith('-') && a.length > 1) throw new UsageError(`unknown option ${a}`)
      positionals.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq)
    const s = spec[name]
    if (!s) throw new UsageError(`unknown option --${name}`)
    if (!s.value) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`)
      options[name] = true
      continue
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i]
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`)
    options[name] = value
  }
  return { positionals, options }
}

/** A non-negative integer option, or `dflt`. */
export function intOption(p: Parsed, name: string, dflt: number, min = 0): number {
  const v = p.options[name]
  if (v === undefined) return dflt
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN
  if (!Number.isSafeInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got ${String(v)}`)
  return n
}

export function stringOption(p: Parsed, name: string): string | undefined {
  const v = p.options[name]
  return typeof v === 'string' ? v : undefined
}
