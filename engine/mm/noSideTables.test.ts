/**
 * Every per-machine state is in the machine's registry (machineState.ts), where snapshot()
 * finds it: no module of engine/ may keep a side table keyed by the Machine. (The lint rule
 * `no-restricted-syntax` on `new WeakMap` says the same at edit time.)
 */
import { describe, expect, it } from 'vitest'

/** Vite's `import.meta.glob` (vitest transforms it; tsconfig.node.json has no vite/client types). */
type Glob = (
  patterns: string[],
  opts: { query: string; import: string; eager: true },
) => Record<string, string>

const SOURCES = (import.meta as unknown as { glob: Glob }).glob(
  ['../**/*.ts', '!../**/*.test.ts', '!../**/*.testutil.ts'],
  { query: '?raw', import: 'default', eager: true },
)

describe('per-machine state', () => {
  it('the glob sees the engine sources', () => {
    expect(Object.keys(SOURCES)).toContain('../reclaim/lru.ts')
    expect(Object.keys(SOURCES).length).toBeGreaterThan(100)
  })

  it('no engine module keeps a WeakMap or Map keyed by the Machine', () => {
    const offenders = Object.entries(SOURCES)
      .filter(
        ([, src]) =>
          /new\s+(Weak)?Map\s*<\s*Machine\b/.test(src) || /\bnew\s+WeakMap\s*[<(]/.test(src),
      )
      .map(([path]) => path)
    expect(offenders).toEqual([])
  })
})
