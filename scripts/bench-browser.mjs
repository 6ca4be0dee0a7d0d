#!/usr/bin/env node
// Browser benchmark `memmap-64g-browser` (issue 7, item 3): memory-map frame rate while
// panning a 64 GiB machine, in Debian's Chromium. Builds the web bundle into its own directory
// (out/bench-web, so it never races a shared `npm run build:web`), serves it on a free loopback
// port, runs e2e/memmap-fps.mjs and prints one JSON line per zoom level.
// Usage: node scripts/bench-browser.mjs [--web-dir DIR] [--viewport 1400x900]
//        [--cpu-throttle N] [--pan-ms 3000] [--screenshot FILE]
//   --web-dir DIR: serve an existing build (e.g. out/web) instead of building.
// Exits 1 when Chromium is missing or a zoom level pans below 30 fps (p50).
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { measureMemmapFps, parseOptions } from '../e2e/memmap-fps.mjs'
import { startServer } from './serve.mjs'

/** The floor issue 7 sets for panning. */
const MIN_FPS = 30

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const args = process.argv.slice(2)
const dirAt = args.indexOf('--web-dir')
const webDir = dirAt >= 0 ? resolve(args[dirAt + 1] ?? '') : null
const opts = parseOptions(dirAt >= 0 ? args.filter((_, i) => i !== dirAt && i !== dirAt + 1) : args)

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
try {
  accessSync(chromiumPath, constants.X_OK)
} catch {
  console.error(
    `bench-browser: no Chromium at ${chromiumPath}. Install it (apt-get install -y chromium) ` +
      'or point CHROMIUM_PATH at a Chromium binary.',
  )
  process.exit(1)
}

let dir = webDir
if (dir) {
  if (!existsSync(join(dir, 'index.html'))) {
    console.error(`bench-browser: ${dir}/index.html not found (build it or drop --web-dir)`)
    process.exit(1)
  }
} else {
  dir = join(root, 'out/bench-web')
  console.error(`bench-browser: building the web bundle into ${dir}`)
  const vite = join(root, 'node_modules/vite/bin/vite.js')
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'renderer/vite.web.config.mts', '--outDir', dir, '--emptyOutDir'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  )
  if (r.status !== 0) {
    console.error(`bench-browser: vite build failed (exit ${r.status})`)
    process.exit(1)
  }
}

const server = await startServer(dir, 0)
const url = `http://127.0.0.1:${server.address().port}/`
let slow = []
try {
  const results = await measureMemmapFps(url, {
    ...opts,
    chromiumPath,
    onResult: (line) => console.log(JSON.stringify(line)),
  })
  slow = results.filter((r) => !(r.fps_p50 >= MIN_FPS))
} catch (e) {
  console.error(`bench-browser: ${e instanceof Error ? e.message : e}`)
  process.exitCode = 1
} finally {
  server.close()
}
if (slow.length > 0) {
  console.error(
    `bench-browser: below ${MIN_FPS} fps (p50) while panning at: ` +
      slow.map((r) => `${r.zoom} (${r.fps_p50})`).join(', '),
  )
  process.exitCode = 1
}
