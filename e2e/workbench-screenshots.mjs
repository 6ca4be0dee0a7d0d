#!/usr/bin/env node
// Screenshots of each workbench view, in Debian's Chromium, for docs/screenshots/: the welcome
// screen, the workbench after an experiment, the compaction, migration and CMA/virtio-mem
// charts, and the comparison. Not a test (it rewrites tracked files).
// Usage: `npm run build:web && node e2e/workbench-screenshots.mjs [--example ID] [--dark]
//         [--script file.ts] [--seeds "1, 2"] [--only welcome,compare] [--tab compaction]
//         [--out docs/screenshots]`
// The committed set: `--example seed-000-compaction-folios`, then
// `--example seed-003-contig-alignment --only charts-cma-virtio-mem`.
import { readFileSync } from 'node:fs'
import { chromium } from '@playwright/test'
import { startServer } from '../scripts/serve.mjs'

const args = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : dflt
}
const outDir = opt('--out', 'docs/screenshots')
const dark = args.includes('--dark')
const suffix = dark ? '-dark' : ''
const server = await startServer('out/web', 0)
const url = `http://127.0.0.1:${server.address().port}/`
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
})
const only = opt('--only', null)?.split(',')
const shot = async (page, name, element = null) => {
  if (only && !only.includes(name)) return
  await page.mouse.move(0, 0)
  await page.waitForTimeout(800)
  const path = `${outDir}/${name}${suffix}.png`
  await (element ?? page).screenshot({ path })
  console.log(`wrote ${path}`)
}
try {
  const page = await browser.newPage({
    viewport: { width: 1500, height: 940 },
    colorScheme: dark ? 'dark' : 'light',
  })
  await page.goto(url)
  await page.evaluate(() => globalThis.localStorage.clear())
  await page.reload()
  await page.locator('[data-testid=engine-status][data-state=ready]').waitFor({ timeout: 30_000 })
  await shot(page, 'welcome')

  const example = opt('--example', null)
  if (example) {
    await page.getByTestId(`example-${example}`).click()
  } else {
    const first = page.locator('[data-testid^=example-]').first()
    if ((await first.count()) > 0) await first.click()
  }
  const script = opt('--script', null)
  if (script) {
    const text = readFileSync(script, 'utf8')
    await page.evaluate((t) => globalThis.__mmwbTest.setSource(t), text)
  }
  const seeds = opt('--seeds', null)
  if (seeds) await page.getByTestId('seeds-input').fill(seeds)
  await page.waitForTimeout(1500)
  await page.getByTestId('run-button').click()
  await page.getByTestId('run-button').waitFor({ state: 'visible' })
  await page.waitForFunction(
    () => {
      const rows = [...globalThis.document.querySelectorAll('[data-testid=run-row]')]
      return (
        rows.length > 0 &&
        rows.every(
          (r) =>
            r.getAttribute('data-status') !== 'running' &&
            r.getAttribute('data-status') !== 'queued',
        )
      )
    },
    null,
    { timeout: 240_000 },
  )
  await page.getByTestId(`results-tab-${opt('--tab', 'compaction')}`).click()
  await shot(page, 'workbench')
  // The chart tabs alone, on a large window so every chart of a tab is in view.
  await page.setViewportSize({ width: 1920, height: 1500 })
  for (const [tab, name] of [
    ['compaction', 'charts-compaction'],
    ['migration', 'charts-migration'],
    ['contig', 'charts-cma-virtio-mem'],
    ['compare', 'compare'],
    ['memmap', 'charts-memmap'],
  ]) {
    await page.getByTestId(`results-tab-${tab}`).click()
    await shot(page, name, page.locator('.results-panel'))
  }
} finally {
  await browser.close()
  server.close()
}
