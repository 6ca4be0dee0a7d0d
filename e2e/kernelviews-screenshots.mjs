#!/usr/bin/env node
// Screenshots of the kernel views, in Debian's Chromium, for docs/screenshots/: the kernel
// files at two moments with their difference, and the trace log filtered to one tracepoint
// with a row focused. Not a test (it rewrites tracked files).
// Usage: `npm run build:web && node e2e/kernelviews-screenshots.mjs [--dark] [--out docs/screenshots]`
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

/** Fragment 512 MiB with movable pages, take order-4 kernel pages, then compact. */
const SCRIPT = `import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL, type Folio, type Kernel, type MachineSpec } from 'mmwb'

export const machine: MachineSpec = { memoryMiB: 512, nrCpus: 2 }

export default async function (k: Kernel) {
  const held: Folio[] = []
  for (let i = 0; i < 100_000; i++) {
    const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
    if (f) held.push(f)
    if (i % 2_000 === 0) await k.sleep(100_000)
  }
  for (let i = 0; i < held.length; i += 2) k.folioPut(held[i]!)
  for (let i = 0; i < 400; i++) {
    k.allocPages(GFP_KERNEL, 4)
    await k.sleep(10_000)
  }
  k.sysctl.set('vm.compact_memory', 1)
  await k.sleep(100_000)
}
`

const server = await startServer('out/web', 0)
const url = `http://127.0.0.1:${server.address().port}/`
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
})
const shot = async (page, name) => {
  await page.mouse.move(0, 0)
  await page.waitForTimeout(600)
  const path = `${outDir}/${name}${suffix}.png`
  await page.screenshot({ path })
  console.log(`wrote ${path}`)
}
try {
  const page = await browser.newPage({
    viewport: { width: 1900, height: 1000 },
    colorScheme: dark ? 'dark' : 'light',
  })
  await page.goto(url)
  await page.evaluate(() => globalThis.localStorage.clear())
  await page.reload()
  await page.locator('[data-testid=engine-status][data-state=ready]').waitFor({ timeout: 30_000 })
  await page.evaluate((t) => globalThis.__mmwbTest.setSource(t), SCRIPT)
  await page.getByTestId('run-button').click()
  await page.getByRole('tab', { name: 'Memory map', exact: true }).click()
  await page.getByTestId('memmap-time').filter({ hasText: 'final' }).waitFor({ timeout: 60_000 })

  await page.getByRole('tab', { name: 'Kernel files', exact: true }).click()
  await page.getByTestId('kernel-files-file').selectOption('/proc/pagetypeinfo')
  await page.getByTestId('kernel-files-a').selectOption({ index: 0 })
  await shot(page, 'kernel-files')

  await page.getByRole('tab', { name: 'Trace', exact: true }).click()
  await page.getByTestId('trace-filter-pfn').fill('0x10000-0x1ffff')
  await page.getByTestId('trace-row').nth(3).click()
  await shot(page, 'trace-log')
} finally {
  await browser.close()
  server.close()
}
