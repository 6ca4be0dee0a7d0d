/**
 * The web-mode workbench in Chromium, end to end: Monaco, engine-host in a Web Worker, the
 * chart and /proc panels, error reporting, the time budget, crash recovery and workspaces.
 */
import { expect, test, type Page } from '@playwright/test'

/** Records one series point per order-4 allocation and one at the end (order 4 > costly order: never via pcp). */
const GOOD_SCRIPT = `import { GFP_KERNEL, type Kernel, type MachineSpec } from 'mmwb'

export const machine: MachineSpec = { memoryMiB: 256 }

export default async function (k: Kernel) {
  for (let i = 0; i < 40; i++) {
    k.allocPages(GFP_KERNEL, 4)
    k.record('nr_free_pages', k.vmstat('nr_free_pages'))
    await k.sleep(25_000)
  }
  console.log(k.proc.buddyinfo())
}
`

const SYNTAX_ERROR_SCRIPT = `import { type Kernel } from 'mmwb'
export default function (k: Kernel) {
  const x = ;
}
`

const INFINITE_LOOP_SCRIPT = `export default function () {
  while (true) {}
}
`

async function openWorkbench(page: Page) {
  await page.goto('/')
  await expect(page.locator('[data-testid=editor] .monaco-editor')).toBeVisible()
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', {
    timeout: 30_000,
  })
}

/**
 * Replaces the editor text: the body through the test hook (typing it key by key would let
 * Monaco's auto-indent and auto-closing rewrite it), then a last line typed on the keyboard.
 */
async function enterScript(page: Page, text: string) {
  await page.evaluate((t) => (window as unknown as TestHooks).__mmwbTest.setSource(t), text)
  await page.locator('[data-testid=editor] .view-lines').click()
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.type('// typed in e2e')
  const expected = text + '// typed in e2e'
  await expect.poll(() => getSource(page)).toBe(expected)
  return expected
}

interface TestHooks {
  __mmwbTest: {
    getSource(): string
    setSource(t: string): void
    crashEngine(r: string): void
    runMarkerLines(): number[]
    typeDiagnostics(): string[]
  }
}

function getSource(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as TestHooks).__mmwbTest.getSource())
}

async function run(page: Page) {
  await page.getByTestId('run-button').click()
}

/** Pixels of the chart's own canvas (not Monaco's): all drawn, and those of the first series colour. */
async function chartPixels(page: Page) {
  return page.locator('[data-testid=chart] canvas').evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height)
    let drawn = 0
    let line = 0
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 0) drawn++
      // #4e9af1, the first series colour, allowing for anti-aliasing.
      if (
        Math.abs(data[i]! - 78) < 40 &&
        Math.abs(data[i + 1]! - 154) < 40 &&
        Math.abs(data[i + 2]! - 241) < 40 &&
        data[i + 3]! > 100
      )
        line++
    }
    return { drawn, line }
  })
}

/** Free pages counted from /proc/buddyinfo: sum over zones and orders of nr_free * 2^order. */
function buddyinfoFreePages(text: string): { pages: number; zones: string[]; columns: number[] } {
  const lines = text.trim().split('\n')
  let pages = 0
  const zones: string[] = []
  const columns: number[] = []
  for (const line of lines) {
    const m = /^Node (\d+), zone\s+(\S+)((?:\s+\d+)+)\s*$/.exec(line)
    if (!m) throw new Error(`not a buddyinfo line: ${JSON.stringify(line)}`)
    zones.push(m[2]!)
    const counts = m[3]!.trim().split(/\s+/).map(Number)
    columns.push(counts.length)
    counts.forEach((n, order) => (pages += n * 2 ** order))
  }
  return { pages, zones, columns }
}

function typeDiagnostics(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as TestHooks).__mmwbTest.typeDiagnostics())
}

test.describe('web-mode workbench', () => {
  test('Monaco type-checks scripts against the mmwb API declarations', async ({ page }) => {
    await openWorkbench(page)
    await enterScript(page, GOOD_SCRIPT)
    // The import of 'mmwb' resolves and the script is well typed: no diagnostics at all.
    await expect.poll(() => typeDiagnostics(page), { timeout: 20_000 }).toEqual([])
    await enterScript(
      page,
      GOOD_SCRIPT.replace('k.allocPages(GFP_KERNEL, 4)', "k.allocPages('GFP_KERNEL', 4)"),
    )
    await expect
      .poll(() => typeDiagnostics(page), { timeout: 20_000 })
      .toEqual(["7: Argument of type 'string' is not assignable to parameter of type 'number'."])
  })

  test('runs a typed script: chart drawn, /proc/buddyinfo consistent with nr_free_pages', async ({
    page,
  }) => {
    await openWorkbench(page)
    await enterScript(page, GOOD_SCRIPT)
    await run(page)

    const buddy = page.getByTestId('buddyinfo')
    await expect(buddy).toContainText('Node 0, zone', { timeout: 30_000 })
    await expect(page.getByTestId('error')).toHaveCount(0)

    const pixels = await chartPixels(page)
    expect(pixels.drawn).toBeGreaterThan(1000)
    expect(pixels.line).toBeGreaterThan(50)

    const info = buddyinfoFreePages(await buddy.innerText())
    // x86_64, 256 MiB: ZONE_DMA below 16 MiB and ZONE_DMA32 above; MAX_PAGE_ORDER 10 -> 11 columns.
    expect(info.zones).toEqual(['DMA', 'DMA32'])
    expect(info.columns).toEqual([11, 11])

    // The same run's /proc/vmstat: nr_free_pages equals the pages the buddy lists hold.
    await page.getByRole('tab', { name: 'vmstat', exact: true }).click()
    const vmstat = await page.getByTestId('proc-text').innerText()
    const nrFree = Number(/^nr_free_pages (\d+)$/m.exec(vmstat)?.[1])
    expect(nrFree).toBe(info.pages)
    await page.getByRole('tab', { name: 'buddyinfo', exact: true }).click()
  })

  test('a syntax error names file:line and marks the line', async ({ page }) => {
    await openWorkbench(page)
    await enterScript(page, SYNTAX_ERROR_SCRIPT)
    await run(page)
    await expect(page.getByTestId('error')).toContainText(/hello\.ts:3\b/, { timeout: 30_000 })
    // The run error is pinned on line 3 as a marker of its own (besides Monaco's diagnostics).
    await expect
      .poll(() => page.evaluate(() => (window as unknown as TestHooks).__mmwbTest.runMarkerLines()))
      .toEqual([3])
    await expect(page.locator('[data-testid=editor] .squiggly-error').first()).toBeVisible()
  })

  test('an infinite loop is stopped by the time budget and the app stays usable', async ({
    page,
  }) => {
    await openWorkbench(page)
    await page.getByTestId('budget-input').fill('1500')
    await enterScript(page, INFINITE_LOOP_SCRIPT)
    await run(page)
    // While it runs: the progress indicator shows and Stop is offered.
    await expect(page.getByTestId('run-progress')).toBeVisible()
    await expect(page.getByTestId('stop-button')).toBeEnabled()
    await expect(page.getByTestId('error')).toContainText(
      'Script stopped: exceeded the time budget of 1500 ms',
      { timeout: 15_000 },
    )
    await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', {
      timeout: 30_000,
    })
    await enterScript(page, GOOD_SCRIPT)
    await run(page)
    await expect(page.getByTestId('buddyinfo')).toContainText('Node 0, zone', { timeout: 30_000 })
    await expect(page.getByTestId('error')).toHaveCount(0)
  })

  test('a crashed engine-host is reported and restarted; the editor text survives', async ({
    page,
  }) => {
    await openWorkbench(page)
    const text = await enterScript(page, GOOD_SCRIPT)
    await page.evaluate(() =>
      (window as unknown as TestHooks).__mmwbTest.crashEngine('worker error: simulated crash'),
    )
    await expect(page.getByTestId('engine-status')).toContainText(
      'engine-host stopped: worker error: simulated crash; restarted',
    )
    await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', {
      timeout: 30_000,
    })
    expect(await getSource(page)).toBe(text)
    await run(page)
    await expect(page.getByTestId('buddyinfo')).toContainText('Node 0, zone', { timeout: 30_000 })
  })

  test('save the workspace, reload, reopen it: the script is unchanged', async ({ page }) => {
    await openWorkbench(page)
    const name = `e2e-${Date.now()}`
    const saved = await enterScript(page, GOOD_SCRIPT)
    await page.getByTestId('save-as-button').click()
    await page.getByTestId('workspace-name').fill(name)
    await page.getByRole('button', { name: 'Save in this browser' }).click()
    await expect(page.locator('.statusbar')).toContainText(`Saved ${name}`)

    await page.reload()
    await openWorkbench(page)
    // Unsaved edits after the save: reopening must bring back the saved text, not these.
    await enterScript(page, INFINITE_LOOP_SCRIPT)

    await page.getByTestId('open-button').click()
    await page
      .getByTestId('recent-list')
      .getByRole('button', { name: new RegExp(name) })
      .click()
    await expect(page.getByTestId('workspace-name-label')).toHaveText(name)
    expect(await getSource(page)).toBe(saved)
    await expect(page.locator('[data-testid=editor] .view-lines')).toContainText('typed in e2e')
    // Opening never runs the script.
    await expect(page.getByTestId('run-progress')).toHaveCount(0)
  })
})
