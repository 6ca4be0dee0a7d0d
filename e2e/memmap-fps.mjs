#!/usr/bin/env node
// Memory-map frame rate in real Chromium (issue 7, item 3: "at least 30 frames per second
// while panning for a 64 GiB machine"). Runs a workload on a 64 GiB machine in the web
// workbench, opens the Memory map tab, and pans the canvas with mouse drags for a few seconds
// at three zoom levels: the whole map, pageblock cells with their markers, and single pages
// with page detail. Per zoom level it prints one JSON line:
//   fps_p50 / fps_p5: 1000 / the p50 / p95 interval between successive canvas updates while
//     the drag goes on (each update shows the map moved; the component stamps them on
//     window.__mmwbMemmapStats, renderer/src/memmap/drawStats.ts). Playwright's next mouse
//     move waits for the page to take the previous one, so a slow frame delays the next update:
//     this is the rate the user sees the map follow the mouse.
//   draw_ms_p50 / draw_ms_p95: what each canvas update cost (pixels, putImageData, labels);
//   raf_fps_p50 / raf_fps_p5: the same from a requestAnimationFrame sampler in the page (every
//     frame, with or without an update: the main thread's responsiveness).
// Headless Chromium with --disable-gpu draws on the CPU: the conservative case.
// Usage: `node e2e/memmap-fps.mjs <url>` (normally through scripts/bench-browser.mjs, which
// builds and serves the bundle).
import { resolve } from 'node:path'
import { chromium } from '@playwright/test'

/** A 64 GiB machine with a realistic mix, a few hundred thousand operations in all. */
export const WORKLOAD = `import {
  GFP_HIGHUSER_MOVABLE,
  GFP_KERNEL,
  GFP_TRANSHUGE_LIGHT,
  HPAGE_PMD_ORDER,
  type Folio,
  type Kernel,
  type MachineSpec,
} from 'mmwb'

export const machine: MachineSpec = {
  memoryMiB: 65536,
  nrCpus: 4,
  cma: [{ name: 'reserved', sizeMiB: 2048 }],
}

export default async function (k: Kernel) {
  const live: Folio[] = []
  // THPs (most of memory), anon pages and kernel allocations of orders 0-3, interleaved, then
  // 40% freed at random: free and used pageblocks alternate all over the map, and the blocks
  // the small allocations share are mixed (movable next to unmovable, CMA in use).
  for (let i = 0; i < 240_000; i++) {
    const u = k.rng.float()
    const f =
      u < 0.12
        ? k.allocPages(GFP_TRANSHUGE_LIGHT, HPAGE_PMD_ORDER)
        : u < 0.8
          ? k.allocPages(GFP_HIGHUSER_MOVABLE, 0)
          : k.allocPages(GFP_KERNEL, k.rng.int(4))
    if (f) live.push(f)
    if (i % 20_000 === 0) await k.sleep(100_000)
  }
  for (let i = 0; i < live.length; i++) {
    if (k.rng.float() < 0.4) k.folioPut(live[i]!)
    if (i % 20_000 === 0) await k.sleep(100_000)
  }
  await k.sleep(100_000)
}
`

/**
 * Zoom levels, as pixels per page (the canvas publishes its viewport in data-* attributes).
 * `fit` is the whole map; 0.5 px/page makes a 9th-order pageblock a 16 x 8 px cell with grid
 * and markers; 8 px/page draws single pages with folio edges from page detail; from 14 px/page
 * on, block heads also get their order as text (renderer/src/memmap/orderLabels.ts).
 */
export const ZOOMS = [
  { zoom: 'whole-map', pxPerPage: null },
  { zoom: 'pageblocks', pxPerPage: 0.5 },
  { zoom: 'pages', pxPerPage: 8 },
  { zoom: 'pages-with-orders', pxPerPage: 16 },
]

const PAN_MS = 3000

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}
const r2 = (x) => Math.round(x * 100) / 100

async function viewport(page) {
  return page.getByTestId('memmap-canvas').evaluate((el) => ({
    pxPerPage: Number(el.dataset.pxPerPage),
    originX: Number(el.dataset.originX),
    originY: Number(el.dataset.originY),
  }))
}

/** Runs the workload and opens the Memory map tab on its final snapshot. */
async function openMap(page, url) {
  await page.goto(url)
  await page.evaluate(() => globalThis.localStorage.clear())
  await page.reload()
  await page.locator('[data-testid=engine-status][data-state=ready]').waitFor({ timeout: 60_000 })
  await page.evaluate((t) => globalThis.__mmwbTest.setSource(t), WORKLOAD)
  await page.getByTestId('run-button').click()
  await page.getByRole('tab', { name: 'Memory map', exact: true }).click()
  await page.getByTestId('memmap').waitFor({ timeout: 60_000 })
  await page.getByTestId('memmap-time').filter({ hasText: 'final' }).waitFor({ timeout: 240_000 })
}

/** Zooms about the canvas centre to `pxPerPage` (or back to the whole map) with the wheel. */
async function zoomTo(page, box, pxPerPage) {
  const canvas = page.getByTestId('memmap-canvas')
  await canvas.dblclick({ position: { x: box.width / 2, y: box.height / 2 } })
  if (pxPerPage !== null) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    // MemoryMap zooms by exp(-deltaY * 0.0015) per wheel event.
    for (let i = 0; i < 20; i++) {
      const cur = (await viewport(page)).pxPerPage
      if (Math.abs(Math.log(pxPerPage / cur)) < 0.01) break
      await page.mouse.wheel(0, -Math.log(pxPerPage / cur) / 0.0015)
      await page.waitForTimeout(50)
    }
  }
  // let page detail arrive and the canvas settle before measuring
  await page.waitForTimeout(600)
}

/** Drags the map around for `ms`, sampling rAF intervals and the component's draws. */
async function pan(page, box, ms) {
  await page.evaluate(() => {
    const g = globalThis
    g.__mmwbMemmapStats = { draws: 0, drawMs: [], drawAt: [] }
    const s = { stamps: [], on: true }
    g.__fpsSampler = s
    const tick = (t) => {
      if (!s.on) return
      s.stamps.push(t)
      g.requestAnimationFrame(tick)
    }
    g.requestAnimationFrame(tick)
  })
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  await page.mouse.move(cx, cy)
  await page.mouse.down()
  const t0 = Date.now()
  let i = 0
  // A Lissajous path: the map moves every event, across cells and (zoomed in) page spans.
  while (Date.now() - t0 < ms) {
    const a = i++ * 0.05
    await page.mouse.move(
      cx + Math.sin(a) * box.width * 0.3,
      cy + Math.sin(a * 1.3) * box.height * 0.3,
    )
  }
  await page.mouse.up()
  const moves = i
  const out = await page.evaluate(() => {
    const g = globalThis
    g.__fpsSampler.on = false
    return { stamps: g.__fpsSampler.stamps, stats: g.__mmwbMemmapStats }
  })
  return { ...out, moves, ms: Date.now() - t0 }
}

/** 1000 / the p50 and p95 of the gaps between successive timestamps (ms). */
function rate(stamps) {
  const gaps = []
  for (let i = 1; i < stamps.length; i++) gaps.push(stamps[i] - stamps[i - 1])
  gaps.sort((a, b) => a - b)
  return { p50: r2(1000 / quantile(gaps, 0.5)), p5: r2(1000 / quantile(gaps, 0.95)) }
}

function summarise(zoom, res, pxPerPage) {
  const draws = [...res.stats.drawMs].sort((a, b) => a - b)
  const shown = rate(res.stats.drawAt)
  const raf = rate(res.stamps)
  const at = res.stats.drawAt
  const span = at.length > 1 ? at[at.length - 1] - at[0] : 0
  return {
    bench: 'memmap-64g-browser',
    zoom,
    px_per_page: r2(pxPerPage * 1000) / 1000,
    fps_p50: shown.p50,
    fps_p5: shown.p5,
    draw_ms_p50: r2(quantile(draws, 0.5)),
    draw_ms_p95: r2(quantile(draws, 0.95)),
    raf_fps_p50: raf.p50,
    raf_fps_p5: raf.p5,
    draws: at.length,
    draws_per_s: span > 0 ? r2(((at.length - 1) * 1000) / span) : 0,
    mouse_moves: res.moves,
  }
}

/** `--viewport WxH`, `--cpu-throttle N`, `--pan-ms MS`, `--screenshot FILE`; the rest is the url. */
export function parseOptions(args) {
  const opts = { url: null }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--viewport') {
      const m = /^(\d+)x(\d+)$/.exec(args[++i] ?? '')
      if (!m) throw new Error('--viewport wants WIDTHxHEIGHT, e.g. 1920x1080')
      opts.width = Number(m[1])
      opts.height = Number(m[2])
    } else if (a === '--cpu-throttle') opts.cpuThrottle = Number(args[++i])
    else if (a === '--pan-ms') opts.panMs = Number(args[++i])
    else if (a === '--screenshot') opts.screenshot = args[++i]
    else if (!a.startsWith('--')) opts.url = a
    else throw new Error(`unknown option ${a}`)
  }
  return opts
}

/** Measures every zoom level; returns one result object per level. */
export async function measureMemmapFps(url, opts = {}) {
  const browser = await chromium.launch({
    executablePath: opts.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // the flags of playwright.config.ts
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
  try {
    const page = await browser.newPage({
      viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 },
    })
    await openMap(page, url)
    // Optional: emulate a slower CPU (DevTools' CPU throttling) for the pans only.
    const cdp = opts.cpuThrottle > 1 ? await page.context().newCDPSession(page) : null
    const canvas = page.getByTestId('memmap-canvas')
    const box = await canvas.boundingBox()
    const nrPb = Number(await canvas.getAttribute('data-nr-pageblocks'))
    if (nrPb !== 32768) throw new Error(`expected 32768 pageblocks (64 GiB), the map has ${nrPb}`)
    const results = []
    for (const z of opts.zooms ?? ZOOMS) {
      await zoomTo(page, box, z.pxPerPage)
      const v = await viewport(page)
      await cdp?.send('Emulation.setCPUThrottlingRate', { rate: opts.cpuThrottle })
      const res = await pan(page, box, opts.panMs ?? PAN_MS)
      await cdp?.send('Emulation.setCPUThrottlingRate', { rate: 1 })
      const line = {
        ...summarise(z.zoom, res, v.pxPerPage),
        canvas: `${Math.round(box.width)}x${Math.round(box.height)}`,
        ...(opts.cpuThrottle > 1 ? { cpu_throttle: opts.cpuThrottle } : {}),
      }
      results.push(line)
      opts.onResult?.(line)
    }
    if (opts.screenshot) await page.screenshot({ path: opts.screenshot })
    return results
  } finally {
    await browser.close()
  }
}

const isMain =
  process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)
if (isMain) {
  const opts = parseOptions(process.argv.slice(2))
  if (!opts.url) {
    console.error(
      'usage: node e2e/memmap-fps.mjs <url> [--viewport 1400x900] [--cpu-throttle N] [--pan-ms 3000]',
    )
    process.exit(2)
  }
  await measureMemmapFps(opts.url, { ...opts, onResult: (l) => console.log(JSON.stringify(l)) })
}
