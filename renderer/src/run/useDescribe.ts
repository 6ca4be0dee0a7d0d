/**
 * Keeps what the active script declares (variants, seeds, machine) up to date while the user
 * types: a `describe` request shortly after the text or the machine form changes, when
 * engine-host is idle. The module's top level is evaluated; its default export never runs.
 */
import { useEffect, useState } from 'react'
import type { WireError } from '../../../protocol/messages'
import type { ScriptDescription } from '../engine/engineClient'
import type { useEngine } from '../engine/useEngine'

export interface DescribeState {
  /** The script text (and override) this answers for. */
  key: string
  description: ScriptDescription | null
  error: WireError | null
}

const DEBOUNCE_MS = 500

export function useDescribe(
  engine: ReturnType<typeof useEngine>,
  path: string,
  source: string,
  machine: Record<string, unknown> | null,
  idle: boolean,
): DescribeState | null {
  const [state, setState] = useState<DescribeState | null>(null)
  const ready = engine.status.state === 'ready'
  const machineJson = machine ? JSON.stringify(machine) : ''
  const key = `${path}\u0000${machineJson}\u0000${source}`
  const { describe, describeSettled } = engine

  useEffect(() => {
    if (!ready || !idle || state?.key === key) return
    let live = true
    const t = setTimeout(() => {
      const override = machineJson
        ? (JSON.parse(machineJson) as Record<string, unknown>)
        : undefined
      const script = { path: path.split('/').pop() ?? path, source }
      void describeSettled()
        .then(() => (live ? describe(script, override) : null))
        .then((o) => {
          if (!o) return
          if (!live || (o.kind === 'error' && o.error.name === 'Busy')) return
          setState((prev) =>
            o.kind === 'described'
              ? { key, description: o.description, error: null }
              : { key, description: prev?.description ?? null, error: o.error },
          )
        })
    }, DEBOUNCE_MS)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [ready, idle, key, state?.key, describe, describeSettled, path, source, machineJson])

  return state
}
