/**
 * The desktop app under Playwright's Electron driver: window security, a run through the
 * utility process over the MessagePort main handed out, and recovery when engine-host dies.
 * Runs only where Electron's binary is installed (it downloads on first use, which needs
 * network access); elsewhere it is skipped and the web-mode tests cover the renderer.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'

const root = join(__dirname, '..')

/** Resolved like node_modules/electron/index.js, without triggering its download. */
function electronExecutable(): string | null {
  const dir = join(root, 'node_modules', 'electron')
  const pathTxt = join(dir, 'path.txt')
  const rel = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : null
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const exe = override ? join(override, rel || 'electron') : rel ? join(dir, 'dist', rel) : null
  return exe && existsSync(exe) ? exe : null
}

const exe = electronExecutable()
const SKIP_REASON =
  'Electron binary not installed (no network for its download): desktop e2e skipped; web-mode e2e covers the renderer'
test.describe('desktop app (Electron)', () => {
  // The list reporter shows a skipped test without its reason, so the reason is also printed.
  test.beforeAll(() => {
    if (exe === null) {
      console.log(`[electron e2e] skipped: ${SKIP_REASON}`)
      test.skip(true, SKIP_REASON)
    }
    const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
    expect(build.status).toBe(0)
  })

  test('runs a script in the utility process and survives its death', async () => {
    const app = await electron.launch({ executablePath: exe!, args: [root], cwd: root })
    try {
      const page = await app.firstWindow()
      const status = page.getByTestId('engine-status')
      await expect(status).toHaveAttribute('data-state', 'ready', { timeout: 30_000 })

      // The page has the narrow preload API and nothing of Node.
      expect(
        await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require),
      ).toBe('undefined')
      expect(
        await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process),
      ).toBe('undefined')
      expect(
        await page.evaluate(() => Object.keys((window as unknown as { mmwb: object }).mmwb).sort()),
      ).toEqual(['engine', 'platform', 'workspace'])

      await page.getByTestId('run-button').click()
      await expect(page.getByTestId('buddyinfo')).toContainText('Node 0, zone', { timeout: 30_000 })

      // Kill engine-host from main, as a crash would: the window says so and gets a new one.
      const killed = await app.evaluate(({ app: electronApp }) => {
        const host = electronApp
          .getAppMetrics()
          .find(
            (m) =>
              m.type === 'Utility' &&
              (m.serviceName === 'mmwb-engine-host' || m.name === 'mmwb-engine-host'),
          )
        if (!host) return false
        process.kill(host.pid, 'SIGKILL')
        return true
      })
      expect(killed).toBe(true)
      await expect(status).toContainText('engine-host stopped', { timeout: 15_000 })
      await expect(status).toContainText('restarted')
      await expect(status).toHaveAttribute('data-state', 'ready', { timeout: 30_000 })
      await page.getByTestId('run-button').click()
      await expect(page.getByTestId('error')).toHaveCount(0)
      await expect(page.getByTestId('buddyinfo')).toContainText('Node 0, zone', { timeout: 30_000 })
    } finally {
      await app.close()
    }
  })
})
