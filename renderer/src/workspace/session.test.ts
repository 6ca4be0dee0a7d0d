import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { newWorkspace } from '../../../protocol/workspace'
import { loadSession, storeSession, type Session } from './session'

/** localStorage with a quota, like the browser's (which throws QuotaExceededError). */
function fakeStorage(quotaChars: number) {
  const items = new Map<string, string>()
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (v.length > quotaChars) throw new DOMException('quota', 'QuotaExceededError')
      items.set(k, v)
    },
  }
}

function session(resultChars: number): Session {
  const ws = newWorkspace('w', 'scripts/a.ts', 'export default () => {}\n', 'mmwb test')
  ws.manifest.results = ['results/a.json']
  ws.files['results/a.json'] = JSON.stringify({ big: 'x'.repeat(resultChars) })
  return {
    workspace: ws,
    activePath: 'scripts/a.ts',
    seed: 7,
    budgetMs: 5000,
    savedFiles: JSON.stringify(ws.files),
    openTabs: ['scripts/a.ts'],
    trusted: true,
    seedsText: '1, 2',
    selectedVariants: null,
    machine: { memoryMiB: '512' },
  }
}

beforeEach(() => vi.stubGlobal('localStorage', fakeStorage(10_000)))
afterEach(() => vi.unstubAllGlobals())

describe('session crash recovery', () => {
  it('restores the whole session', () => {
    const s = session(10)
    storeSession(s)
    expect(loadSession()).toEqual(s)
  })

  it('keeps the scripts when results do not fit, and a clean session stays clean', () => {
    const s = session(50_000)
    storeSession(s)
    const back = loadSession()!
    expect(back.workspace.files).toEqual({ 'scripts/a.ts': 'export default () => {}\n' })
    expect(back.workspace.manifest.results).toEqual([])
    expect(back.savedFiles).toBe(JSON.stringify(back.workspace.files))
    expect(back.seed).toBe(7)
  })

  it('a dirty session stays dirty when its results are dropped', () => {
    const s = { ...session(50_000), savedFiles: 'older' }
    storeSession(s)
    expect(loadSession()!.savedFiles).toBeNull()
  })
})
