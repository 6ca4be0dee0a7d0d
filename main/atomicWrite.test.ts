import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { atomicWriteFile } from './atomicWrite'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmwb-atomic-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('atomicWriteFile', () => {
  it('creates parent folders and writes the text', async () => {
    const p = join(dir, 'scripts', 'a.ts')
    await atomicWriteFile(p, 'hello')
    expect(await readFile(p, 'utf8')).toBe('hello')
  })
  it('replaces an existing file and leaves no temp file behind', async () => {
    const p = join(dir, 'm.json')
    await writeFile(p, 'old')
    await atomicWriteFile(p, 'new')
    expect(await readFile(p, 'utf8')).toBe('new')
    expect(await readdir(dir)).toEqual(['m.json'])
  })
  it('leaves the target untouched and cleans up when the rename fails', async () => {
    // A directory at the target path makes rename(2) fail with EISDIR after the temp is written.
    const p = join(dir, 'target')
    await atomicWriteFile(join(p, 'inner'), 'x')
    await expect(atomicWriteFile(p, 'new')).rejects.toThrow()
    expect(await readdir(dir)).toEqual(['target'])
    expect(await readFile(join(p, 'inner'), 'utf8')).toBe('x')
  })
})
