import { describe, expect, it } from 'vitest'
import { leadingComment, loadExamples } from './examples'

const MANIFEST = JSON.stringify({
  formatVersion: 1,
  name: 'Fragmentation',
  scripts: ['scripts/frag.ts'],
  results: [],
  createdWith: 'mmwb 0.1.0',
})

describe('example workspaces', () => {
  it('reads each folder with a manifest and its listed scripts', () => {
    const ex = loadExamples({
      '../../../resources/examples/seed-001/mmwb-workspace.json': MANIFEST,
      '../../../resources/examples/seed-001/scripts/frag.ts':
        '/**\n * Fragment memory, then ask for THPs.\n *\n * More.\n */\nexport default () => {}\n',
      '../../../resources/examples/broken/mmwb-workspace.json': '{"formatVersion": 99}',
      '../../../resources/examples/missing/mmwb-workspace.json': MANIFEST,
    })
    expect(ex.map((e) => e.id)).toEqual(['seed-001'])
    expect(ex[0]!.name).toBe('Fragmentation')
    expect(ex[0]!.summary).toBe('Fragment memory, then ask for THPs.')
    expect(Object.keys(ex[0]!.workspace.files)).toEqual(['scripts/frag.ts'])
  })
  it('reads a leading line comment too', () => {
    expect(leadingComment('// One.\n// Two.\nexport {}')).toBe('One. Two.')
  })
})
