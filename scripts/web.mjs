#!/usr/bin/env node
// `npm run web [-- --port N]`: build the renderer for the browser (engine-host in a Web
// Worker) into out/web, then serve it on 127.0.0.1 and print the URL.
import { spawnSync } from 'node:child_process'
import { startServer } from './serve.mjs'

const args = process.argv.slice(2)
const portAt = args.indexOf('--port')
const port = portAt >= 0 ? Number(args[portAt + 1]) : 4173
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`invalid --port: ${args[portAt + 1]}`)
  process.exit(2)
}

if (!args.includes('--no-build')) {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.web.config.mts'], {
    stdio: 'inherit',
  })
  if (build.status !== 0) {
    console.error('web build failed')
    process.exit(build.status ?? 1)
  }
}

startServer('out/web', port).then(
  () =>
    console.log(`\nMM Workbench (web mode): http://127.0.0.1:${port}/\nCtrl+C stops the server.`),
  (e) => {
    console.error(`cannot listen on 127.0.0.1:${port}: ${e.message} (try --port N)`)
    process.exit(1)
  },
)
