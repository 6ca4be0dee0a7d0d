import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RECENT_MAX, addRecent, loadRecent } from './recent'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmwb-recent-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('recent workspaces', () => {
  it('puts the latest first, without duplicates, capped', async () => {
    const f = join(dir, 'recent.json')
    for (let i = 0; i < RECENT_MAX + 3; i++)
      await addRecent(f, { location: `/w/${i}`, name: `w${i}`, openedAtMs: i })
    await addRecent(f, { location: '/w/5', name: 'w5', openedAtMs: 99 })
    const list = await loadRecent(f)
    expect(list.length).toBe(RECENT_MAX)
    expect(list[0]).toEqual({ location: '/w/5', name: 'w5', openedAtMs: 99 })
    expect(list.filter((r) => r.location === '/w/5').length).toBe(1)
  })
  it('treats a corrupt list as empty', async () => {
    const f = join(dir, 'recent.json')
    await writeFile(f, '[{"location": 3}')
    expect(await loadRecent(f)).toEqual([])
  })
})
