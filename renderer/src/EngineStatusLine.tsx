import type { EngineStatus } from './engine/engineClient'

/** engine-host's state for the status bar, with the last crash/restart notice in front. */
export function EngineStatusLine(props: {
  status: EngineStatus
  notice: string | null
  mode: 'desktop' | 'web'
}) {
  const where = props.mode === 'web' ? 'Web Worker' : 'utility process'
  const { status } = props
  const text =
    status.state === 'ready'
      ? `engine-host ready (${where}, engine ${status.engineVersion})`
      : status.state === 'starting'
        ? `engine-host starting (${where})…`
        : `engine-host failed: ${status.message}`
  return (
    <span className="engine-status" data-testid="engine-status" data-state={status.state}>
      <span className={`dot dot-${status.state}`} aria-hidden="true" />
      {props.notice && <span className="notice">{props.notice} · </span>}
      {text}
    </span>
  )
}
