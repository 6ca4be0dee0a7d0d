#!/usr/bin/env node
// A tiny static file server for the web-mode build: `node scripts/serve.mjs <dir> <port>`.
// Bound to 127.0.0.1 only; paths are resolved inside <dir> (no traversal); correct MIME types
// (module scripts and workers are refused by browsers when served as anything but JavaScript).
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.d.ts': 'text/plain; charset=utf-8',
}

export function startServer(dir, port, host = '127.0.0.1') {
  const root = resolve(dir)
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end()
      return
    }
    let pathname
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    } catch {
      res.writeHead(400).end('bad request')
      return
    }
    if (pathname.includes('\0')) {
      res.writeHead(400).end('bad request')
      return
    }
    let file = resolve(join(root, pathname))
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden')
      return
    }
    try {
      let st = await stat(file)
      if (st.isDirectory()) {
        file = join(file, 'index.html')
        st = await stat(file)
      }
      res.writeHead(200, {
        'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': st.size,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      })
      if (req.method === 'HEAD') res.end()
      else createReadStream(file).pipe(res)
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found')
    }
  })
  return new Promise((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolveListen(server))
  })
}

const isMain =
  process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)
if (isMain) {
  const [dir, portArg] = process.argv.slice(2)
  if (!dir) {
    console.error('usage: node scripts/serve.mjs <dir> [port]')
    process.exit(2)
  }
  const port = Number(portArg ?? 4173)
  try {
    await stat(join(dir, 'index.html'))
  } catch {
    console.error(`${dir}/index.html not found: build first (npm run build:web)`)
    process.exit(1)
  }
  startServer(dir, port).then(
    () => console.log(`serving ${dir} at http://127.0.0.1:${port}/`),
    (e) => {
      console.error(`cannot listen on 127.0.0.1:${port}: ${e.message}`)
      process.exit(1)
    },
  )
}
