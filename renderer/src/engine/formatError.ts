/**
 * How a failed run reads in the error panel: the place in the user's source first
 * (`hello.ts:12:5`), then what happened.
 */
import type { WireError } from '../../../protocol/messages'

export function formatRunError(error: WireError, budgetMs: number): string {
  const where = error.location
    ? `${error.location.file}:${error.location.line}${error.location.column ? `:${error.location.column}` : ''}: `
    : ''
  // The host's own timeout and the client's watchdog say the same thing the same way.
  if (error.name === 'ScriptTimeout') {
    return `${where}Script stopped: exceeded the time budget of ${budgetMs} ms`
  }
  return `${where}${error.name}: ${error.message}`
}
