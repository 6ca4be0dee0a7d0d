/**
 * Workspaces kept in the browser (IndexedDB), so web mode can save, reload and reopen without
 * native dialogs. Each record holds the manifest text and the files exactly as they would lie
 * in a folder; reopening re-validates them like a folder on disk.
 */
import {
  MANIFEST_FILE,
  serializeManifest,
  type OpenResult,
  type RecentWorkspace,
  type WorkspaceData,
} from '../../../protocol/workspace'
import { readWorkspace } from './readWorkspace'

const DB_NAME = 'mmwb'
const STORE = 'workspaces'

interface StoredWorkspace {
  /** "browser:<name>" */
  location: string
  name: string
  savedAtMs: number
  /** Relative path -> text, including the manifest file. */
  files: Record<string, string>
}

export const BROWSER_PREFIX = 'browser:'

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1)
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'location' })
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'))
  })
}

async function withStore<T>(
  mode: IDBTransactionMode,
  fn: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb()
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode)
      const req = fn(tx.objectStore(STORE))
      let value: T
      req.onsuccess = () => (value = req.result)
      // Resolve on commit, not on request success: a save is done only when it is durable.
      tx.oncomplete = () => resolve(value)
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'))
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
    })
  } finally {
    db.close()
  }
}

export async function saveToBrowser(ws: WorkspaceData): Promise<string> {
  const location = BROWSER_PREFIX + ws.manifest.name
  const record: StoredWorkspace = {
    location,
    name: ws.manifest.name,
    savedAtMs: Date.now(),
    files: { ...ws.files, [MANIFEST_FILE]: serializeManifest(ws.manifest) },
  }
  await withStore('readwrite', (s) => s.put(record))
  return location
}

export async function openFromBrowser(location: string): Promise<OpenResult> {
  const record = await withStore<StoredWorkspace | undefined>('readonly', (s) => s.get(location))
  if (!record) {
    return {
      status: 'error',
      problem: { file: MANIFEST_FILE, message: `no saved workspace ${location}` },
    }
  }
  return readWorkspace(async (p) => record.files[p] ?? null, location)
}

export async function listBrowserWorkspaces(): Promise<RecentWorkspace[]> {
  const all = await withStore<StoredWorkspace[]>('readonly', (s) => s.getAll())
  return all
    .map((r) => ({ location: r.location, name: r.name, openedAtMs: r.savedAtMs }))
    .sort((a, b) => b.openedAtMs - a.openedAtMs)
}
