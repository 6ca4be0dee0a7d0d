/**
 * Results in the workspace: the experiment of a script (every variant × seed run) is saved as
 * results/<script>.json, an ExperimentResult as `mmwb compare --json` writes it. A result file
 * holding a single RunResult (older workspaces, `mmwb run --json`) reads as a one-run
 * experiment. Reading validates; a file that does not validate is ignored, never run.
 */
import { parseRunResult } from '../../../protocol/guards'
import { makeExperiment, type ExperimentResult } from '../../../protocol/results/experiment'
import { validateExperiment } from '../../../protocol/results/schema'
import { resultPathFor, type WorkspaceData } from '../../../protocol/workspace'

export function loadExperiment(ws: WorkspaceData, scriptPath: string): ExperimentResult | null {
  const text = ws.files[resultPathFor(scriptPath)]
  if (text === undefined) return null
  try {
    const data: unknown = JSON.parse(text)
    if (typeof data === 'object' && data !== null && 'runs' in data) return validateExperiment(data)
    const run = parseRunResult(data)
    return makeExperiment(run.script, run.variant === null ? [] : [run.variant], [run.seed], [run])
  } catch {
    return null
  }
}

export function withExperiment(
  ws: WorkspaceData,
  scriptPath: string,
  exp: ExperimentResult,
): WorkspaceData {
  const rp = resultPathFor(scriptPath)
  const m = ws.manifest
  return {
    ...ws,
    manifest: m.results.includes(rp) ? m : { ...m, results: [...m.results, rp] },
    files: { ...ws.files, [rp]: JSON.stringify(exp) + '\n' },
  }
}
