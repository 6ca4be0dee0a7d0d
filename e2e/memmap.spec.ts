/**
 * The memory map in Chromium (issue 7, item 3): it shows pageblocks, a hover names the pfn
 * under the cursor (checked against the pfn computed independently from the cell's position
 * and the canvas's published viewport), zooming to pages brings page detail, and moving the
 * time scrubber changes the picture.
 */
import { expect, test, type Page } from '@playwright/test'

interface MapGeometry {
  originX: number
  originY: number
  pxPerPage: number
  cols: number
  pageblockOrder: number
  nrPageblocks: number
}

async function geometry(page: Page): Promise<MapGeometry> {
  const c = page.getByTestId('memmap-canvas')
  const num = async (name: string) => Number(await c.getAttribute(`data-${name}`))
  return {
    originX: await num('origin-x'),
    originY: await num('origin-y'),
    pxPerPage: await num('px-per-page'),
    cols: await num('cols'),
    pageblockOrder: await num('pageblock-order'),
    nrPageblocks: await num('nr-pageblocks'),
  }
}

/** The layout's rule, restated: pageblocks of 2^(o/2 rounded up) x 2^(o/2 rounded down) pages, row-major. */
function expectedPfn(g: MapGeometry, px: number, py: number): number {
  const subCols = 2 ** Math.ceil(g.pageblockOrder / 2)
  const subRows = 2 ** Math.floor(g.pageblockOrder / 2)
  const wx = Math.floor(g.originX + (px + 0.5) / g.pxPerPage)
  const wy = Math.floor(g.originY + (py + 0.5) / g.pxPerPage)
  const cellX = Math.floor(wx / subCols)
  const cellY = Math.floor(wy / subRows)
  const pb = cellY * g.cols + cellX
  if (wx < 0 || wy < 0 || cellX >= g.cols || pb >= g.nrPageblocks) return -1
  return pb * 2 ** g.pageblockOrder + (wy - cellY * subRows) * subCols + (wx - cellX * subCols)
}

/** FNV-1a of the canvas pixels, and how many differ from the top-left (background) pixel. */
async function canvasPixels(page: Page): Promise<{ hash: number; painted: number }> {
  return page.getByTestId('memmap-canvas').evaluate((el) => {
    const c = el as HTMLCanvasElement
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let hash = 0x811c9dc5
    let painted = 0
    for (let i = 0; i < d.length; i += 4) {
      const v = d[i] | (d[i + 1] << 8) | (d[i + 2] << 16)
      hash = Math.imul(hash ^ v, 16777619) >>> 0
      if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) painted++
    }
    return { hash, painted }
  })
}

/** Fill with movable pages, punch holes, add unmovable pages, then compact: every step moves the map. */
const MAP_SCRIPT = `import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL, type Folio, type Kernel, type MachineSpec } from 'mmwb'

export const machine: MachineSpec = { memoryMiB: 1024, nrCpus: 2 }

export default async function (k: Kernel) {
  const movable: Folio[] = []
  for (let i = 0; i < 180_000; i++) {
    const f = k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
    if (f) movable.push(f)
    if (i % 10_000 === 0) await k.sleep(100_000)
  }
  for (let i = 0; i < movable.length; i++) {
    if (k.rng.float() < 0.5) k.folioPut(movable[i]!)
    if (i % 10_000 === 0) await k.sleep(100_000)
  }
  for (let i = 0; i < 20_000; i++) {
    k.allocPages(GFP_KERNEL, 0)
    if (i % 2_000 === 0) await k.sleep(100_000)
  }
  k.sysctl.set('vm.compact_memory', 1)
  await k.sleep(100_000)
}
`

interface Hooks {
  __mmwbTest: { setSource(t: string): void }
}

/** Runs the workload in the workbench and opens the Memory map tab on its final snapshot. */
async function openMemoryMap(page: Page): Promise<void> {
  await page.goto('/')
  await page.evaluate(() => localStorage.clear())
  await page.reload()
  await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'ready', {
    timeout: 30_000,
  })
  await page.evaluate((t) => (window as unknown as Hooks).__mmwbTest.setSource(t), MAP_SCRIPT)
  await page.getByTestId('run-button').click()
  await page.getByRole('tab', { name: 'Memory map', exact: true }).click()
  await expect(page.getByTestId('memmap')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('memmap-time')).toContainText('final', { timeout: 60_000 })
}

test('memory map: pageblocks, hover pfn, page detail and the time scrubber', async ({ page }) => {
  await openMemoryMap(page)
  const canvas = page.getByTestId('memmap-canvas')
  const box = (await canvas.boundingBox())!

  // the map shows pageblocks: most of the canvas is painted
  await expect.poll(async () => (await canvasPixels(page)).painted).toBeGreaterThan(20_000)

  // hover: the tooltip names the pfn computed from the position
  const g = await geometry(page)
  const points: [number, number][] = [
    [Math.floor(box.width * 0.3), Math.floor(box.height * 0.4)],
    [Math.floor(box.width * 0.62), Math.floor(box.height * 0.55)],
  ]
  for (const [x, y] of points) {
    const pfn = expectedPfn(g, x, y)
    expect(pfn).toBeGreaterThanOrEqual(0)
    await page.mouse.move(box.x + x + 0.5, box.y + y + 0.5)
    const tip = page.getByTestId('memmap-tooltip')
    await expect(tip).toHaveAttribute('data-pfn', String(pfn))
    await expect(tip).toContainText(`pfn 0x${pfn.toString(16)} (${pfn})`)
    await expect(tip).toContainText('migratetype')
  }

  // zoom to page level: the hover gains the page's owner, folio and refcount
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  await page.mouse.move(cx, cy)
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -400)
  await expect.poll(async () => (await geometry(page)).pxPerPage).toBeGreaterThan(4)
  await page.mouse.move(cx + 3, cy + 3)
  const zg = await geometry(page)
  const zpfn = expectedPfn(zg, Math.floor(cx + 3 - box.x), Math.floor(cy + 3 - box.y))
  const tip = page.getByTestId('memmap-tooltip')
  await expect(tip).toHaveAttribute('data-pfn', String(zpfn))
  await expect(tip).toContainText('refcount', { timeout: 10_000 })
  await page.screenshot({ path: 'test-results/memmap-pages.png' })

  // back to the whole map, then scrub to the first snapshot: the picture changes
  await canvas.dblclick()
  await page.mouse.move(box.x + box.width + 50, box.y - 50)
  await expect.poll(async () => (await geometry(page)).pxPerPage).toBeCloseTo(g.pxPerPage, 6)
  await page.waitForTimeout(200)
  const last = await canvasPixels(page)
  const scrubber = page.getByTestId('memmap-scrubber')
  await scrubber.focus()
  await page.keyboard.press('Home')
  await expect(page.getByTestId('memmap-time')).toContainText(' 1/')
  await expect.poll(async () => (await canvasPixels(page)).hash).not.toBe(last.hash)
  await page.screenshot({ path: 'test-results/memmap-first.png' })
  await page.keyboard.press('End')
  await expect(page.getByTestId('memmap-time')).toContainText('final')
  await expect.poll(async () => (await canvasPixels(page)).hash).toBe(last.hash)
  await page.screenshot({ path: 'test-results/memmap-final.png' })

  // the workload compacts in one sysctl write: frames taken inside it let the user watch
  const time = page.getByTestId('memmap-time')
  let sawCompaction = false
  for (let i = 0; i < 40 && !sawCompaction; i++) {
    await page.keyboard.press('ArrowLeft')
    sawCompaction = /during migration|mm_compaction_end/.test((await time.textContent()) ?? '')
  }
  expect(sawCompaction).toBe(true)
  await page.screenshot({ path: 'test-results/memmap-compaction.png' })
})
