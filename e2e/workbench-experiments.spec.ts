/**
 * The workbench's experiments in Chromium (web mode): every example workspace opens from the
 * welcome screen and runs (one seed, to stay fast); its compaction, migration-latency and
 * CMA/virtio-mem charts draw on their canvases when the run has such data; the comparison
 * table lists every variant; a workspace with results survives save, close and reopen; the
 * machine form checks as the user types; a workspace from elsewhere asks before running.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'

const EXAMPLES_DIR = join(__dirname, '..', 'resources', 'examples')
const EXAMPLES = existsSync(EXAMPLES_DIR)
  ? readdirSync(EXAMPLES_DIR)
      .filter((d) => existsSync(join(EXAMPLES_DIR, d, 'mmwb-workspace.json')))
      .sort()
  : []

/**
 * Charts each example must draw (what its workload does), by the example's `seed-NNN` prefix;
 * every other chart must either draw or say why it has no data.
 */
const MUST_DRAW: Record<string, string[]> = {
  'seed-000': [
    'chart-compaction-rate',
    'chart-compaction-scanned',
    'chart-compaction-stalls',
    'chart-migrate-latency-hist',
    'chart-migrate-latency-cdf',
  ],
  'seed-001': ['chart-migrate-latency-hist', 'chart-migrate-lock-hold'],
  'seed-002': ['chart-compaction-order', 'chart-direct-compaction-latency'],
  'seed-003': [
    'chart-outcome-alloc_contig_range',
    'chart-outcome-virtio_mem',
    'chart-latency-virtio_mem',
  ],
  'seed-004': ['chart-outcome-cma_alloc', 'chart-latency-cma_alloc'],
}

/** Compaction, migration and CMA in one small script, with two variants and two seeds. */
const MIX_SCRIPT = `/** Fragment memory, then compact, migrate and allocate from CMA. */
import { GFP_HIGHUSER_MOVABLE, GFP_TRANSHUGE, type Folio, type Kernel, type MachineSpec, type Variants } from 'mmwb'

export const machine: MachineSpec = { memoryMiB: 128, nrCpus: 2, cma: [{ name: 'camera', sizeMiB: 16 }] }
export const variants: Variants = {
  boost: {},
  noboost: { sysctl: { 'vm.watermark_boost_factor': 0 } },
}
export const seeds = [1, 2]

export default async function (k: Kernel) {
  const held: Folio[] = []
  for (;;) {
    const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
    if (!f) break
    held.push(f)
  }
  for (let i = held.length - 1; i >= 0; i--) if (k.rng.int(2) === 0) { k.freePages(held[i]!); held.splice(i, 1) }
  for (let i = 0; i < 8; i++) {
    k.record('thp_ok', k.allocPages(GFP_TRANSHUGE, 9) ? 1 : 0)
    await k.sleep(10_000)
  }
  k.compactMemory()
  k.migratePages(held.slice(0, 100))
  for (let i = 0; i < 4; i++) {
    const r = k.cma.alloc('camera', 256, 0)
    if (r.pfn !== null && i % 2 === 0) k.cma.release('camera', r.pfn, 256)
  }
}
`

interface Hooks {
  __mmwbTest: { setSource(t: string): void; workspaceFiles(): Record<string, string> }
}

async function openFresh(page: Page) {
  await page.goto('/')
  await page.evaluate(() => localStorage.clear())
  await page.reload()
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', {
    timeout: 30_000,
  })
}

/** Waits until every run of the experiment has finished, and expects none failed. */
async function runAndWait(page: Page) {
  await page.getByTestId('run-button').click()
  const rows = page.getByTestId('run-row')
  await expect(rows.first()).toBeVisible()
  await expect
    .poll(
      async () => {
        const states = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')))
        return states.every((s) => s === 'done' || s === 'failed' || s === 'cancelled')
      },
      // A last-resort bound: the wait is on the runs' own status events (seed-003 has four
      // variants of several seconds each, and a loaded machine runs them slower).
      { timeout: 120_000 },
    )
    .toBe(true)
  await expect(page.locator('[data-testid=run-row][data-status=failed]')).toHaveCount(0)
  await expect(page.getByTestId('error')).toHaveCount(0)
}

/** Non-transparent pixels of each chart canvas under a results tab, by chart test id. */
async function chartPixels(page: Page, tab: string): Promise<Record<string, number | 'no data'>> {
  await page.getByTestId(`results-tab-${tab}`).click()
  await page.waitForTimeout(100)
  return page.locator('[data-testid^=chart-]').evaluateAll((frames) => {
    const out: Record<string, number | 'no data'> = {}
    for (const f of frames) {
      const id = f.getAttribute('data-testid')!
      if (id === 'chart-nodata') continue
      const c = f.querySelector('canvas')
      if (!c) {
        out[id] = 'no data'
        continue
      }
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height)
      let n = 0
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++
      out[id] = n
    }
    return out
  })
}

/** Variant names the run panel lists (the script's `variants`), or ['base']. */
async function variantNames(page: Page): Promise<string[]> {
  const boxes = page.locator('[data-testid=variant-list] input[type=checkbox]')
  const ids = await boxes.evaluateAll((bs) => bs.map((b) => b.getAttribute('data-testid')!))
  return ids.length ? ids.map((id) => id.replace(/^variant-/, '')) : ['base']
}

async function onlyFirstSeed(page: Page) {
  const seeds = page.getByTestId('seeds-input')
  // The placeholder shows the script's seeds once engine-host has described it.
  await expect(seeds)
    .not.toHaveAttribute('placeholder', '1', { timeout: 10_000 })
    .catch(() => {})
  const first = ((await seeds.getAttribute('placeholder')) ?? '1').split(/[\s,]+/)[0]!
  await seeds.fill(first)
}

test.describe('experiments in the web-mode workbench', () => {
  test.describe.configure({ timeout: 180_000 })

  for (const id of EXAMPLES) {
    test(`example ${id}: opens from the welcome screen, runs, charts and compares`, async ({
      page,
    }) => {
      await openFresh(page)
      await page.getByTestId(`example-${id}`).click()
      await expect(page.getByTestId('run-progress')).toHaveCount(0) // opening runs nothing
      await onlyFirstSeed(page)
      const variants = await variantNames(page)
      await runAndWait(page)

      const drawn: Record<string, number | 'no data'> = {}
      for (const tab of ['compaction', 'migration', 'contig'])
        Object.assign(drawn, await chartPixels(page, tab))
      for (const [chart, px] of Object.entries(drawn)) {
        if (px !== 'no data') expect(px, `${chart} draws`).toBeGreaterThan(1000)
      }
      for (const chart of MUST_DRAW[id.slice(0, 8)] ?? []) {
        expect(drawn[chart], `${id} draws ${chart}`).toBeGreaterThan(1000)
      }
      test.info().annotations.push({ type: 'charts', description: JSON.stringify(drawn) })
      if (process.env.MMWB_E2E_SHOW_CHARTS) console.log(id, JSON.stringify(drawn))

      await page.getByTestId('results-tab-compare').click()
      await expect(page.getByTestId('compare-column')).toHaveText(variants)
    })
  }

  test('a mixed workload draws compaction, migration and CMA charts for both variants', async ({
    page,
  }) => {
    await openFresh(page)
    await page.evaluate((t) => (window as unknown as Hooks).__mmwbTest.setSource(t), MIX_SCRIPT)
    await expect(page.getByTestId('variant-noboost')).toBeVisible({ timeout: 10_000 })
    await page.getByTestId('seeds-input').fill('1')
    await runAndWait(page)
    await expect(page.getByTestId('run-row')).toHaveCount(2)

    const compaction = await chartPixels(page, 'compaction')
    expect(compaction['chart-compaction-scanned']).toBeGreaterThan(1000)
    const migration = await chartPixels(page, 'migration')
    expect(migration['chart-migrate-latency-hist']).toBeGreaterThan(1000)
    expect(migration['chart-migrate-latency-cdf']).toBeGreaterThan(1000)
    expect(migration['chart-migrate-lock-hold']).toBeGreaterThan(1000)
    const contig = await chartPixels(page, 'contig')
    expect(contig['chart-outcome-cma_alloc']).toBeGreaterThan(1000)
    expect(contig['chart-latency-cma_alloc']).toBeGreaterThan(1000)
    // No virtio-mem device: a sentence, not an empty canvas.
    expect(contig['chart-outcome-virtio_mem']).toBe('no data')
    await expect(page.getByTestId('chart-outcome-virtio_mem')).toContainText(
      'No data in this run: the script did not make virtio-mem requests',
    )

    // The memory map of the last run (the MemoryMap component draws the streamed snapshots).
    await page.getByTestId('results-tab-memmap').click()
    await expect(page.getByTestId('memmap-tab')).toContainText('noboost · seed 1')
    const mapPixels = await page
      .locator('[data-testid=memmap-tab] canvas')
      .first()
      .evaluate((c: HTMLCanvasElement) => {
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height)
        let n = 0
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++
        return n
      })
    expect(mapPixels).toBeGreaterThan(1000)

    await page.getByTestId('results-tab-compare').click()
    await expect(page.getByTestId('compare-column')).toHaveText(['boost', 'noboost'])
    await expect(page.getByTestId('compare-row').first()).toBeVisible()
    const download = page.waitForEvent('download')
    await page.getByTestId('export-report').click()
    const html = await (await download).createReadStream()
    const chunks: Buffer[] = []
    for await (const c of html) chunks.push(c as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    expect(text).toContain('<table>')
    expect(text).toMatch(/<img alt="[^"]+" src="data:image\/png;base64,/)
    expect(text).not.toMatch(/src="http|href="http|<script/)
  })

  test('results are saved in the workspace and come back after save, close and reopen', async ({
    page,
  }) => {
    await openFresh(page)
    await page.evaluate((t) => (window as unknown as Hooks).__mmwbTest.setSource(t), MIX_SCRIPT)
    await expect(page.getByTestId('variant-noboost')).toBeVisible({ timeout: 10_000 })
    await page.getByTestId('seeds-input').fill('1')
    await runAndWait(page)
    const before = await page.evaluate(() =>
      (window as unknown as Hooks).__mmwbTest.workspaceFiles(),
    )
    expect(Object.keys(before)).toContain('results/hello.json')

    const name = `e2e-results-${Date.now()}`
    await page.keyboard.press('ControlOrMeta+s') // unsaved workspace: asks for a name
    await page.getByTestId('workspace-name').fill(name)
    await page.getByRole('button', { name: 'Save in this browser' }).click()
    await expect(page.locator('.statusbar')).toContainText(`Saved ${name}`)
    await expect(page.getByTestId('dirty-marker')).toHaveCount(0)

    // Close: a new workspace replaces it; then reopen from the welcome screen's recent list.
    await page.getByTestId('welcome-button').click()
    await page.getByTestId('new-workspace').click()
    await expect(page.getByTestId('workspace-name-label')).toHaveText('untitled')
    await page.reload()
    await page.getByTestId('welcome-button').click()
    await page
      .getByTestId('welcome-recent')
      .getByRole('button', { name: new RegExp(name) })
      .click()
    await expect(page.getByTestId('workspace-name-label')).toHaveText(name)
    const after = await page.evaluate(() =>
      (window as unknown as Hooks).__mmwbTest.workspaceFiles(),
    )
    expect(after['results/hello.json']).toBe(before['results/hello.json'])
    await expect(page.getByTestId('run-progress')).toHaveCount(0) // reopening runs nothing
    await page.getByTestId('results-tab-compare').click()
    await expect(page.getByTestId('compare-column')).toHaveText(['boost', 'noboost'])
    expect((await chartPixels(page, 'migration'))['chart-migrate-latency-cdf']).toBeGreaterThan(
      1000,
    )
  })

  test('the machine form checks as you type; the engine names a bad field', async ({ page }) => {
    await openFresh(page)
    await page.getByTestId('mf-memoryMiB').fill('32')
    await expect(page.getByTestId('mf-memoryMiB-error')).toHaveText('must be in 64..65536')
    await page.getByTestId('mf-memoryMiB').fill('512')
    await expect(page.getByTestId('mf-memoryMiB-error')).toHaveCount(0)
    // Valid for the form, refused by the engine: 64 MiB over 8 nodes leaves 8 MiB per node.
    await page.getByTestId('mf-memoryMiB').fill('64')
    await page.getByTestId('mf-nrNodes').fill('8')
    await expect(page.getByTestId('mf-nrNodes-error')).toHaveText(
      'each node needs at least 16 MiB',
      { timeout: 10_000 },
    )
  })

  test('Ctrl+Enter runs; a workspace from elsewhere asks before its scripts run', async ({
    page,
  }) => {
    await openFresh(page)
    // Upload a workspace folder: opening it runs nothing and marks it untrusted.
    await page.getByTestId('open-button').click()
    const manifest = JSON.stringify({
      formatVersion: 1,
      name: 'from-elsewhere',
      scripts: ['scripts/a.ts'],
      results: [],
      createdWith: 'mmwb 0.1.0',
    })
    const dir = join(mkdtempSync(join(tmpdir(), 'mmwb-e2e-')), 'from-elsewhere')
    mkdirSync(join(dir, 'scripts'), { recursive: true })
    writeFileSync(join(dir, 'mmwb-workspace.json'), manifest)
    writeFileSync(
      join(dir, 'scripts', 'a.ts'),
      "export default async function (k) { k.record('x_pages', 1) }\n",
    )
    const chooser = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Upload folder…' }).click()
    await (await chooser).setFiles(dir)
    await expect(page.getByTestId('workspace-name-label')).toHaveText('from-elsewhere')
    await expect(page.getByText('untrusted')).toBeVisible()
    await page.locator('[data-testid=editor] .view-lines').click()
    await page.keyboard.press('ControlOrMeta+Enter')
    await expect(page.getByTestId('trust-dialog')).toBeVisible()
    await expect(page.getByTestId('run-row')).toHaveCount(0)
    await page.getByTestId('trust-run').click()
    await expect(page.locator('[data-testid=run-row][data-status=done]')).toHaveCount(1, {
      timeout: 15_000,
    })
  })
})
