import { describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({ net: {}, protocol: {} }))
const { fileFor } = await import('./appProtocol')

describe('app:// file mapping', () => {
  const base = '/app/out/renderer'
  it('maps app://workbench paths into the renderer folder', () => {
    expect(fileFor(base, 'app://workbench/index.html')).toBe('/app/out/renderer/index.html')
    expect(fileFor(base, 'app://workbench/')).toBe('/app/out/renderer/index.html')
    expect(fileFor(base, 'app://workbench/assets/a%20b.js')).toBe('/app/out/renderer/assets/a b.js')
  })
  it('refuses other hosts and anything that escapes the folder', () => {
    expect(fileFor(base, 'app://other/index.html')).toBeNull()
    // URL parsing drops encoded dot segments itself: this one stays inside the folder.
    expect(fileFor(base, 'app://workbench/%2e%2e/%2e%2e/etc/passwd')).toBe(
      '/app/out/renderer/etc/passwd',
    )
    expect(fileFor(base, 'app://workbench/..%2f..%2fetc/passwd')).toBeNull()
    expect(fileFor(base, 'app://workbench/a%00b')).toBeNull()
    expect(fileFor(base, 'app://workbench/%E0%A4%A')).toBeNull()
  })
})
