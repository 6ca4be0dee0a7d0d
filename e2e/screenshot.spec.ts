/**
 * Regenerates docs/screenshots/workbench.png: a fresh workbench (no saved session) running its
 * default script in Chromium. Only on request, so ordinary test runs never rewrite a tracked
 * file: `MMWB_SCREENSHOT=1 npx playwright test e2e/screenshot.spec.ts`.
 */
import { expect, test } from '@playwright/test'

test('screenshot of the workbench after a run', async ({ page }) => {
  test.skip(!process.env.MMWB_SCREENSHOT, 'screenshot only on request (MMWB_SCREENSHOT=1)')
  await page.goto('/')
  await page.evaluate(() => localStorage.clear())
  await page.reload()
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', {
    timeout: 30_000,
  })
  await page.getByTestId('run-button').click()
  await expect(page.getByTestId('buddyinfo')).toContainText('Node 0, zone', { timeout: 60_000 })
  await page.mouse.move(0, 0)
  // Monaco colours text in idle time; let it finish on a busy machine.
  await page.waitForTimeout(1500)
  await page.screenshot({ path: 'docs/screenshots/workbench.png' })
})
