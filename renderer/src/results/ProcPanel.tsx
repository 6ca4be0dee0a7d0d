/**
 * The simulated kernel text files of the last run (/proc/buddyinfo first), shown verbatim in
 * monospace: kernel developers compare them column by column with their own machines. The
 * script's console output has its own tab.
 */
import { useState } from 'react'

const PREFERRED = ['/proc/buddyinfo', '/proc/pagetypeinfo', '/proc/vmstat', '/proc/zoneinfo']
const CONSOLE = 'console'

function orderPaths(proc: Record<string, string>): string[] {
  return Object.keys(proc).sort((a, b) => {
    const ia = PREFERRED.indexOf(a)
    const ib = PREFERRED.indexOf(b)
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b)
  })
}

export function ProcPanel({ proc, log }: { proc: Record<string, string> | null; log: string[] }) {
  const tabs = proc ? orderPaths(proc) : ['/proc/buddyinfo']
  if (log.length > 0) tabs.push(CONSOLE)
  const [chosen, setChosen] = useState('/proc/buddyinfo')
  const shown = tabs.includes(chosen) ? chosen : tabs[0]!
  const text =
    shown === CONSOLE
      ? log.join('\n')
      : (proc?.[shown] ?? `Run a script to see the simulated ${shown}.`)

  return (
    <section className="panel proc-panel">
      <div className="pane-title tabs" role="tablist">
        {tabs.map((p) => (
          <button
            key={p}
            role="tab"
            aria-selected={p === shown}
            className={p === shown ? 'tab tab-active' : 'tab'}
            title={p}
            onClick={() => setChosen(p)}
          >
            {p.split('/').pop()}
          </button>
        ))}
      </div>
      <pre
        className={proc || shown === CONSOLE ? 'proc-text' : 'proc-text muted'}
        data-testid={shown === '/proc/buddyinfo' ? 'buddyinfo' : 'proc-text'}
        aria-label={shown}
      >
        {text}
      </pre>
    </section>
  )
}
