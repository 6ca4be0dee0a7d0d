/**
 * The example READMEs against `mmwb compare`, and the design keys against the examples.
 *
 * 1. Drift: every README section between `<!-- BEGIN mmwb compare -->` and
 *    `<!-- END mmwb compare -->` is exactly what `npx mmwb compare <script>` prints now. The
 *    comparisons of all examples run on one pool of engine-host processes (about 70 s on two
 *    busy cores), so a change of the model that moves a figure fails here until
 *    `npm run examples:readmes` is run and the prose checked.
 * 2. Design coverage: every value of every key in engine/api/design.ts DESIGN_KEYS is compared
 *    in some example: one of its variants has that value and another variant of the same
 *    example a different one (a value that every variant shares is a condition of the
 *    experiment, not something its table compares). Variants are read from the workspaces'
 *    manifests and scripts as the app reads them, designs resolved as a run resolves them.
 */
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { DESIGN_KEYS } from '../engine/api/design'
import { transpileWorkload } from '../engine-host/transpile'
import { inspectVariantDesigns, type VariantDesign } from '../engine-host/sandbox/inspectDesigns'
import { comparedDesignKeys } from '../cli/commands/compareRuns'
import { staleFigures } from './exampleReadmeFigures'
import {
  BEGIN,
  diffHint,
  END,
  listExamples,
  REGEN_COMMAND,
  regenerate,
  replaceSections,
  ROOT,
  type Regenerated,
} from './exampleReadmes'

const examples = listExamples()

describe('example READMEs hold what `mmwb compare` prints now', () => {
  let regenerated: Regenerated[] = []
  beforeAll(async () => {
    // A generous budget: a busy machine must not fail the runs (the output does not depend on it).
    regenerated = await regenerate(examples, {
      jobs: Math.max(2, availableParallelism()),
      budgetMs: 600_000,
    })
  }, 1_200_000)

  it.each(examples.map((e) => e.dir))('%s', (dir) => {
    const r = regenerated.find((x) => x.example.dir === dir)
    if (!r) throw new Error(`${dir}: not regenerated`)
    for (const run of r.runs) {
      if (run.unmet > 0)
        throw new Error(`${run.command}: a variant did not meet its \`expect\` (exit status 5)`)
    }
    if (r.current !== r.expected) {
      throw new Error(
        `${r.example.readme} has drifted from \`mmwb compare\` ` +
          `(${r.runs.map((x) => x.command).join('; ')}):\n${diffHint(r.current, r.expected)}\n` +
          `regenerate with: ${REGEN_COMMAND} (then check the figures its prose quotes)`,
      )
    }
    const stale = staleFigures(
      r.current,
      r.current
        .split(BEGIN)
        .slice(1)
        .map((s) => s.slice(0, s.indexOf(END))),
    )
    // Prose may quote an older figure on purpose: reported, not failed.
    for (const f of stale)
      console.warn(
        `${r.example.readme}: prose quotes ${f.quoted} for \`${f.row}\`, not in the table`,
      )
  })
})

describe('README sections', () => {
  it('are replaced between the markers only, one per script', () => {
    const text = `a\n${BEGIN}\nold\n${END}\nb\n${BEGIN}\n${END}\nc\n`
    expect(replaceSections(text, 'R.md', ['X', 'Y'])).toBe('a\nX\nb\nY\nc\n')
    expect(() => replaceSections(text, 'R.md', ['X'])).toThrow(/R\.md: has 2 .* 1 script/)
    expect(() => replaceSections(`${BEGIN}\n${BEGIN}\n${END}`, 'R.md', ['X'])).toThrow(
      /R\.md: .*BEGIN.* without its/,
    )
    expect(() => replaceSections(`${END}\n${BEGIN}`, 'R.md', ['X'])).toThrow(
      /R\.md: .*END.* without/,
    )
  })

  it('every example README has one section per script of its workspace', () => {
    for (const ex of examples) {
      const text = readFileSync(join(ROOT, ex.readme), 'utf8')
      expect(text.split(BEGIN).length - 1, ex.readme).toBe(ex.scripts.length)
    }
  })
})

/** Where a design key is argued, when its TSDoc in engine/api/mmwb.d.ts names no seed. */
const HOME: Record<string, string> = {
  'migration.allocateTarget': 'seed-001-migration-lock',
  'migration.batching': 'seed-001-migration-lock',
  'isolation.representation': 'seed-003-contig-alignment',
  'swap.largeFolios': 'reclaim-thp-swap',
}
const DTS = readFileSync(join(ROOT, 'engine', 'api', 'mmwb.d.ts'), 'utf8')

/** The example a key's missing values belong in: the seed its DesignSpec TSDoc names first. */
function homeOf(key: string): string {
  const at = DTS.indexOf(`'${key}'?:`)
  const doc = at < 0 ? '' : DTS.slice(DTS.lastIndexOf('/**', at), at)
  const seed = /Seeds? (\d{3})/.exec(doc)?.[1]
  const dir = seed && examples.find((e) => e.dir.startsWith(`seed-${seed}`))?.dir
  return HOME[key] ?? dir ?? 'the seed example whose thread argues it'
}

describe('DESIGN COVERAGE: every DESIGN_KEYS value is a variant in some example compare table', () => {
  // Each example's variants with their resolved designs, and the keys its table compares.
  const compared = examples.flatMap((ex) =>
    ex.scripts.map((s) => {
      const designs: VariantDesign[] = inspectVariantDesigns(
        transpileWorkload(readFileSync(join(ROOT, s), 'utf8'), s),
        s,
        5000,
      )
      return { dir: ex.dir, designs, keys: comparedDesignKeys(designs) }
    }),
  )
  const pairs = Object.entries(DESIGN_KEYS).flatMap(([k, values]) =>
    (values as readonly string[]).map((v) => `${k}=${v}`),
  )

  it.each(pairs)('%s', (pair) => {
    const [key, value] = pair.split('=')
    const where = compared.filter(
      (c) => c.keys.includes(key) && c.designs.some((d) => d.design[key] === value),
    )
    if (where.length === 0) {
      throw new Error(
        `MISSING DESIGN VARIANT ${key}=${value}: no example's \`mmwb compare\` table compares ` +
          `it. Add a variant with design { '${key}': '${value}' } (beside one with another ` +
          `value) to ${homeOf(key)} (resources/examples/${homeOf(key)}/scripts), then run ${REGEN_COMMAND}.`,
      )
    }
    expect(where.length).toBeGreaterThan(0)
  })
})
