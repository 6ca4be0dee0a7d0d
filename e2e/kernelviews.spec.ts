/** Pixels of the focus marker's colour (#d9480f, antialiased) on the Series chart's canvas. */
async function markerPixels(page: Page): Promise<number> {
  return page.locator('[data-testid=chart] canvas').evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height)
    let n = 0
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!]
      if (a > 100 && r > 170 && g > 40 && g < 130 && b < 80) n++
    }
    return n
  })
}

/**
 * The kernel views in Chromium (issue 7, item 4): the kernel files at two moments of a run and
 * their difference, and the trace-event log filtered by tracepoint and pfn range, whose rows
 * move the memory map's scrubber, the time-axis charts' marker and the kernel files' time B
 * to their moment.
 */
import { expect, test, type Page } from '@playwright/test'

/** Fill with movable pages, free every other one, take order-4 kernel pages, then compact. */
const SCRIPT = `import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL, type Folio, type Kernel, type MachineSpec } from 'mmwb'

export const machine: MachineSpec = { memoryMiB: 256, nrCpus: 2 }

export default async function (k: Kernel) {
  const held: Folio[] = []
  for (let i = 0; i < 50_000; i++) {
    const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
    if (f) held.push(f)
    if (i % 2_000 === 0) {
      k.record('nr_free_pages', k.vmstat('nr_free_pages'))
      await k.sleep(100_000)
    }
  }
  for (let i = 0; i < held.length; i += 2) k.folioPut(held[i]!)
  for (let i = 0; i < 200; i++) {
    k.allocPages(GFP_KERNEL, 4)
    await k.sleep(10_000)
  }
  k.sysctl.set('vm.compact_memory', 1)
  await k.sleep(100_000)
  k.record('nr_free_pages', k.vmstat('nr_free_pages'))
}
`

interface Hooks {
  __mmwbTest: { setSource(t: string): void }
}

async function runScript(page: Page): Promise<void> {
  await page.goto('/')
  await page.evaluate(() => localStorage.clear())
  await page.reload()
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', {
    timeout: 30_000,
  })
  await page.evaluate((t) => (window as unknown as Hooks).__mmwbTest.setSource(t), SCRIPT)
  await page.getByTestId('run-button').click()
  await page.getByRole('tab', { name: 'Memory map', exact: true }).click()
  await expect(page.getByTestId('memmap-time')).toContainText('final', { timeout: 60_000 })
}

test('kernel files over time, and the trace log jumping to a moment', async ({ page }) => {
  await runScript(page)
  await page.getByRole('tab', { name: 'Series', exact: true }).click()
  await expect(page.locator('[data-testid=chart] canvas')).toBeVisible()
  expect(await markerPixels(page)).toBe(0)
  await page.getByRole('tab', { name: 'Memory map', exact: true }).click()
  const finalTimeNs = Number(await page.getByTestId('memmap-time').getAttribute('data-time-ns'))
  expect(finalTimeNs).toBeGreaterThan(0)

  // ---- Kernel files: A = first moment, B = final, a non-empty buddyinfo and vmstat diff
  await page.getByRole('tab', { name: 'Kernel files', exact: true }).click()
  const view = page.getByTestId('kernel-files')
  await expect(view).toBeVisible()
  const a = page.getByTestId('kernel-files-a')
  const b = page.getByTestId('kernel-files-b')
  const nrMoments = await a.locator('option').count()
  expect(nrMoments).toBeGreaterThanOrEqual(2)
  await a.selectOption({ index: 0 })
  await b.selectOption({ index: nrMoments - 1 })
  await expect(page.getByTestId('kernel-files-text')).toContainText('Node 0, zone')
  const diff = page.getByTestId('kernel-files-diff')
  await expect(diff).toContainText(/\d+ cell\(s\) changed/)
  expect(await diff.locator('td.kv-plus, td.kv-minus').count()).toBeGreaterThan(0)
  await page.getByTestId('kernel-files-file').selectOption('/proc/vmstat')
  // compaction ran between the first moment and the end
  await expect(diff.locator('th', { hasText: /^compact_migrate_scanned$/ })).toBeVisible()
  await page.getByTestId('kernel-files-file').selectOption('/proc/buddyinfo')

  // ---- Trace: filter by tracepoint and pfn range
  await page.getByRole('tab', { name: 'Trace', exact: true }).click()
  await expect(page.getByTestId('trace-log')).toBeVisible()
  const rows = page.getByTestId('trace-row')
  await expect(rows.first()).toBeVisible()
  await page.getByTestId('trace-filter-tracepoint').selectOption(['mm_page_alloc'])
  await expect(rows.first()).toContainText('mm_page_alloc')
  const names = await rows.locator('span:nth-child(4)').allTextContents()
  expect(names.every((n) => n === 'mm_page_alloc')).toBe(true)

  // a range around the pfn of a row from the middle of the visible ones
  const mid = rows.nth(Math.min(10, (await rows.count()) - 1))
  const pfn = parseInt(/ pfn=0x([0-9a-f]+)/.exec((await mid.textContent()) ?? '')![1]!, 16)
  const lo = Math.max(0, pfn - 8)
  const hi = pfn + 8
  await page.getByTestId('trace-filter-pfn').fill(`0x${lo.toString(16)}-0x${hi.toString(16)}`)
  await expect(page.getByTestId('trace-count')).not.toContainText(/^0 of/)
  const fields = await rows.locator('.trace-fields').allTextContents()
  expect(fields.length).toBeGreaterThan(0)
  for (const f of fields) {
    const m = / pfn=0x([0-9a-f]+) order=(\d+)/.exec(f)!
    const start = parseInt(m[1]!, 16)
    const end = start + 2 ** Number(m[2]) - 1
    expect(start <= hi && end >= lo).toBe(true)
  }

  // click a row: the map's scrubber moves to the snapshot at or before its time
  const row = rows.first()
  const rowTimeNs = Number(await row.getAttribute('data-time-ns'))
  expect(rowTimeNs).toBeLessThan(finalTimeNs)
  await row.click()
  await expect(row).toHaveClass(/trace-selected/)
  await expect(page.getByTestId('trace-count')).toContainText('focused t =')

  await page.getByRole('tab', { name: 'Memory map', exact: true }).click()
  const time = page.getByTestId('memmap-time')
  await expect(time).not.toContainText('final')
  const mapTimeNs = Number(await time.getAttribute('data-time-ns'))
  expect(mapTimeNs).not.toBe(finalTimeNs)
  // the last snapshot at or before the event; the first one when the event precedes them all
  const text = (await time.textContent()) ?? ''
  expect(mapTimeNs <= rowTimeNs || text.includes(' 1/')).toBe(true)

  // time-axis charts mark the moment
  await page.getByRole('tab', { name: 'Series', exact: true }).click()
  await expect.poll(() => markerPixels(page)).toBeGreaterThan(50)

  // the kernel files view follows: B is that snapshot now, not the final one
  await page.getByRole('tab', { name: 'Kernel files', exact: true }).click()
  const bIndex = Number(await b.inputValue())
  expect(bIndex).toBeLessThan(nrMoments - 1)
})
