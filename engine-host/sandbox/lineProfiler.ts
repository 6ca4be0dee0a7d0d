/**
 * Finds where a runaway script was looping. When V8 terminates a script at its timeout there
 * is no stack to read, so the vm runner samples the run with V8's CPU profiler (through a
 * same-thread inspector session: its calls complete synchronously) and, on a timeout, reports
 * the line of the user's file with the most samples. Sampling every 1 ms costs about 1%.
 */
import { Session } from 'node:inspector'
import type { ScriptLocation } from '../errors'

interface ProfileNode {
  callFrame: { url: string; functionName: string; lineNumber: number }
  positionTicks?: { line: number; ticks: number }[]
}
export interface CpuProfile {
  nodes: ProfileNode[]
}

export interface LineProfiler {
  /** Stops sampling (idempotent) and returns the profile, or null if none was taken. */
  stop(): CpuProfile | null
}

export function startLineProfiler(): LineProfiler | null {
  let session: Session | null = new Session()
  try {
    session.connect()
    session.post('Profiler.enable')
    session.post('Profiler.setSamplingInterval', { interval: 1000 })
    session.post('Profiler.start')
  } catch {
    return null
  }
  return {
    stop(): CpuProfile | null {
      if (!session) return null
      let profile: CpuProfile | null = null
      try {
        session.post('Profiler.stop', (err, res) => {
          if (!err) profile = (res as unknown as { profile: CpuProfile }).profile
        })
        session.disconnect()
      } catch {
        profile = null
      }
      session = null
      return profile
    },
  }
}

/** The line of `file` with the most samples, 1-based, or undefined. */
export function hottestScriptLine(
  profile: CpuProfile | null,
  file: string,
): ScriptLocation | undefined {
  if (!profile) return undefined
  const ticksByLine = new Map<number, number>()
  // V8 reports absolute filenames as file:// URLs.
  const urls = new Set([file, `file://${file}`, encodeURI(`file://${file}`)])
  for (const n of profile.nodes) {
    if (!urls.has(n.callFrame.url)) continue
    for (const p of n.positionTicks ?? [])
      ticksByLine.set(p.line, (ticksByLine.get(p.line) ?? 0) + p.ticks)
  }
  let best: number | undefined
  let bestTicks = 0
  for (const [line, ticks] of ticksByLine) {
    if (ticks > bestTicks) {
      best = line
      bestTicks = ticks
    }
  }
  return best === undefined ? undefined : { file, line: best }
}
