/**
 * Workspace trust: scripts of a workspace that came from elsewhere (an uploaded or opened
 * folder) run only after the user says so once for that location. Workspaces created or
 * saved in this browser, and the bundled examples, are trusted. The list lives in
 * localStorage; opening never runs anything either way.
 */
const KEY = 'mmwb.trusted.v1'

function read(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]')
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

/** Does a workspace opened from `location` need the user's trust before its scripts run? */
export function needsTrust(location: string | undefined): boolean {
  if (location === undefined || location.startsWith('browser:')) return false
  return !read().includes(location)
}

export function trustLocation(location: string): void {
  const list = read().filter((l) => l !== location)
  list.unshift(location)
  try {
    localStorage.setItem(KEY, JSON.stringify(list.slice(0, 200)))
  } catch {
    // Not remembered: the prompt comes back next time, which is the safe side.
  }
}
