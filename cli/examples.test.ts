/**
 * The example workspaces in resources/examples/ (seed-* and the other comparison workspaces,
 * such as reclaim-thp-swap): each is a valid workspace whose
 * script declares two to four variants and its seeds, and whose README carries the
 * comparison table `mmwb compare` printed for it (the same variants in the same order).
 * scripts/exampleReadmes.test.ts reruns the comparisons and checks that each README's table is
 * exactly what compare prints now.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inspectWorkload } from '../engine-host/sandbox/inspect'
import { transpileWorkload } from '../engine-host/transpile'
import { parseManifest } from '../protocol/workspace'

const EXAMPLES = join(__dirname, '..', 'resources', 'examples')
const SEEDS = readdirSync(EXAMPLES).filter((d) => d.startsWith('seed-'))
/** Every workspace directory: the seeds and the other comparison examples. */
const WORKSPACES = readdirSync(EXAMPLES).filter((d) =>
  existsSync(join(EXAMPLES, d, 'mmwb-workspace.json')),
)

describe('seed example workspaces', () => {
  it('has one workspace for each of seeds 000 to 004', () => {
    expect(SEEDS.map((d) => d.slice(0, 8)).sort()).toEqual([
      'seed-000',
      'seed-001',
      'seed-002',
      'seed-003',
      'seed-004',
    ])
  })

  it('includes the reclaim example (seed 002: swap splits large folios)', () => {
    expect(WORKSPACES).toContain('reclaim-thp-swap')
    expect(WORKSPACES).toEqual(expect.arrayContaining(SEEDS))
  })

  it.each(WORKSPACES)('%s: manifest, variants, seeds and the README table agree', (dir) => {
    const root = join(EXAMPLES, dir)
    const manifest = parseManifest(readFileSync(join(root, 'mmwb-workspace.json'), 'utf8'))
    if (!manifest.ok) throw new Error(manifest.problem.message)
    expect(manifest.value.scripts).toHaveLength(1)
    const script = manifest.value.scripts[0]
    expect(existsSync(join(root, script))).toBe(true)
    const path = `resources/examples/${dir}/${script}`
    const decl = inspectWorkload(
      transpileWorkload(readFileSync(join(root, script), 'utf8'), path),
      path,
      5000,
    )
    expect(decl.variants.length).toBeGreaterThanOrEqual(2)
    expect(decl.variants.length).toBeLessThanOrEqual(4)
    expect(decl.seeds).toEqual([1, 2, 3])
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const names = decl.variants.map((v) => v.name)
    expect(readme).toContain(
      `${path}: ${names.length} variant(s) x 3 seed(s); mean (±95% CI), difference to ${names[0]}`,
    )
    const esc = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    expect(readme).toMatch(new RegExp(`\\n {10,}${esc.join(' +')}\\n`))
    expect(readme).toContain('## The differences, explained')
  })
})
