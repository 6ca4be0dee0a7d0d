#!/usr/bin/env node
// `npm start`: build and launch the desktop app. Where Electron's binary is missing (it is
// downloaded lazily on first use, which needs network access), explain what to do instead of
// failing with a stack trace. Never calls require('electron') itself: under plain Node that
// triggers the download attempt.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const electronDir = join(root, 'node_modules', 'electron')

/** The Electron executable, resolved the way node_modules/electron/index.js would. */
export function findElectron() {
  const pathTxt = join(electronDir, 'path.txt')
  const rel = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : null
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) {
    const exe = join(override, rel || (process.platform === 'win32' ? 'electron.exe' : 'electron'))
    return existsSync(exe) ? exe : null
  }
  if (!rel) return null
  const exe = join(electronDir, 'dist', rel)
  return existsSync(exe) ? exe : null
}

const exe = findElectron()
if (!exe) {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  console.error(
    [
      'MM Workbench: the Electron binary is not installed, so the desktop app cannot start.',
      override
        ? `  ELECTRON_OVERRIDE_DIST_PATH=${override} holds no Electron executable.`
        : '  (npm installs the electron package, but its binary is downloaded separately and needs network access to GitHub.)',
      '',
      'Do one of these:',
      '  - with network access, download it once: `node node_modules/electron/install.js`, then `npm start`;',
      '  - point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron 45 dist folder, then `npm start`;',
      '  - use web mode, the same workbench in your browser: `npm run web`.',
    ].join('\n'),
  )
  process.exit(1)
}

const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
if (build.status !== 0) {
  console.error('electron-vite build failed')
  process.exit(build.status ?? 1)
}
const child = spawn(exe, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)))
