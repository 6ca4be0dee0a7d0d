#!/usr/bin/env node
// Regenerates docs/screenshots/workbench.png: a fresh web-mode workbench (no saved session)
// after running its default script, in Debian's Chromium. Not a test, so ordinary runs never
// rewrite a tracked file. Usage: `npm run build:web && node e2e/screenshot.mjs [out.png]`
// (add `--dark` for the dark theme).
import { chromium } from '@playwright/test'
import { startServer } from '../scripts/serve.mjs'

const args = process.argv.slice(2)
const out = args.find((a) => !a.startsWith('--')) ?? 'docs/screenshots/workbench.png'
const server = await startServer('out/web', 0)
const url = `http://127.0.0.1:${server.address().port}/`
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
})
try {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 900 },
    colorScheme: args.includes('--dark') ? 'dark' : 'light',
  })
  await page.goto(url)
  await page.evaluate(() => globalThis.localStorage.clear())
  await page.reload()
  await page.locator('[data-testid=engine-status][data-state=ready]').waitFor({ timeout: 30_000 })
  await page.getByTestId('run-button').click()
  await page
    .getByTestId('buddyinfo')
    .filter({ hasText: 'Node 0, zone' })
    .waitFor({ timeout: 60_000 })
  await page.mouse.move(0, 0)
  // Monaco colours text in idle time; let it finish on a busy machine.
  await page.waitForTimeout(1500)
  await page.screenshot({ path: out })
  console.log(`wrote ${out}`)
} finally {
  await browser.close()
  server.close()
}
