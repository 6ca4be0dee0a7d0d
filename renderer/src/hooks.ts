import { useEffect, useRef, useState } from 'react'

/** Follows the system's light/dark preference live. */
export function usePrefersDark(): boolean {
  const query = '(prefers-color-scheme: dark)'
  const [dark, setDark] = useState(() => window.matchMedia(query).matches)
  useEffect(() => {
    const mq = window.matchMedia(query)
    const on = () => setDark(mq.matches)
    mq.addEventListener('change', on)
    return () => mq.removeEventListener('change', on)
  }, [])
  return dark
}

/** performance.now(), refreshed every 100 ms while `active` (for the elapsed-time display). */
export function useTicker(active: boolean): number {
  const [now, setNow] = useState(() => performance.now())
  useEffect(() => {
    if (!active) return
    const t = setInterval(() => setNow(performance.now()), 100)
    return () => clearInterval(t)
  }, [active])
  return now
}

/**
 * Ctrl/Cmd+Enter runs and Ctrl/Cmd+S saves, anywhere on the page. Inside Monaco the editor's
 * own command runs first and Ctrl+Enter is left to it, so a run never starts twice.
 */
export function useShortcuts(actions: { onRun(): void; onSave(): void }): void {
  const ref = useRef(actions)
  ref.current = actions
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return
      if (e.key === 's' || e.key === 'S') {
        e.preventDefault()
        ref.current.onSave()
      } else if (e.key === 'Enter') {
        const inEditor = (e.target as Element | null)?.closest?.('.monaco-editor')
        if (inEditor) return
        e.preventDefault()
        ref.current.onRun()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
