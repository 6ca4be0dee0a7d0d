/**
 * The recent-workspaces list, kept as JSON in the app's userData folder. A missing or corrupt
 * file is an empty list (it is a convenience, not data the user made).
 */
import { readFile } from 'node:fs/promises'
import type { RecentWorkspace } from '../protocol/workspace'
import { atomicWriteFile } from './atomicWrite'

export const RECENT_MAX = 12

function isRecent(v: unknown): v is RecentWorkspace {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return (
    typeof o.location === 'string' && typeof o.name === 'string' && typeof o.openedAtMs === 'number'
  )
}

export async function loadRecent(file: string): Promise<RecentWorkspace[]> {
  try {
    const raw: unknown = JSON.parse(await readFile(file, 'utf8'))
    return Array.isArray(raw) ? raw.filter(isRecent).slice(0, RECENT_MAX) : []
  } catch {
    return []
  }
}

/** Puts `entry` first, dropping an older entry for the same folder, and saves the list. */
export async function addRecent(file: string, entry: RecentWorkspace): Promise<RecentWorkspace[]> {
  const list = [
    entry,
    ...(await loadRecent(file)).filter((r) => r.location !== entry.location),
  ].slice(0, RECENT_MAX)
  await atomicWriteFile(file, JSON.stringify(list, null, 2) + '\n')
  return list
}
